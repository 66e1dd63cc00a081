/**
 * Queue mode at load (`npm run bench -- --only=queue`): n8n 2.40.7 with PostgreSQL and Redis, one
 * main and 1, then 2 workers (`--concurrency=10`, n8n's default), each with the packed package.
 * 200 lead-pipeline executions (the example, started by its production webhook) are enqueued at
 * once against the sandbox (clock ×20: a 100-email campaign takes ~3 s). Measured: time until all
 * have finished (from the first webhook call), executions per minute, peak resident memory per
 * process (n8n process + its task runner) sampled every 2 s, and checks: every execution succeeded,
 * the sandbox's ledger shows exactly one campaign reservation per execution, each execution's
 * output names its own campaign (none lost, none twice). Figures, not assertions: a failed check is
 * reported as a failure of the benchmark, a slow run is not.
 *
 * Needs n8n 2.40.7 in the cache (harness/n8n/install-n8n.sh 2), PostgreSQL 15 and redis-server.
 * `--quick` runs 20 executions per variant.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startSandbox } from '../sandbox';
import { getExecution, getInstall, isInstalled } from '../harness/n8n';
import { buildAndPack } from '../harness/n8n/scravio';
import { startCluster } from '../harness/queue/cluster';
import {
	executionRows,
	LEAD_PIPELINE_ID,
	LEAD_PIPELINE_PATH,
	leadPipelineWorkflow,
	liftSandboxLimits,
	postWebhook,
	reservations,
	waitForFinished,
	waitForWebhook,
} from '../harness/queue/pipelines';

export interface QueueVariant {
	workers: number;
	concurrency: number;
	executions: number;
	succeeded: number;
	/** Seconds from the first webhook call until the last execution finished. */
	seconds: number;
	/** Seconds until main had answered every webhook call (all enqueued). */
	enqueueSeconds: number;
	perMinute: number;
	perWorker: Record<string, number>;
	reservations: number;
	distinctCampaigns: number;
	checks: string[];
	/** Peak resident MB per process during the run. */
	peakMemoryMB: Record<string, number>;
	clusterStartSeconds: number;
}

export interface QueueResult {
	n8nVersion: string;
	executions: number;
	sandboxClockSpeed: number;
	variants: QueueVariant[];
	notes: string[];
}

export async function runQueue(opts: {
	quick: boolean;
	log: (line: string) => void;
	executions?: number;
}): Promise<QueueResult> {
	const install = getInstall(2);
	if (!isInstalled(install))
		throw new Error(`n8n ${install.version} is not installed: bash harness/n8n/install-n8n.sh 2`);
	const executions = opts.executions ?? (opts.quick ? 20 : 200);
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scravio-bench-queue-'));
	const tarball =
		process.env.SCRAVIO_E2E_TARBALL && fs.existsSync(process.env.SCRAVIO_E2E_TARBALL)
			? process.env.SCRAVIO_E2E_TARBALL
			: buildAndPack(packDir);
	const clockSpeed = 20;
	const variants: QueueVariant[] = [];
	try {
		for (const workers of [1, 2]) {
			const sb = await startSandbox({ port: 0, quiet: true, clockSpeed });
			await liftSandboxLimits(sb);
			const t0 = Date.now();
			const cluster = await startCluster({
				tarball,
				sandboxApiUrl: sb.apiUrl,
				workers,
				concurrency: 10,
				workflows: [leadPipelineWorkflow()],
				publish: [LEAD_PIPELINE_ID],
			});
			try {
				await waitForWebhook(cluster, LEAD_PIPELINE_PATH);
				const clusterStartSeconds = Math.round((Date.now() - t0) / 1000);
				opts.log(
					`  ${workers} worker(s): cluster up in ${clusterStartSeconds} s; enqueueing ${executions} executions`,
				);
				const peak: Record<string, number> = {};
				const sample = () => {
					for (const [k, v] of Object.entries(cluster.memory()))
						peak[k] = Math.max(peak[k] ?? 0, v);
				};
				sample();
				const sampler = setInterval(sample, 2000);
				const t = Date.now();
				let enqueueSeconds = 0;
				try {
					await Promise.all(
						Array.from({ length: executions }, () => postWebhook(cluster, LEAD_PIPELINE_PATH)),
					);
					enqueueSeconds = (Date.now() - t) / 1000;
					await waitForFinished(cluster, LEAD_PIPELINE_ID, executions, 30 * 60_000);
				} finally {
					clearInterval(sampler);
				}
				const seconds = (Date.now() - t) / 1000;
				sample();
				const rows = executionRows(cluster, LEAD_PIPELINE_ID);
				const perWorker: Record<string, number> = {};
				for (const r of rows) {
					const w = cluster.workerOf(r.id)?.name ?? 'not on a worker';
					perWorker[w] = (perWorker[w] ?? 0) + 1;
				}
				const reserved = reservations(sb).map((e) => e.campaignId!);
				const outputIds: string[] = [];
				for (const r of rows.filter((x) => x.status === 'success')) {
					const e = await getExecution(cluster.session, cluster.install, r.id);
					const items =
						e.data.resultData.runData['Create Campaign and Wait']?.[0]?.data?.main?.[0] ?? [];
					for (const item of items) outputIds.push(String(item.json.id));
				}
				const succeeded = rows.filter((r) => r.status === 'success').length;
				const checks: string[] = [];
				if (rows.length !== executions)
					checks.push(`${rows.length} execution records for ${executions} webhook calls`);
				if (succeeded !== executions)
					checks.push(`${executions - succeeded} executions did not succeed`);
				if (reserved.length !== executions)
					checks.push(`${reserved.length} campaign reservations for ${executions} executions`);
				if (new Set(outputIds).size !== outputIds.length)
					checks.push('an execution output a campaign another one output too');
				if ([...outputIds].sort().join() !== [...reserved].sort().join())
					checks.push('the campaigns in the outputs are not the reserved ones');
				if (perWorker['not on a worker'])
					checks.push(`${perWorker['not on a worker']} executions ran on no worker`);
				const variant: QueueVariant = {
					workers,
					concurrency: 10,
					executions,
					succeeded,
					seconds: Math.round(seconds * 10) / 10,
					enqueueSeconds: Math.round(enqueueSeconds * 10) / 10,
					perMinute: Math.round((executions / seconds) * 60 * 10) / 10,
					perWorker,
					reservations: reserved.length,
					distinctCampaigns: new Set(outputIds).size,
					checks,
					peakMemoryMB: peak,
					clusterStartSeconds,
				};
				opts.log(
					`  ${workers} worker(s): ${succeeded}/${executions} succeeded in ${variant.seconds} s (${variant.perMinute}/min), ${reserved.length} reservations, per worker ${JSON.stringify(perWorker)}, peak MB ${JSON.stringify(peak)}${checks.length ? `; CHECKS FAILED: ${checks.join('; ')}` : ''}`,
				);
				variants.push(variant);
			} finally {
				await cluster.stop();
				await sb.close();
			}
		}
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
	const failed = variants.flatMap((v) => v.checks.map((c) => `${v.workers} worker(s): ${c}`));
	if (failed.length) throw new Error(`queue benchmark checks failed: ${failed.join('; ')}`);
	return {
		n8nVersion: install.version,
		executions,
		sandboxClockSpeed: clockSpeed,
		variants,
		notes: [
			'Each execution creates a 100-email Instagram hashtag campaign and waits for it (Wait for Completion holds a worker slot meanwhile), exports the valid e-mails as CSV and downloads them (binary data in PostgreSQL, `database` mode), then Extract From File makes rows.',
			'Main, the workers, PostgreSQL, Redis, the sandbox and this process share the same cores: on this machine the CPU, not the queue, limits throughput, so two workers are not twice as fast.',
			'Memory: resident set of each n8n process plus its JS task runner, peak of 2 s samples; PostgreSQL = postmaster and its backends.',
		],
	};
}
