/** The Markdown report of a benchmark run (bench/results/latest.md). */
import type { DownloadResult } from '../download';
import type { QueueResult } from '../queue';
import type { ReturnAllResult } from '../returnAll';
import type { SandboxBenchResult } from '../sandbox';
import type { TriggerResult } from '../trigger';
import type { ValidationResult } from '../validation';
import type { MachineInfo } from './machine';
import { fmt, fmtSummary, type Summary } from './measure';

export interface BenchResults {
	mode: 'full' | 'quick';
	runs: number;
	warmups: number;
	machine: MachineInfo;
	groups: {
		returnAll?: ReturnAllResult;
		validation?: ValidationResult;
		trigger?: TriggerResult;
		download?: DownloadResult;
		sandbox?: SandboxBenchResult;
		queue?: QueueResult;
	};
	totalSeconds?: number;
	failures?: string[];
}

/** Column order of processes: main, workers, then PostgreSQL and Redis. */
const rank = (name: string) => (name === 'main' ? 0 : name.startsWith('worker') ? 1 : 2);

const ratio = (s: Summary | undefined) => (s ? fmtSummary(s, 2) : 'n/a');

function table(header: string[], rows: string[][]): string {
	return [
		`| ${header.join(' | ')} |`,
		`|${header.map(() => '---').join('|')}|`,
		...rows.map((r) => `| ${r.join(' | ')} |`),
	].join('\n');
}

export function renderMarkdown(results: BenchResults): string {
	const { machine: m } = results;
	const out: string[] = [];
	out.push(`# Benchmarks (${results.mode} mode)`);
	out.push('');
	out.push(
		`${m.date.slice(0, 10)} · ${m.cores} cores (${m.cpu}) · ${m.memoryGiB} GiB · Node ${m.node} · ${m.platform} · commit ${m.commit}  `,
	);
	const queueOnly = Object.keys(results.groups).length === 1 && results.groups.queue !== undefined;
	if (queueOnly) {
		out.push(`Command: \`${m.command}\` · one run per variant.  `);
		out.push(
			'Sandbox in the bench process; n8n main, workers, PostgreSQL and Redis in their own processes on the same machine. The machine is shared and noisy.',
		);
	} else {
		out.push(
			`Command: \`${m.command}\` · ${results.warmups} warm-up + ${results.runs} runs per variant; cells are median (min–max).  `,
		);
		out.push(
			'Sandbox in a child process (large-data mode); client, n8n engine and nodes in the bench process. The machine is shared and noisy: compare ratios within this run.',
		);
	}
	if (results.failures?.length) out.push(`\n**Failures:** ${results.failures.join('; ')}`);

	const r = results.groups.returnAll;
	if (r) {
		out.push('');
		out.push(
			`## 1. Return All: ${fmt(r.leads)} leads of \`${r.campaignId}\`, page size ${r.pageSize}`,
		);
		out.push('');
		out.push(
			table(
				[
					'Variant',
					'Wall time (ms)',
					'CPU, bench process (ms)',
					'CPU, sandbox (ms)',
					'Requests',
					'Output items',
					'Peak heap+buffers Δ (MB)',
					'Peak RSS Δ (MB)',
				],
				r.variants.map((v) => [
					v.label,
					fmtSummary(v.ms),
					v.clientCpuMs ? fmtSummary(v.clientCpuMs) : 'n/a',
					v.serverCpuMs ? fmtSummary(v.serverCpuMs) : 'n/a',
					fmt(v.requests),
					fmt(v.outputItems),
					fmtSummary(v.heapDeltaMB),
					fmtSummary(v.rssDeltaMB),
				]),
			),
		);
		out.push('');
		out.push(
			`Ratios of wall time, per round: **a/b = ${ratio(r.ratios['a/b'])}** (target ≤ 1.10), **a/c = ${ratio(r.ratios['a/c'])}** (target < 1), a/c-http = ${ratio(r.ratios['a/c-http'])}` +
				Object.keys(r.ratios)
					.filter((k) => /^a\d+\/|^a\/a\d/.test(k))
					.map((k) => `, ${k} = ${ratio(r.ratios[k])}`)
					.join('') +
				'.',
		);
		if (r.cpuRatios) {
			out.push(
				`Ratios of CPU time (bench process + sandbox), per round: a/b = ${ratio(r.cpuRatios['a/b'])}, a/c = ${ratio(r.cpuRatios['a/c'])}. ` +
					`Load average (1/5/15 min) before: ${r.loadBefore.map((l) => l.toFixed(1)).join('/')}, after: ${r.loadAfter.map((l) => l.toFixed(1)).join('/')}.`,
			);
		}
		out.push(
			`HTTP Request node: n8n-nodes-base ${r.nodesBaseVersion} (n8n 2.40.7 cache install), sharing the engine's n8n-workflow instance: ${r.sharedN8nWorkflow}.`,
		);
		if (r.notes?.length) out.push(r.notes.join(' '));
	}

	const v = results.groups.validation;
	if (v) {
		out.push('');
		out.push(
			`## 2. Validation of ${fmt(v.emails)} email items (POST /validation-jobs/text allows ${v.rateLimit})`,
		);
		out.push('');
		out.push(
			table(
				[
					'Variant',
					'Wall time (ms)',
					'Job requests (POST)',
					'All API requests',
					'Jobs created',
					'Outcome',
				],
				v.variants.map((x) => [
					x.label,
					fmtSummary(x.ms),
					fmt(x.jobRequests),
					fmt(x.apiRequests),
					fmt(x.jobsCreated),
					x.outcome,
				]),
			),
		);
		out.push('');
		out.push(
			`Target: ceil(N / 5000) = ${v.expectedJobs} job requests for N = ${fmt(v.emails)}. ${v.notes.join(' ')}`,
		);
	}

	const t = results.groups.trigger;
	if (t) {
		out.push('');
		out.push(
			`## 3. Trigger polls (ws_large: ${fmt(t.campaigns)} campaigns, ${fmt(t.exports)} exports)`,
		);
		out.push('');
		out.push(
			table(
				[
					'Event',
					'Running',
					'Requests per poll (nothing new)',
					'Time per poll (ms)',
					'Requests, poll with 10 finishing',
					'Activation requests',
				],
				t.rows.map((x) => [
					x.event,
					fmt(x.running),
					fmt(x.idleRequests),
					fmtSummary(x.idleMs, 1),
					x.finishingRequests === null
						? '–'
						: `${fmt(x.finishingRequests)} (${fmt(x.finishingEmitted ?? 0)} emitted)`,
					fmt(x.activationRequests),
				]),
			),
		);
		out.push('');
		out.push(
			`Target: requests per poll do not grow with the number of objects in the workspace. ${t.notes.join(' ')}`,
		);
	}

	const d = results.groups.download;
	if (d) {
		out.push('');
		out.push(`## 4. Export download of ${fmt(d.rows)} rows through the node (export download)`);
		out.push('');
		out.push(
			table(
				[
					'Binary data mode',
					'Format',
					'File size (MB)',
					'Wall time (ms)',
					'Peak RSS − baseline (MB)',
					'Peak heap+buffers Δ (MB)',
					'Peak RSS Δ / file size',
					'Peak heap+buffers Δ / file size',
					'Target ≤ 2× file',
				],
				d.formats.map((x) => [
					x.mode ?? 'memory',
					x.format.toUpperCase(),
					fmt(x.fileBytes / 1048576, 1),
					fmtSummary(x.ms),
					fmtSummary(x.rssDeltaMB, 1),
					fmtSummary(x.heapDeltaMB, 1),
					fmtSummary(x.rssOverFile, 2),
					x.heapOverFile ? fmtSummary(x.heapOverFile, 2) : 'n/a',
					x.rssOverFile.median <= 2 ? 'met' : 'missed',
				]),
			),
		);
		out.push('');
		out.push(d.notes.join(' '));
	}

	const s = results.groups.sandbox;
	if (s) {
		out.push('');
		out.push(
			`## 5. Sandbox large data: pages of 100 and a CSV export of \`${s.bigCampaignId}\` (${fmt(s.bigLeads)} leads) vs \`${s.smallCampaignId}\` (${fmt(s.smallLeads)} leads)`,
		);
		out.push('');
		out.push(
			table(
				[
					'Measure',
					`${fmt(s.bigLeads)}-lead campaign`,
					`Baseline: ${fmt(s.smallLeads)}-lead campaign`,
					'Ratio (per round)',
				],
				[
					[
						`Median page of 100 (ms, ${s.pagesPerRound} pages per round)`,
						fmtSummary(s.bigPageMs, 1),
						fmtSummary(s.smallPageMs, 1),
						ratio(s.pageRatio),
					],
					[
						'CSV export download (ms)',
						`${fmtSummary(s.bigCsvMs)} (${fmt(s.bigCsvRows)} rows)`,
						`${fmtSummary(s.smallCsvMs)} (${fmt(s.smallCsvRows)} rows)`,
						'–',
					],
					[
						'CSV export download per row (µs)',
						fmtSummary(s.bigCsvUsPerRow, 1),
						fmtSummary(s.smallCsvUsPerRow, 1),
						ratio(s.csvRatio),
					],
					[
						'First export of the process, warm-up round (ms)',
						fmt(s.coldBigCsvMs),
						fmt(s.coldSmallCsvMs),
						'–',
					],
				],
			),
		);
		out.push('');
		out.push(
			`Target: page ratio ≈ 1 (a page is a slice of a cached index, whatever the campaign's size); CSV time per row of the big export ≤ the small one's. ${s.notes.join(' ')}`,
		);
	}

	const q = results.groups.queue;
	if (q) {
		out.push('');
		out.push(
			`## ${queueOnly ? '' : '6. '}Queue mode: ${fmt(q.executions)} lead pipelines enqueued at once (n8n ${q.n8nVersion}, PostgreSQL, Redis)`,
		);
		out.push('');
		const processes = [...new Set(q.variants.flatMap((v) => Object.keys(v.peakMemoryMB)))].sort(
			(a, b) => rank(a) - rank(b) || a.localeCompare(b),
		);
		out.push(
			table(
				[
					'Workers × concurrency',
					'Succeeded',
					'All finished after (s)',
					'Executions / min',
					'Enqueued after (s)',
					'Per worker',
					'Campaign reservations',
					...processes.map((p) => `Peak RSS ${p} (MB)`),
				],
				q.variants.map((v) => [
					`${v.workers} × ${v.concurrency}`,
					`${v.succeeded} / ${v.executions}`,
					fmt(v.seconds, 1),
					fmt(v.perMinute, 1),
					fmt(v.enqueueSeconds, 1),
					Object.entries(v.perWorker)
						.map(([w, n]) => `${w}: ${n}`)
						.join(', '),
					fmt(v.reservations),
					...processes.map((p) => (v.peakMemoryMB[p] === undefined ? '–' : fmt(v.peakMemoryMB[p]))),
				]),
			),
		);
		out.push('');
		const one = q.variants.find((v) => v.workers === 1);
		const two = q.variants.find((v) => v.workers === 2);
		if (one && two)
			out.push(
				`Two workers / one worker, executions per minute: **${(two.perMinute / one.perMinute).toFixed(2)}×**. Sandbox clock ×${q.sandboxClockSpeed}.`,
			);
		out.push(q.notes.join(' '));
	}
	out.push('');
	if (results.totalSeconds !== undefined) out.push(`Total bench time: ${results.totalSeconds} s.`);
	return `${out.join('\n')}\n`;
}
