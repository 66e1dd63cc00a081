/**
 * Benchmark 3: what a poll of the Scravio Trigger costs, in API requests and time, in the
 * large-data workspace ws_large (10,000 campaigns), with 0, 10 and 100 objects running; for the
 * "Campaign Finished" and the "Export Ready" events, with timings and repeated polls.
 * test/trigger/cost.test.ts asserts the request counts; this measures them.
 *
 * Polls run through n8n's real poll machinery (harness/trigger.ts → harness/engine/),
 * with the workflow's static data kept between polls like an active workflow. The sandbox runs in
 * a child process with a frozen clock (objects stay running until the bench ends them) and its
 * rate limits off (creating 10,000 exports). Requests are counted from its request log.
 *
 * Exports: the workspace starts with none, so the bench creates one per campaign (10,000; quick
 * mode 300) through the API on a fast-running clock (×1000, so their creation times differ),
 * lets them complete (clock advance), then adds running ones on the frozen clock.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../sandbox';
import { TriggerUnderTest, useTriggerClass } from '../harness/trigger';
import { summarize, type Summary } from './lib/measure';
import { ScravioTrigger } from './lib/nodes';
import {
	PRESETS,
	WS_LARGE,
	admin,
	api,
	clearRequestLog,
	requestLog,
	startSandboxProcess,
	type SandboxProcess,
} from './lib/sandbox';

export interface TriggerRow {
	event: 'campaignFinished' | 'exportReady';
	running: number;
	activationRequests: number;
	idleRequests: number;
	idleByRoute: Record<string, number>;
	idleMs: Summary;
	finishingRequests: number | null;
	finishingEmitted: number | null;
	finishingMs: number | null;
}

export interface TriggerResult {
	campaigns: number;
	exports: number;
	rows: TriggerRow[];
	notes: string[];
}

const CAMPAIGN_RUNNING = ['pending', 'scraping', 'scraping_completed', 'processing_emails'];
const EXPORT_RUNNING = ['pending', 'processing'];

function routeOf(entry: { method: string; path: string; url: string }): string {
	const query = new URLSearchParams(entry.url.split('?')[1] ?? '');
	const status = query.get('status');
	return `${entry.method} ${entry.path.replace(/^\/api/, '').replace(/\/(cmp|exp|vjob)_[A-Za-z0-9_]+/, '/{id}')}${status ? `?status=${status}` : ''}`;
}

async function counted<T>(
	sandbox: SandboxProcess,
	run: () => Promise<T>,
): Promise<{ result: T; total: number; byRoute: Record<string, number>; ms: number }> {
	await clearRequestLog(sandbox);
	const started = process.hrtime.bigint();
	const result = await run();
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	const log = (await requestLog(sandbox)).filter((entry) => entry.host === 'api');
	const byRoute: Record<string, number> = {};
	for (const entry of log) byRoute[routeOf(entry)] = (byRoute[routeOf(entry)] ?? 0) + 1;
	return { result, total: log.length, byRoute, ms };
}

async function countByStatus(
	sandbox: SandboxProcess,
	route: string,
	statuses: string[],
	exportsShape: boolean,
): Promise<number> {
	let total = 0;
	for (const status of statuses) {
		const body = await api<IDataObject>(sandbox, 'GET', `${route}?status=${status}&perPage=1`);
		const pagination = (exportsShape ? (body.data as IDataObject).pagination : body.pagination) as {
			totalCount: number;
		};
		total += pagination.totalCount;
	}
	return total;
}

/** Runs `fn` over 1..n with `width` requests in flight. */
async function inParallel(
	n: number,
	width: number,
	fn: (i: number) => Promise<void>,
): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: width }, async () => {
			while (next < n) await fn(++next);
		}),
	);
}

let titleCounter = 0;

async function createRunningCampaign(sandbox: SandboxProcess): Promise<string> {
	titleCounter++;
	const { campaign } = await api<{ campaign: { id: string } }>(sandbox, 'POST', '/campaigns', {
		type: 'INSTAGRAM_HASHTAG',
		inputs: { hashtag: `benchtrigger${titleCounter}` },
		targetEmails: 10_000,
	});
	return campaign.id;
}

let exportDay = 0;

/** A distinct export (new date range each time) of a small campaign; stays pending on the frozen clock. */
async function createRunningExport(sandbox: SandboxProcess): Promise<string> {
	exportDay++;
	const from = new Date(Date.UTC(2020, 0, 1) + exportDay * 86_400_000).toISOString().slice(0, 10);
	const { data } = await api<{ data: { exportId: string } }>(sandbox, 'POST', '/list-exports', {
		campaignId: 'cmp_large_00001',
		dateRange: { from },
	});
	return data.exportId;
}

export async function runTrigger(opts: {
	quick: boolean;
	runs: number;
	warmups: number;
	log: (line: string) => void;
}): Promise<TriggerResult> {
	const { log } = opts;
	useTriggerClass(ScravioTrigger);
	const sandbox = await startSandboxProcess({
		largeData: true,
		clockSpeed: 0,
		enforceRateLimits: false,
	});
	// TriggerUnderTest only reads apiUrl (credentials) from the sandbox it is given.
	const asSandbox = sandbox as unknown as Sandbox;
	const targets = [0, 10, 100];
	const rows: TriggerRow[] = [];
	const notes: string[] = [];
	try {
		await admin(sandbox, 'PATCH', `/accounts/${PRESETS.accounts.demo.id}`, {
			concurrentCampaignLimit: 100_000,
		});
		await admin(sandbox, 'POST', `/accounts/${PRESETS.accounts.demo.id}/credits`, {
			amount: 10_000_000,
		});
		// Every seeded campaign finishes: nothing runs.
		await admin(sandbox, 'POST', '/clock/advance', { ms: 6 * 3600_000 });
		const campaignTotal = (
			await api<{ pagination: { totalCount: number } }>(sandbox, 'GET', '/campaigns?perPage=1')
		).pagination.totalCount;

		// Exports: one per campaign, all completed.
		const exportCount = opts.quick ? 300 : 10_000;
		const t0 = Date.now();
		// A running clock while creating them, so that they do not all share one createdAt
		// (a frozen clock would put 10,000 exports at the same instant, which no workspace has).
		await admin(sandbox, 'PATCH', '/config', { clockSpeed: 1000 });
		await inParallel(exportCount, 8, async (i) => {
			await api(sandbox, 'POST', '/list-exports', {
				campaignId: `cmp_large_${String(i).padStart(5, '0')}`,
			});
		});
		await admin(sandbox, 'PATCH', '/config', { clockSpeed: 0 });
		await admin(sandbox, 'POST', '/clock/advance', { ms: 3600_000 });
		const exportTotal = (
			await api<{ data: { pagination: { totalCount: number } } }>(
				sandbox,
				'GET',
				'/list-exports?perPage=1',
			)
		).data.pagination.totalCount;
		log(
			`  ws_large: ${campaignTotal} campaigns; created ${exportTotal} completed exports in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
		);

		const events = [
			{
				event: 'campaignFinished' as const,
				parameters: {
					event: 'campaignFinished',
					campaignStatuses: ['fully_completed', 'failed', 'stopped'],
				},
				running: async () => await countByStatus(sandbox, '/campaigns', CAMPAIGN_RUNNING, false),
				start: async () => await createRunningCampaign(sandbox),
				finish: async (id: string) =>
					void (await admin(sandbox, 'POST', `/campaigns/${id}/outcome`, {
						status: 'fully_completed',
					})),
			},
			{
				event: 'exportReady' as const,
				parameters: { event: 'exportReady', exportStatuses: ['completed', 'failed'] },
				running: async () => await countByStatus(sandbox, '/list-exports', EXPORT_RUNNING, true),
				start: async () => await createRunningExport(sandbox),
				// The admin route can only fail an export; "failed" is among the statuses the trigger emits here.
				finish: async (id: string) =>
					void (await admin(sandbox, 'POST', `/exports/${id}/outcome`, { status: 'failed' })),
			},
		];

		for (const spec of events) {
			const trigger = new TriggerUnderTest(asSandbox, spec.parameters, WS_LARGE);
			await trigger.poll(); // activation with nothing running
			const started: string[] = [];
			for (const target of targets) {
				while (started.length < target) started.push(await spec.start());
				const running = await spec.running();
				if (running !== target)
					throw new Error(`${spec.event}: ${running} running, expected ${target}`);
				// Activation cost with this many running: a new trigger's first poll.
				const activation = await counted(
					sandbox,
					async () => await new TriggerUnderTest(asSandbox, spec.parameters, WS_LARGE).poll(),
				);
				await trigger.poll(); // picks up the new ones (not measured)
				const times: number[] = [];
				let idle = { total: 0, byRoute: {} as Record<string, number> };
				for (let round = 0; round < opts.warmups + opts.runs; round++) {
					const poll = await counted(sandbox, async () => await trigger.poll());
					if (poll.result.length !== 0)
						throw new Error(`${spec.event}: an idle poll emitted ${poll.result.length} events`);
					if (round >= opts.warmups) times.push(poll.ms);
					idle = poll;
				}
				let finishing: { total: number; emitted: number; ms: number } | null = null;
				if (target > 0) {
					const ending = started.splice(0, 10);
					for (const id of ending) await spec.finish(id);
					const poll = await counted(sandbox, async () => await trigger.poll());
					if (poll.result.length !== ending.length)
						throw new Error(
							`${spec.event}: ${poll.result.length} events for ${ending.length} finished`,
						);
					finishing = { total: poll.total, emitted: poll.result.length, ms: poll.ms };
				}
				const row: TriggerRow = {
					event: spec.event,
					running: target,
					activationRequests: activation.total,
					idleRequests: idle.total,
					idleByRoute: idle.byRoute,
					idleMs: summarize(times),
					finishingRequests: finishing?.total ?? null,
					finishingEmitted: finishing?.emitted ?? null,
					finishingMs: finishing?.ms ?? null,
				};
				rows.push(row);
				log(
					`  ${spec.event.padEnd(16)} running=${String(target).padStart(3)}  idle poll: ${row.idleRequests} requests, ${row.idleMs.median.toFixed(1)} ms ${JSON.stringify(row.idleByRoute)}` +
						`${finishing ? `; 10 finishing: ${finishing.total} requests (${finishing.emitted} emitted)` : ''}; activation ${row.activationRequests} requests`,
				);
			}
		}
		notes.push(
			'Idle poll = nothing new since the last poll. With few tracked objects the trigger asks each one (GET /{id}); with more than the number of running statuses it lists each running status instead, newest first, down to the oldest tracked object, so the count depends on the running objects (pages of 100), never on the finished ones in the workspace.',
			'The 10 finishing: campaigns ended as fully_completed, exports failed through the sandbox admin route (the only outcome it can force; the trigger here emits completed and failed).',
		);
		return { campaigns: campaignTotal, exports: exportTotal, rows, notes };
	} finally {
		await sandbox.close();
	}
}
