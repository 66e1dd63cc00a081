/**
 * REAL `n8n start` (2.40.7, the packed package) with two ACTIVE Scravio Trigger workflows, the
 * triggered-export example and a campaign workflow, stopped and killed between and during polls:
 *   1. a graceful restart between two polls: what finished while n8n was down is emitted after
 *      the restart, once (the example's id fits n8n's 21 characters, so its state was saved);
 *   2. `kill -9` in the middle of a poll (the poll is inside a slowed detail request): after the
 *      restart the event is emitted once, nothing is lost;
 *   3. a poll still running when n8n starts the next one (n8n does not wait): the next one sees
 *      the lease and emits nothing; each event is emitted once;
 *   4. `kill -9` while the execution an event started is still running (static data was saved
 *      when the event was emitted): n8n marks that execution crashed and keeps the event's item;
 *      the trigger does not emit it again. The measurements are printed at the end.
 * The sandbox clock is frozen: objects finish only when the test says so. Polls run every
 * minute (n8n's floor), so each step waits for a real poll in the sandbox's request log.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import {
	getExecution,
	getInstall,
	importWorkflow,
	listExecutions,
	login,
	publishWorkflow,
	removeN8nHome,
	setupOwner,
	startN8n,
	waitFor,
	type ExecutionSummary,
	type N8nHome,
	type N8nItem,
	type N8nRun,
	type N8nSession,
	type RunningN8n,
	type WorkflowJson,
} from '../../harness/n8n';
import { sandboxClient } from '../../harness/sandboxClient';
import { reportTiming } from './timing';
import {
	e2eTarball,
	importExample,
	loadExample,
	prepareHome,
	SANDBOX_CREDENTIAL_REF,
	TRIGGER_TYPE,
} from '../../harness/n8n/scravio';

const POLL_PERIOD_MS = 60_000;
const ONE_POLL_MS = POLL_PERIOD_MS + 30_000;
const EXPORT_WORKFLOW_ID = loadExample('triggered-export').id as string;

const CAMPAIGN_WORKFLOW: WorkflowJson = {
	id: 'e2eCampaignRestart',
	name: 'e2e: Scravio Trigger, campaign finished, slow run',
	nodes: [
		{
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				event: 'campaignFinished',
				campaignStatuses: ['fully_completed'],
			},
			id: 'b3c0d1e2-0000-4000-8000-000000000001',
			name: 'Campaign Finished',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			credentials: { scravioApi: SANDBOX_CREDENTIAL_REF },
		},
		{
			// Keeps each execution running for a while, so that n8n can be killed during one.
			parameters: { amount: 20, unit: 'seconds' },
			id: 'b3c0d1e2-0000-4000-8000-000000000002',
			name: 'Wait',
			type: 'n8n-nodes-base.wait',
			typeVersion: 1.1,
			position: [260, 0],
			webhookId: 'b3c0d1e2-0000-4000-8000-000000000003',
		},
	],
	connections: { 'Campaign Finished': { main: [[{ node: 'Wait', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
	active: false,
};

const install = getInstall(2);

describe(`n8n ${install.version}: the trigger across restarts and kill -9`, () => {
	reportTiming(`n8n ${install.version}: trigger restart and crash`);
	let sb: Sandbox;
	let home: N8nHome;
	let server: RunningN8n | undefined;
	let session: N8nSession;
	const measured: string[] = [];

	const detailRequests = async (path: string) =>
		(await sandboxClient(sb).requests()).filter((r) => r.path === path).length;
	const listPolls = async () => ({
		campaigns: (await sandboxClient(sb).requests({ operationId: 'listCampaigns' })).length,
		exports: (await sandboxClient(sb).requests({ operationId: 'listListExports' })).length,
	});
	/** Waits until both triggers have polled again (a real poll, seen in the sandbox's log). */
	const nextPollOfBoth = async () => {
		const before = await listPolls();
		await waitFor(
			async () => {
				const now = await listPolls();
				return now.campaigns > before.campaigns && now.exports > before.exports;
			},
			ONE_POLL_MS,
			1000,
		);
		await new Promise((r) => setTimeout(r, 5000)); // an execution that poll started is listed by now
	};
	const emittedIds = async (
		workflowId: string,
		nodeName: string,
		field: string,
	): Promise<Array<{ execution: ExecutionSummary; ids: string[] }>> => {
		const out: Array<{ execution: ExecutionSummary; ids: string[] }> = [];
		for (const execution of await listExecutions(session, workflowId)) {
			const full = await getExecution(session, install, execution.id).catch(() => undefined);
			const data = full?.data as
				| (N8nRun['data'] & {
						executionData?: {
							nodeExecutionStack?: Array<{ node: { name: string }; data: { main: N8nItem[][] } }>;
						};
				  })
				| undefined;
			const ran = data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? [];
			// An execution n8n found unfinished after a crash gets placeholder run data for the nodes
			// that had run ("amended"); the trigger's items are then only in the stack it started with.
			const stacked =
				data?.executionData?.nodeExecutionStack?.find((entry) => entry.node.name === nodeName)?.data
					?.main?.[0] ?? [];
			const items = [...ran, ...stacked].filter((item) => item?.json?.[field] !== undefined);
			out.push({ execution, ids: [...new Set(items.map((item) => String(item.json[field])))] });
		}
		return out;
	};
	const timesEmitted = async (workflowId: string, nodeName: string, field: string, id: string) =>
		(await emittedIds(workflowId, nodeName, field)).filter((e) => e.ids.includes(id)).length;

	const start = async (first = false) => {
		server = await startN8n(home);
		session = first ? await setupOwner(server) : await login(server);
	};
	const killHard = async () => {
		const child = server!.process;
		const gone = new Promise<void>((resolve) =>
			child.exitCode !== null || child.signalCode !== null
				? resolve()
				: child.once('exit', () => resolve()),
		);
		process.kill(-child.pid!, 'SIGKILL'); // n8n and its task runners, no chance to save anything
		await gone;
		await server!.stop(); // leftovers of the group, if any
		server = undefined;
	};

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, quiet: true, clockSpeed: 0 });
		await sandboxClient(sb).admin('PATCH', '/accounts/acct_demo', {
			concurrentCampaignLimit: 1000,
		});
		({ home } = await prepareHome(install, e2eTarball(), sb.apiUrl));
		await importExample(home, 'triggered-export');
		await importWorkflow(home, CAMPAIGN_WORKFLOW);
		await publishWorkflow(home, EXPORT_WORKFLOW_ID);
		await publishWorkflow(home, CAMPAIGN_WORKFLOW.id as string);
		await start(true);
		// Activation: each trigger takes its baseline (emits nothing); n8n saves it.
		await waitFor(async () => {
			const polls = await listPolls();
			return polls.campaigns >= 1 && polls.exports >= 1;
		}, 60_000);
		await new Promise((r) => setTimeout(r, 3000));
	});

	beforeEach(async () => {
		if (!server) await start(); // a test that failed halfway left n8n stopped
	});

	afterAll(async () => {
		if (server) {
			await server.stop();
			if (process.env.SCRAVIO_E2E_LOGS) process.stderr.write(server.logs());
		}
		if (home) await removeN8nHome(home);
		await sb?.close();
		if (measured.length)
			process.stderr.write(
				`\n[trigger restart/crash] ${measured.join('\n[trigger restart/crash] ')}\n`,
			);
	});

	test('a restart between two polls loses nothing: what finished while n8n was down is emitted after it, once', async () => {
		expect(await listExecutions(session, EXPORT_WORKFLOW_ID)).toEqual([]);
		const { campaign } = await sandboxClient(sb).data<{ campaign: { id: string } }>(
			'POST',
			'/campaigns',
			{
				type: 'INSTAGRAM_HASHTAG',
				title: 'e2e restart',
				inputs: { hashtag: 'restart' },
				targetEmails: 10_000,
			},
		);
		await nextPollOfBoth(); // the campaign is tracked as running (nothing to emit yet)

		await server!.stop();
		server = undefined;
		// While n8n is down: an export is created and completes, and the campaign finishes.
		const exported = await sandboxClient(sb).data<{ exportId: string }>('POST', '/list-exports', {
			campaignId: 'cmp_demo_hashtag',
			fileFormat: 'csv',
		});
		await sandboxClient(sb).admin('POST', `/campaigns/${campaign.id}/outcome`, {
			status: 'fully_completed',
		});
		await sandboxClient(sb).admin('POST', '/clock/advance', { ms: 120_000 });
		await start();

		await waitFor(
			async () =>
				(await timesEmitted(EXPORT_WORKFLOW_ID, 'Export Ready', 'exportId', exported.exportId)) >=
				1,
			ONE_POLL_MS,
			1000,
		);
		await waitFor(
			async () =>
				(await timesEmitted(
					CAMPAIGN_WORKFLOW.id as string,
					'Campaign Finished',
					'id',
					campaign.id,
				)) >= 1,
			ONE_POLL_MS,
			1000,
		);
		await nextPollOfBoth();
		expect(
			await timesEmitted(EXPORT_WORKFLOW_ID, 'Export Ready', 'exportId', exported.exportId),
		).toBe(1);
		expect(
			await timesEmitted(CAMPAIGN_WORKFLOW.id as string, 'Campaign Finished', 'id', campaign.id),
		).toBe(1);
		// The example emitted nothing else (no new baseline took what was there before as new).
		expect(
			(await emittedIds(EXPORT_WORKFLOW_ID, 'Export Ready', 'exportId')).flatMap((e) => e.ids),
		).toEqual([exported.exportId]);
	});

	test('a poll still running when n8n starts the next one: the next one emits nothing; the event is emitted once', async () => {
		const { campaign } = await sandboxClient(sb).data<{ campaign: { id: string } }>(
			'POST',
			'/campaigns',
			{
				type: 'INSTAGRAM_HASHTAG',
				title: 'e2e overlap',
				inputs: { hashtag: 'overlap' },
				targetEmails: 10_000,
			},
		);
		const other = await sandboxClient(sb).data<{ campaign: { id: string } }>('POST', '/campaigns', {
			type: 'INSTAGRAM_HASHTAG',
			title: 'e2e overlap 2',
			inputs: { hashtag: 'overlap2' },
			targetEmails: 10_000,
		});
		await nextPollOfBoth(); // both tracked as running
		for (const id of [campaign.id, other.campaign.id])
			await sandboxClient(sb).admin('POST', `/campaigns/${id}/outcome`, {
				status: 'fully_completed',
			});
		// The next poll hangs 75 s in one campaign's detail: n8n starts the following poll meanwhile.
		await sandboxClient(sb).admin('POST', '/faults', {
			method: 'GET',
			path: `/campaigns/${campaign.id}`,
			kind: 'latency',
			latencyMs: 75_000,
		});
		const path = `/api/campaigns/${campaign.id}`;
		const before = await detailRequests(path);
		await waitFor(async () => (await detailRequests(path)) > before, ONE_POLL_MS, 250);
		// n8n starts the next poll of the same trigger 60 s later, while the slow one still waits;
		// that poll sees the lease and reads nothing. The slow one then emits both campaigns.
		await waitFor(
			async () =>
				(await timesEmitted(
					CAMPAIGN_WORKFLOW.id as string,
					'Campaign Finished',
					'id',
					campaign.id,
				)) >= 1,
			2 * ONE_POLL_MS,
			1000,
		);
		await nextPollOfBoth();
		expect(
			await timesEmitted(CAMPAIGN_WORKFLOW.id as string, 'Campaign Finished', 'id', campaign.id),
		).toBe(1);
		expect(
			await timesEmitted(
				CAMPAIGN_WORKFLOW.id as string,
				'Campaign Finished',
				'id',
				other.campaign.id,
			),
		).toBe(1);
		const skipped = (
			server?.logs().match(/the previous poll is still running; this one is skipped/g) ?? []
		).length;
		measured.push(
			`overlapping polls: ${skipped} poll(s) skipped while the slow poll ran; each campaign emitted once`,
		);
		expect(skipped).toBeGreaterThanOrEqual(1);
	});

	test('kill -9 in the middle of a poll loses nothing and repeats nothing', async () => {
		const { campaign } = await sandboxClient(sb).data<{ campaign: { id: string } }>(
			'POST',
			'/campaigns',
			{
				type: 'INSTAGRAM_HASHTAG',
				title: 'e2e crash mid-poll',
				inputs: { hashtag: 'crashpoll' },
				targetEmails: 10_000,
			},
		);
		await nextPollOfBoth(); // tracked as running
		await sandboxClient(sb).admin('POST', `/campaigns/${campaign.id}/outcome`, {
			status: 'fully_completed',
		});
		// The next poll hangs inside this campaign's detail request: kill n8n right there.
		await sandboxClient(sb).admin('POST', '/faults', {
			method: 'GET',
			path: `/campaigns/${campaign.id}`,
			kind: 'latency',
			latencyMs: 120_000,
		});
		const path = `/api/campaigns/${campaign.id}`;
		const before = await detailRequests(path);
		await waitFor(async () => (await detailRequests(path)) > before, ONE_POLL_MS, 250);
		await killHard();
		await sandboxClient(sb).admin('DELETE', '/faults');

		await start();
		await waitFor(
			async () =>
				(await timesEmitted(
					CAMPAIGN_WORKFLOW.id as string,
					'Campaign Finished',
					'id',
					campaign.id,
				)) >= 1,
			ONE_POLL_MS,
			1000,
		);
		await nextPollOfBoth();
		expect(
			await timesEmitted(CAMPAIGN_WORKFLOW.id as string, 'Campaign Finished', 'id', campaign.id),
		).toBe(1);
		measured.push(
			`kill -9 inside a poll (before it emitted): after the restart the campaign was emitted once`,
		);
	});

	test('kill -9 while the execution an event started is running: measured (the event is in n8n, not emitted twice)', async () => {
		const { campaign } = await sandboxClient(sb).data<{ campaign: { id: string } }>(
			'POST',
			'/campaigns',
			{
				type: 'INSTAGRAM_HASHTAG',
				title: 'e2e crash mid-run',
				inputs: { hashtag: 'crashrun' },
				targetEmails: 10_000,
			},
		);
		await nextPollOfBoth();
		await sandboxClient(sb).admin('POST', `/campaigns/${campaign.id}/outcome`, {
			status: 'fully_completed',
		});
		// The poll emits it; its execution then waits 20 s in the Wait node: kill n8n during that wait.
		const known = new Set(
			(await listExecutions(session, CAMPAIGN_WORKFLOW.id as string)).map((e) => e.id),
		);
		const running = await waitFor(
			async () =>
				(await listExecutions(session, CAMPAIGN_WORKFLOW.id as string)).find(
					(e) => !known.has(e.id),
				),
			ONE_POLL_MS,
			200,
		);
		await new Promise((r) => setTimeout(r, 2000));
		const statusAtKill = (await listExecutions(session, CAMPAIGN_WORKFLOW.id as string)).find(
			(e) => e.id === running.id,
		)?.status;
		await killHard();

		await start();
		await nextPollOfBoth();
		await nextPollOfBoth();
		const withCampaign = await emittedIds(
			CAMPAIGN_WORKFLOW.id as string,
			'Campaign Finished',
			'id',
		);
		const holding = withCampaign.filter((e) => e.ids.includes(campaign.id));
		const crashed = await getExecution(session, install, running.id);
		const triggerRun =
			crashed.data.resultData.runData['Campaign Finished']?.[0]?.data?.main?.[0] ?? [];
		measured.push(
			`kill -9 during the run of the execution ${running.id} the poll started (status "${statusAtKill}" at the kill): after the restart it is ` +
				`"${crashed.status}", its trigger run data ${JSON.stringify(triggerRun.map((item) => item.json))} (n8n's recovery), ` +
				`the campaign's item kept in the stack it started with; executions holding the campaign: ${holding.map((e) => `${e.execution.id} (${e.execution.status})`).join(', ')}`,
		);
		// n8n marks it crashed and keeps the event's item (in the stack it started with); the trigger,
		// whose state n8n saved when the event was emitted, does not emit it again.
		expect(crashed.status).toBe('crashed');
		expect(holding.map((e) => e.execution.id)).toEqual([running.id]);
	});
});
