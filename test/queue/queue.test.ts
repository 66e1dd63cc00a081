/**
 * The packed package in n8n 2.40.7 QUEUE MODE: PostgreSQL + Redis + one main + two workers,
 * started here from the repository's files and stopped at the end (also on failure).
 *
 * - the examples run on workers, started by production webhooks (the worker logs name each one);
 * - binary data in `database` mode: a file downloaded before a Wait node is read after it by the
 *   OTHER worker (the first one is stopped while the execution waits);
 * - load: LOAD_EXECUTIONS lead pipelines enqueued at once all succeed, and the sandbox's ledger
 *   shows exactly one campaign reservation per execution;
 * - the Scravio Trigger polls on main, its executions run on workers, and every finished campaign
 *   is emitted exactly once across a restart of main (its state is in PostgreSQL);
 * - a worker stopped in the middle of "Wait for Completion": SIGTERM with n8n's default 30 s
 *   grace, SIGTERM with a grace longer than the campaign, and kill -9. What happens is measured
 *   and written to test/queue/last-run.json (and printed).
 *
 * Queue timing settings for CI (lock 20 s, stalled check every 10 s instead of 60 s / 30 s) make a
 * dead worker's job fail sooner; they change when, not whether. See test/queue/NOTES.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { getExecution, rest, waitFor, type WorkflowJson } from '../../harness/n8n';
import { sandboxClient } from '../../harness/sandboxClient';
import { loadExample, SANDBOX_CREDENTIAL_REF, TRIGGER_TYPE } from '../../harness/n8n/scravio';
import { startCluster, withWebhookTrigger, type Cluster } from '../../harness/queue/cluster';
import {
	executionRows,
	LEAD_PIPELINE_ID,
	LEAD_PIPELINE_PATH,
	leadPipelineWorkflow,
	liftSandboxLimits,
	postWebhook,
	reservations,
	waitForExecution,
	waitForFinished,
	waitForWebhook,
} from '../../harness/queue/pipelines';

/** Lead pipelines enqueued at once in the load test (the benchmark runs 200: npm run bench -- --only=queue). */
const LOAD_EXECUTIONS = Number(process.env.SCRAVIO_QUEUE_LOAD ?? 40);

const tarball = () => {
	const t = process.env.SCRAVIO_E2E_TARBALL;
	if (!t) throw new Error('SCRAVIO_E2E_TARBALL is not set: run with jest -c jest.queue.config.js');
	return t;
};

const VALIDATE_LIST_ID = 'qValidateList';
const VALIDATE_LIST_PATH = 'scravio-validate-list';
/** The triggered-export example's own id (it must fit n8n's 21 characters for static data). */
const EXPORT_TRIGGER_ID = String(loadExample('triggered-export').id);
const CAMPAIGN_TRIGGER_ID = 'qCampaignFinished';
const BINARY_WAIT_ID = 'qBinaryWait';
const BINARY_WAIT_PATH = 'scravio-binary-wait';
/** Above 65 s n8n parks the execution in the database and main re-enqueues it when due. */
const WAIT_SECONDS = 66;

const CAMPAIGN_TRIGGER: WorkflowJson = {
	id: CAMPAIGN_TRIGGER_ID,
	name: 'queue: Scravio Trigger, campaign finished',
	nodes: [
		{
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'campaignFinished' },
			id: 'b3c0d1e2-0000-4000-8000-000000000001',
			name: 'Campaign Finished',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			credentials: { scravioApi: SANDBOX_CREDENTIAL_REF },
		},
	],
	connections: {},
	settings: { executionOrder: 'v1' },
	active: false,
};

/** Webhook → Scravio export Create and Download → Wait 66 s (parked in the DB) → Extract From File. */
const BINARY_WAIT: WorkflowJson = {
	id: BINARY_WAIT_ID,
	name: 'queue: download, wait, extract',
	nodes: [
		{
			parameters: {
				httpMethod: 'POST',
				path: BINARY_WAIT_PATH,
				responseMode: 'onReceived',
				options: {},
			},
			id: 'b3c0d1e2-0000-4000-8000-000000000011',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: `${BINARY_WAIT_PATH}-hook`,
		},
		{
			parameters: {
				resource: 'export',
				operation: 'createAndDownload',
				campaignId: { __rl: true, mode: 'id', value: 'cmp_demo_hashtag' },
				fileFormat: 'csv',
				options: {},
			},
			id: 'b3c0d1e2-0000-4000-8000-000000000012',
			name: 'Download',
			type: 'n8n-nodes-scravio.scravio',
			typeVersion: 1,
			position: [200, 0],
			credentials: { scravioApi: SANDBOX_CREDENTIAL_REF },
		},
		{
			parameters: { amount: WAIT_SECONDS, unit: 'seconds' },
			id: 'b3c0d1e2-0000-4000-8000-000000000013',
			name: 'Wait',
			type: 'n8n-nodes-base.wait',
			typeVersion: 1.1,
			position: [400, 0],
			webhookId: `${BINARY_WAIT_PATH}-wait`,
		},
		{
			parameters: { operation: 'csv', binaryPropertyName: 'data', options: {} },
			id: 'b3c0d1e2-0000-4000-8000-000000000014',
			name: 'Extract',
			type: 'n8n-nodes-base.extractFromFile',
			typeVersion: 1,
			position: [600, 0],
		},
	],
	connections: {
		Webhook: { main: [[{ node: 'Download', type: 'main', index: 0 }]] },
		Download: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] },
		Wait: { main: [[{ node: 'Extract', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
	active: false,
};

/** Items a node output in an execution (read through main's REST API). */
async function outputOf(cluster: Cluster, executionId: string, node: string) {
	const e = await getExecution(cluster.session, cluster.install, executionId);
	const runs = e.data.resultData.runData[node];
	return { execution: e, items: runs?.[runs.length - 1]?.data?.main?.[0] ?? [] };
}

const measured: Record<string, unknown> = {};
const report = (key: string, value: unknown) => {
	measured[key] = value;
	process.stderr.write(`[queue] ${key}: ${JSON.stringify(value)}\n`);
};

describe('n8n 2.40.7 in queue mode (PostgreSQL, Redis, main + 2 workers)', () => {
	let sb: Sandbox;
	let cluster: Cluster;
	const t0 = Date.now();

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, quiet: true, clockSpeed: 20 });
		// Many campaigns at once: lift the plan's concurrent-campaign limit and the per-hour export
		// limit (this test is about the queue, not about Scravio's limits).
		await liftSandboxLimits(sb);
		const t = Date.now();
		cluster = await startCluster({
			tarball: tarball(),
			sandboxApiUrl: sb.apiUrl,
			concurrency: 10,
			env: {
				QUEUE_WORKER_LOCK_DURATION: '20000',
				QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
				QUEUE_WORKER_STALLED_INTERVAL: '10000',
			},
			workflows: [
				leadPipelineWorkflow(),
				withWebhookTrigger(loadExample('validate-list'), VALIDATE_LIST_PATH, {
					id: VALIDATE_LIST_ID,
				}),
				loadExample('triggered-export'),
				CAMPAIGN_TRIGGER,
				BINARY_WAIT,
			],
			publish: [
				LEAD_PIPELINE_ID,
				VALIDATE_LIST_ID,
				EXPORT_TRIGGER_ID,
				CAMPAIGN_TRIGGER_ID,
				BINARY_WAIT_ID,
			],
		});
		report('clusterStartSeconds', Math.round((Date.now() - t) / 1000));
		await waitForWebhook(cluster, LEAD_PIPELINE_PATH);
	});

	afterAll(async () => {
		report('memoryMB', cluster?.memory());
		if (process.env.SCRAVIO_QUEUE_LOGS && cluster) {
			process.stderr.write(`--- main ---\n${cluster.main.logs()}\n`);
			for (const w of cluster.workers) process.stderr.write(`--- ${w.name} ---\n${w.logs()}\n`);
		}
		await cluster?.stop();
		await sb?.close();
		report('totalSeconds', Math.round((Date.now() - t0) / 1000));
		fs.writeFileSync(
			path.join(__dirname, 'last-run.json'),
			`${JSON.stringify(measured, null, 2)}\n`,
		);
	});

	let binaryWaitId: string;

	test('the examples run on the workers, started by webhooks (the worker logs name each execution)', async () => {
		await postWebhook(cluster, BINARY_WAIT_PATH); // checked in the next test
		await Promise.all([
			...Array.from({ length: 4 }, () => postWebhook(cluster, LEAD_PIPELINE_PATH)),
			...Array.from({ length: 2 }, () => postWebhook(cluster, VALIDATE_LIST_PATH)),
		]);
		const lead = await waitForFinished(cluster, LEAD_PIPELINE_ID, 4, 300_000);
		const validate = await waitForFinished(cluster, VALIDATE_LIST_ID, 2, 300_000);
		const byWorker: Record<string, string[]> = {};
		for (const run of [...lead, ...validate]) {
			expect(run).toMatchObject({ mode: 'webhook', status: 'success', finished: true });
			expect(cluster.enqueuedByMain(run.id)).toBe(true);
			const worker = cluster.workerOf(run.id);
			expect(worker).toBeDefined();
			(byWorker[worker!.name] ??= []).push(run.id);
		}
		// Which worker takes which job is up to Redis; the load test below requires both to take some.
		report('examplesByWorker', byWorker);
		expect(cluster.main.logs()).not.toMatch(/Unrecognized node type/);

		// The lead pipeline's output: a CSV of valid e-mails turned into rows, for a real campaign.
		const { items: rows } = await outputOf(cluster, lead[0].id, 'CSV to Rows');
		const { items: created } = await outputOf(cluster, lead[0].id, 'Create Campaign and Wait');
		expect(created[0].json).toMatchObject({ status: 'fully_completed', type: 'INSTAGRAM_HASHTAG' });
		expect(rows.length).toBeGreaterThan(0);
		expect(Object.keys(rows[0].json)).toContain('email');
		const { items: validated } = await outputOf(cluster, validate[0].id, 'Validate All Emails');
		expect(validated).toHaveLength(6);

		binaryWaitId = (await waitFor(async () => executionRows(cluster, BINARY_WAIT_ID)[0], 60_000))
			.id;
	});

	test('binary data in database mode: the file downloaded before a 66 s Wait is read after it by the other worker', async () => {
		const parked = await waitFor(
			async () => executionRows(cluster, BINARY_WAIT_ID).find((r) => r.status === 'waiting'),
			120_000,
		);
		expect(parked.id).toBe(binaryWaitId);
		const first = cluster.workerOf(binaryWaitId);
		expect(first).toBeDefined();
		// Stop the worker that downloaded the file: the resume can only run on the other one.
		await first!.proc.stop();
		const [done] = await waitForFinished(cluster, BINARY_WAIT_ID, 1, 240_000);
		const ranOn = cluster.workersOf(binaryWaitId).map((w) => w.name);
		report('binaryWait', {
			executionId: binaryWaitId,
			firstWorker: first!.name,
			ranOn,
			status: done.status,
		});
		expect(done.status).toBe('success');
		expect(ranOn).toHaveLength(2);
		const { items: downloaded } = await outputOf(cluster, binaryWaitId, 'Download');
		const { items: rows } = await outputOf(cluster, binaryWaitId, 'Extract');
		const exportInfo = downloaded[0].json as { totalRecords: number; exportId: string };
		expect(rows).toHaveLength(exportInfo.totalRecords);
		expect(rows[0].json).toHaveProperty('username');
		// The file lives in PostgreSQL (binary_data table), not in a worker's folder.
		const [[binaryRows]] = cluster.postgres.query('SELECT count(*) FROM binary_data');
		expect(Number(binaryRows)).toBeGreaterThan(0);
		await cluster.restartWorker(first!.index);
	});

	test(`load: ${LOAD_EXECUTIONS} lead pipelines enqueued at once all succeed on both workers, one campaign reservation each`, async () => {
		const before = reservations(sb).length;
		const already = executionRows(cluster, LEAD_PIPELINE_ID).length;
		const t = Date.now();
		await Promise.all(
			Array.from({ length: LOAD_EXECUTIONS }, () => postWebhook(cluster, LEAD_PIPELINE_PATH)),
		);
		const enqueuedMs = Date.now() - t;
		const rows = (
			await waitForFinished(cluster, LEAD_PIPELINE_ID, already + LOAD_EXECUTIONS, 540_000)
		).slice(already);
		const seconds = (Date.now() - t) / 1000;
		expect(rows).toHaveLength(LOAD_EXECUTIONS);
		expect(rows.filter((r) => r.status !== 'success')).toEqual([]);
		const perWorker: Record<string, number> = {};
		for (const r of rows) {
			const w = cluster.workerOf(r.id);
			expect(w).toBeDefined();
			perWorker[w!.name] = (perWorker[w!.name] ?? 0) + 1;
		}
		expect(Object.keys(perWorker).sort()).toEqual(['worker-0', 'worker-1']);
		const newReservations = reservations(sb).slice(before);
		expect(newReservations).toHaveLength(LOAD_EXECUTIONS);
		const reservedIds = newReservations.map((e) => e.campaignId);
		expect(new Set(reservedIds).size).toBe(LOAD_EXECUTIONS);
		// Each execution's output names its own campaign: the same set, none lost, none twice.
		const outputIds: string[] = [];
		for (const r of rows) {
			const { items } = await outputOf(cluster, r.id, 'Create Campaign and Wait');
			expect(items).toHaveLength(1);
			outputIds.push(String(items[0].json.id));
		}
		expect(outputIds.sort()).toEqual([...reservedIds].sort());
		report('load', {
			executions: LOAD_EXECUTIONS,
			enqueueSeconds: enqueuedMs / 1000,
			seconds,
			perMinute: Math.round((LOAD_EXECUTIONS / seconds) * 60),
			perWorker,
			memoryMB: cluster.memory(),
		});
	});

	test('the trigger polls on main, its executions run on workers, each finished campaign is emitted once across a restart of main', async () => {
		// Every campaign this run created so far (all finished: their executions succeeded).
		const finishedBefore = reservations(sb).map((r) => r.campaignId!);
		const emitted = async () => {
			const ids: string[] = [];
			for (const r of executionRows(cluster, CAMPAIGN_TRIGGER_ID)) {
				if (r.status !== 'success') continue;
				const { items } = await outputOf(cluster, r.id, 'Campaign Finished');
				for (const item of items) ids.push(String(item.json.id));
			}
			return ids;
		};
		// Every campaign created so far has finished: wait for the poll that emits them.
		await waitFor(
			async () => {
				const ids = await emitted();
				return finishedBefore.every((id) => ids.includes(id)) || undefined;
			},
			200_000,
			5000,
		);

		await cluster.restartMain();
		const created: string[] = [];
		for (let i = 0; i < 3; i++) {
			const { campaign } = await sandboxClient(sb).data<{ campaign: { id: string } }>(
				'POST',
				'/campaigns',
				{
					type: 'INSTAGRAM_HASHTAG',
					title: `queue trigger ${i}`,
					inputs: { hashtags: ['espresso'] },
					targetEmails: 20,
				},
			);
			created.push(campaign.id);
		}
		const ids = await waitFor(
			async () => {
				const list = await emitted();
				return created.every((id) => list.includes(id)) ? list : undefined;
			},
			200_000,
			5000,
		);
		const counts = new Map<string, number>();
		for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
		expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
		for (const id of [...finishedBefore, ...created]) expect(counts.get(id)).toBe(1);

		const runs = executionRows(cluster, CAMPAIGN_TRIGGER_ID);
		for (const r of runs) {
			expect(r.mode).toBe('trigger');
			expect(cluster.workerOf(r.id)).toBeDefined();
		}
		// The export trigger's executions (file downloaded by the poll on main, read by Extract From File on a worker).
		const exportRuns = executionRows(cluster, EXPORT_TRIGGER_ID);
		expect(exportRuns.length).toBeGreaterThan(0);
		for (const r of exportRuns) {
			expect(r.status).toBe('success');
			expect(cluster.workerOf(r.id)).toBeDefined();
		}
		report('trigger', {
			campaignsEmitted: ids.length,
			triggerExecutions: runs.length,
			exportTriggerExecutions: exportRuns.length,
			mainRestarted: true,
		});
	});

	/**
	 * Starts one lead pipeline with the sandbox clock frozen (the campaign stays running), waits
	 * until a worker is in Wait for Completion, and returns the execution, its worker and campaign.
	 */
	const startStuckPipeline = async () => {
		const before = reservations(sb).length;
		const already = executionRows(cluster, LEAD_PIPELINE_ID).length;
		await sandboxClient(sb).admin('PATCH', '/config', { clockSpeed: 0 });
		await postWebhook(cluster, LEAD_PIPELINE_PATH);
		const row = await waitFor(
			async () => executionRows(cluster, LEAD_PIPELINE_ID)[already],
			60_000,
		);
		const worker = await waitFor(async () => cluster.workerOf(row.id), 60_000);
		const reservation = await waitFor(async () => reservations(sb)[before], 60_000);
		await new Promise((r) => setTimeout(r, 3000)); // a few status checks of the wait loop
		return { executionId: row.id, worker, campaignId: reservation.campaignId!, before };
	};

	/** What a user does next: Retry in the executions list (POST /rest/executions/<id>/retry). */
	const retryExecution = async (executionId: string) => {
		let answer: unknown;
		try {
			// n8n answers when the retry has finished. In queue mode its answer carries no run data
			// (main builds it from the worker's job result), so what ran is read from the record below.
			const r = await rest<{ id: string; mode: string; status: string }>(
				cluster.session,
				'POST',
				`/rest/executions/${executionId}/retry`,
				{ loadWorkflow: false },
			);
			answer = { id: r.id, mode: r.mode, status: r.status };
		} catch (error) {
			answer = { refused: String(error).slice(0, 300) };
		}
		await new Promise((r) => setTimeout(r, 20_000)); // a re-run campaign would be reserved by now
		const retried = executionRows(cluster, LEAD_PIPELINE_ID).filter(
			(r) => r.retryOf === executionId,
		);
		const records = [];
		for (const r of retried) records.push({ id: r.id, ...(await describeOutcome(r.id)) });
		return { retry: { answer, records }, retried };
	};

	/** An execution's record as n8n keeps it: status, error, the nodes with data, and the nodes still
	 *  on its execution stack (what n8n's Retry runs: `execution.service.ts` `retry` resumes from it). */
	const describeOutcome = async (executionId: string) => {
		const e = await getExecution(cluster.session, cluster.install, executionId);
		const error = e.data.resultData.error as { message?: string; description?: string } | undefined;
		const stack =
			(e.data as { executionData?: { nodeExecutionStack?: Array<{ node: { name: string } }> } })
				.executionData?.nodeExecutionStack ?? [];
		return {
			status: e.status,
			error: error?.message,
			nodesWithData: Object.keys(e.data.resultData.runData ?? {}),
			nodesToRun: stack.map((entry) => entry.node.name),
		};
	};

	/** What the workers logged for charging requests: `Scravio: campaign <id> created ... execution N)`. */
	const createdLines = () =>
		cluster.workers.flatMap((w) =>
			w
				.logs()
				.split('\n')
				.filter((line) => /Scravio: campaign \S+ created/.test(line))
				.map((line) => line.replace(/^.*(Scravio: )/, '$1').trim()),
		);
	const createdLine = (campaignId: string, executionId: string) =>
		`Scravio: campaign ${campaignId} created for item 0 (node "Create Campaign and Wait", execution ${executionId})`;

	/** Campaigns whose execution ended without their result (Stop, SIGTERM after 30 s, kill -9). */
	const orphaned: string[] = [];

	test("Stop from n8n (the editor's Stop button) during Wait for Completion on a worker, then n8n's Retry: measured", async () => {
		const stuck = await startStuckPipeline();
		const t = Date.now();
		let stopAnswer: unknown;
		try {
			stopAnswer = await rest(
				cluster.session,
				'POST',
				`/rest/executions/${stuck.executionId}/stop`,
			);
		} catch (error) {
			stopAnswer = { refused: String(error).slice(0, 300) };
		}
		const row = await waitForExecution(cluster, stuck.executionId, 120_000);
		await new Promise((r) => setTimeout(r, 3000)); // main's and the worker's writes of the record have both landed
		const outcome = await describeOutcome(stuck.executionId);
		await sandboxClient(sb).admin('PATCH', '/config', { clockSpeed: 20 });
		// The stop reaches the worker as a cancel: our wait loop sees the aborted signal and throws
		// its error naming the campaign (wait.ts). Whether n8n keeps that error is measured.
		const ourError = `Stopped waiting for the campaign ${stuck.campaignId}: the execution was cancelled`;
		const { retry, retried } = await retryExecution(stuck.executionId);
		const added = reservations(sb)
			.slice(stuck.before)
			.map((r) => r.campaignId!);
		report('stopFromN8n', {
			executionId: stuck.executionId,
			campaignId: stuck.campaignId,
			stopAnswer,
			seconds: (Date.now() - t) / 1000,
			record: row,
			outcome,
			campaignNamedInExecution: JSON.stringify(outcome).includes(stuck.campaignId),
			ourErrorInWorkerLog: stuck.worker.logs().includes(ourError),
			retry,
			retriedExecutions: retried,
			campaignsReserved: added,
			workerLogCreated: createdLines().filter((line) => added.some((id) => line.includes(id))),
		});
		expect(row.status).toBe('canceled');
		expect(stuck.worker.logs()).toContain(createdLine(stuck.campaignId, stuck.executionId));
		expect(retried).toHaveLength(1);
		const retryId = retried[0].id;
		// Main writes the canceled record from the copy it read BEFORE asking the worker to stop (the
		// one enqueued: the trigger on the stack, no node data, no node context); the worker writes its
		// own (the trigger's data, an empty stack, our charge record in the context). Whichever lands
		// last is what Retry resumes from. A third record has been seen too (1 run in about 10): the
		// worker's, with the stopped node put back on the stack beside its data and its context.
		// Each is asserted exactly.
		if (outcome.nodesToRun.length > 0 && outcome.nodesWithData.length === 0) {
			// Main's copy: Retry runs the workflow again from its trigger. The charge record of the
			// stopped execution is not in that copy, so Campaign Create sends POST /campaigns again: a
			// NEW campaign, created and paid for by the retry execution.
			expect(outcome.nodesWithData).toEqual([]);
			expect(added).toHaveLength(2);
			expect(added[0]).toBe(stuck.campaignId);
			const second = added[1];
			expect(second).not.toBe(stuck.campaignId);
			expect(createdLines()).toContain(createdLine(second, retryId));
			expect(createdLines().filter((line) => line.includes(stuck.campaignId))).toEqual([
				createdLine(stuck.campaignId, stuck.executionId),
			]);
			const { items, execution } = await outputOf(cluster, retryId, 'Create Campaign and Wait');
			expect(items[0].json).toMatchObject({ id: second, status: 'fully_completed' });
			// ... and n8n shows that retry as failed: it keeps the stopped execution's error.
			expect(execution.status).toBe('error');
			expect((execution.data.resultData.error as { message?: string }).message).toBe(
				'The execution was cancelled manually',
			);
		} else if (outcome.nodesToRun.length > 0) {
			// The worker's copy with Create Campaign and Wait back on the stack: Retry runs that node
			// again with the stopped execution's node context, where our charge record says the
			// campaign was created. No second POST: it waits for the same campaign and outputs it.
			expect(outcome.nodesToRun).toEqual(['Create Campaign and Wait']);
			expect(outcome.nodesWithData).toContain('Create Campaign and Wait');
			expect(added).toEqual([stuck.campaignId]);
			const { items } = await outputOf(cluster, retryId, 'Create Campaign and Wait');
			expect(items[0].json).toMatchObject({ id: stuck.campaignId, status: 'fully_completed' });
		} else {
			// The worker's copy: nothing left to run; Retry runs no node and charges nothing.
			expect(added).toEqual([stuck.campaignId]);
			expect(retry.records[0].nodesWithData).toEqual(outcome.nodesWithData);
		}
		// The stopped execution's campaign: the trigger must deliver it (last test).
		orphaned.push(stuck.campaignId);
	});

	test('SIGTERM to a worker in Wait for Completion with the default 30 s grace: measured', async () => {
		const stuck = await startStuckPipeline();
		const logStart = stuck.worker.logs().length;
		const t = Date.now();
		stuck.worker.proc.signal('SIGTERM');
		const exit = await stuck.worker.proc.exited;
		const exitSeconds = (Date.now() - t) / 1000;
		const row = await waitForExecution(cluster, stuck.executionId, 180_000);
		const outcomeSeconds = (Date.now() - t) / 1000;
		const outcome = await describeOutcome(stuck.executionId);
		await sandboxClient(sb).admin('PATCH', '/config', { clockSpeed: 20 });
		const workerLog = stuck.worker.logs().slice(logStart);
		report('sigterm30', {
			executionId: stuck.executionId,
			campaignId: stuck.campaignId,
			exit,
			exitSeconds,
			outcomeSeconds,
			record: row,
			outcome,
			campaignNamedInExecution: JSON.stringify(outcome).includes(stuck.campaignId),
			abortedOurWait: /Stopped waiting for the campaign/.test(workerLog),
			workerLog: [
				...new Set(
					workerLog
						.split('\n')
						.filter((l) =>
							/Received SIGTERM|Waiting for|exited after|Shutdown timed out|Stopping worker/.test(
								l,
							),
						),
				),
			],
		});
		// What users rely on: the worker does go away within the grace period (plus margin), the
		// execution ends (it does not hang as "running"), and n8n does not run it again by itself:
		// still exactly one reservation for it.
		expect(exitSeconds).toBeLessThan(60);
		expect(stuck.worker.logs()).toContain(
			`Scravio: campaign ${stuck.campaignId} created for item 0`,
		);
		expect(row.status).not.toBe('success');
		await new Promise((r) => setTimeout(r, 15_000));
		expect(reservations(sb).length).toBe(stuck.before + 1);
		expect(
			executionRows(cluster, LEAD_PIPELINE_ID).filter((r) => r.retryOf === stuck.executionId),
		).toEqual([]);
		orphaned.push(stuck.campaignId);
		await cluster.restartWorker(stuck.worker.index);
	});

	test('SIGTERM with N8N_GRACEFUL_SHUTDOWN_TIMEOUT longer than the campaign: the execution finishes and nothing is lost', async () => {
		// Give both workers a long grace (the README's advice), then stop the busy one mid-wait.
		for (const w of cluster.workers)
			await cluster.restartWorker(w.index, { N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '600' });
		const stuck = await startStuckPipeline();
		const t = Date.now();
		stuck.worker.proc.signal('SIGTERM');
		await new Promise((r) => setTimeout(r, 10_000));
		expect(stuck.worker.proc.process.exitCode).toBeNull(); // still draining: it finishes its job first
		await sandboxClient(sb).admin('PATCH', '/config', { clockSpeed: 20 }); // the campaign can finish now
		const exit = await stuck.worker.proc.exited;
		const exitSeconds = (Date.now() - t) / 1000;
		const row = await waitForExecution(cluster, stuck.executionId, 180_000);
		report('sigtermLongGrace', {
			executionId: stuck.executionId,
			campaignId: stuck.campaignId,
			exit,
			exitSeconds,
			status: row.status,
		});
		expect(row.status).toBe('success');
		expect(exit.code).toBe(0);
		const { items } = await outputOf(cluster, stuck.executionId, 'Create Campaign and Wait');
		expect(items[0].json).toMatchObject({ id: stuck.campaignId, status: 'fully_completed' });
		expect(reservations(sb).length).toBe(stuck.before + 1);
		await cluster.restartWorker(stuck.worker.index, { N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '600' });
	});

	test('kill -9 of a worker in Wait for Completion: measured, and a retry of that execution', async () => {
		const stuck = await startStuckPipeline();
		const t = Date.now();
		stuck.worker.proc.signal('SIGKILL');
		const exit = await stuck.worker.proc.exited;
		await stuck.worker.proc.stop(); // its task runner, too
		const row = await waitForExecution(cluster, stuck.executionId, 240_000);
		const outcomeSeconds = (Date.now() - t) / 1000;
		const outcome = await describeOutcome(stuck.executionId);
		await new Promise((r) => setTimeout(r, 15_000));
		const reservationsAfterKill = reservations(sb).length - stuck.before;

		await sandboxClient(sb).admin('PATCH', '/config', { clockSpeed: 20 });
		const { retry, retried } = await retryExecution(stuck.executionId);
		report('kill9', {
			executionId: stuck.executionId,
			campaignId: stuck.campaignId,
			exit,
			outcomeSeconds,
			record: row,
			outcome,
			campaignNamedInExecution: JSON.stringify(outcome).includes(stuck.campaignId),
			reservationsAfterKill,
			retry,
			retriedExecutions: retried,
			reservationsAfterRetry: reservations(sb).length - stuck.before,
		});
		expect(row.status).not.toBe('success');
		expect(row.status).not.toBe('running');
		expect(reservationsAfterKill).toBe(1); // n8n did not run it again by itself
		// n8n kept no data of the killed execution; the worker's log names the campaign it paid for.
		expect(stuck.worker.logs()).toContain(
			`Scravio: campaign ${stuck.campaignId} created for item 0`,
		);
		// n8n's Retry of such an execution runs no node again (its record holds no run data): no second charge.
		expect(retried).toHaveLength(1);
		expect(reservations(sb).length - stuck.before).toBe(1);
		orphaned.push(stuck.campaignId);
		await cluster.restartWorker(stuck.worker.index);
	});

	test('the campaigns of the stopped executions are not lost: the Scravio Trigger (Campaign Finished) delivers each once', async () => {
		// The pattern the README recommends for long campaigns: whatever happened to the execution
		// that created a campaign, the trigger emits it when it finishes, exactly once.
		expect(orphaned).toHaveLength(3);
		const emittedIds = async () => {
			const ids: string[] = [];
			for (const r of executionRows(cluster, CAMPAIGN_TRIGGER_ID).filter(
				(x) => x.status === 'success',
			)) {
				const { items } = await outputOf(cluster, r.id, 'Campaign Finished');
				for (const item of items) ids.push(String(item.json.id));
			}
			return ids;
		};
		const ids = await waitFor(
			async () => {
				const list = await emittedIds();
				return orphaned.every((id) => list.includes(id)) ? list : undefined;
			},
			200_000,
			5000,
		);
		for (const id of orphaned) expect(ids.filter((x) => x === id)).toHaveLength(1);
		report('orphanedDeliveredByTrigger', orphaned);
	});
});
