/**
 * The Scravio Trigger through n8n's real poll machinery (PollContext + PollTriggerExecutor, see
 * harness/engine/) against the sandbox over HTTP. The sandbox clock is frozen: sandbox time
 * moves only when a test advances it, so "finishes between two polls" is exact.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import {
	PRESETS,
	TriggerUnderTest,
	addFault,
	admin,
	advance,
	allowManyRunningCampaigns,
	api,
	clearFaults,
	clearRequestLog,
	createCampaign,
	createExport,
	createValidationJob,
	endCampaign,
	idsOf,
	requestLog,
	snapshot,
	startFrozenSandbox,
} from './support';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startFrozenSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	await admin(sandbox, 'POST', '/reset');
	await allowManyRunningCampaigns(sandbox);
});

const campaignTrigger = (extra: IDataObject = {}) =>
	new TriggerUnderTest(sandbox, { event: 'campaignFinished', ...extra });
const exportTrigger = (extra: IDataObject = {}) =>
	new TriggerUnderTest(sandbox, { event: 'exportReady', ...extra });
const jobTrigger = (extra: IDataObject = {}) =>
	new TriggerUnderTest(sandbox, { event: 'validationJobFinished', ...extra });

/** Long enough for a 10-email campaign (~1 min), an export and a small validation job to finish. */
const A_WHILE = 2 * 60_000;
/** A campaign that runs for ~13 minutes of sandbox time. */
const LONG = { targetEmails: 10_000 };

describe('first activation', () => {
	it('emits nothing that happened before it and stores a small JSON state', async () => {
		const finishedBefore = await createCampaign(sandbox);
		await advance(sandbox, A_WHILE);
		const trigger = campaignTrigger();

		expect(await trigger.pollRaw()).toBeNull();
		const state = trigger.nodeState?.scravioTrigger as IDataObject;
		expect(state).toBeDefined();
		expect(JSON.parse(JSON.stringify(state))).toEqual(state);
		expect(JSON.stringify(state).length).toBeLessThan(2000);
		// the campaign that finished before activation is never emitted later either
		expect(await trigger.poll()).toEqual([]);
		expect(Object.keys(state.seen as IDataObject)).toContain(finishedBefore);
	});
});

describe('Fetch Test Event (manual mode)', () => {
	it('returns the most recently finished matching campaign and leaves the state as it was', async () => {
		const trigger = campaignTrigger();
		await trigger.poll(); // activate: state exists
		const before = snapshot(trigger.staticData);

		const items = await trigger.poll('manual');
		expect(idsOf(items)).toEqual(['cmp_demo_hashtag']); // the newest fully_completed sample of ws_main
		expect(items[0].json).toHaveProperty('postValidation');
		expect(trigger.staticData).toEqual(before);

		const failed = await campaignTrigger({ campaignStatuses: ['failed'] }).poll('manual');
		expect(idsOf(failed)).toEqual(['cmp_demo_tiktok']);
	});

	it('picks the latest finish, not the latest creation, and never creates a state', async () => {
		const older = await createCampaign(sandbox, LONG);
		await advance(sandbox, 1000);
		const newer = await createCampaign(sandbox);
		await advance(sandbox, 2000);
		await endCampaign(sandbox, newer, 'fully_completed');
		await advance(sandbox, 1000);
		await endCampaign(sandbox, older, 'fully_completed');

		const trigger = campaignTrigger();
		expect(idsOf(await trigger.poll('manual'))).toEqual([older]);
		expect(trigger.staticData).toEqual({});
	});

	it('explains when nothing matches', async () => {
		await expect(campaignTrigger({ campaignTypes: ['X_REPLIERS'] }).poll('manual')).rejects.toThrow(
			/No campaign with a matching status found/,
		);
	});
});

describe('Campaign Finished', () => {
	it('emits each campaign once when it completes, with its detail view', async () => {
		const trigger = campaignTrigger();
		await trigger.poll();
		const a = await createCampaign(sandbox);
		const b = await createCampaign(sandbox, LONG); // still running after A_WHILE
		expect(await trigger.poll()).toEqual([]);

		await advance(sandbox, A_WHILE);
		const first = await trigger.poll();
		expect(idsOf(first)).toEqual([a]);
		expect(first[0].json).toMatchObject({ id: a, status: 'fully_completed', postValidation: null });
		expect(first[0].pairedItem).toEqual({ item: 0 });

		await endCampaign(sandbox, b, 'fully_completed');
		expect(idsOf(await trigger.poll())).toEqual([b]);
		expect(await trigger.poll()).toEqual([]);
	});

	it('emits failed and stopped campaigns only when those statuses are chosen', async () => {
		const completedOnly = campaignTrigger();
		const failedOrStopped = campaignTrigger({ campaignStatuses: ['failed', 'stopped'] });
		const all = campaignTrigger({ campaignStatuses: ['fully_completed', 'failed', 'stopped'] });
		for (const trigger of [completedOnly, failedOrStopped, all]) await trigger.poll();

		const done = await createCampaign(sandbox);
		const failed = await createCampaign(sandbox);
		const stopped = await createCampaign(sandbox);
		await advance(sandbox, 5000);
		await endCampaign(sandbox, failed, 'failed');
		await advance(sandbox, 1000);
		await api(sandbox, 'POST', `/campaigns/${stopped}/stop`, { reason: 'enough' });
		await advance(sandbox, 1000);
		await endCampaign(sandbox, done, 'fully_completed');

		expect(idsOf(await completedOnly.poll())).toEqual([done]);
		expect(idsOf(await failedOrStopped.poll()).sort()).toEqual([failed, stopped].sort());
		const everything = await all.poll();
		expect(idsOf(everything).sort()).toEqual([done, failed, stopped].sort());
		// ordered by the time they finished
		expect(idsOf(everything)).toEqual([failed, stopped, done]);
	});

	it('filters by campaign type', async () => {
		const trigger = campaignTrigger({
			campaignTypes: ['YOUTUBE_KEYWORD_SEARCH', 'GOOGLE_MAPS_SEARCH'],
		});
		await trigger.poll();
		await createCampaign(sandbox);
		const youtube = await createCampaign(sandbox, {
			type: 'YOUTUBE_KEYWORD_SEARCH',
			inputs: { keyword: 'home gym' },
		});
		await advance(sandbox, A_WHILE);
		expect(idsOf(await trigger.poll())).toEqual([youtube]);
	});

	it('uses the workspace override and starts afresh when the workspace changes', async () => {
		const team = PRESETS.workspaces.team;
		const trigger = campaignTrigger({ options: { workspaceId: team } });
		await clearRequestLog(sandbox);
		expect(idsOf(await trigger.poll('manual'))).toEqual(['cmp_team_linkedin']);
		await trigger.poll();
		await createCampaign(sandbox); // ws_main: not watched
		const inTeam = await createCampaign(sandbox, { workspaceId: team });
		await advance(sandbox, A_WHILE);
		expect(idsOf(await trigger.poll())).toEqual([inTeam]);
		const log = await requestLog(sandbox);
		expect(
			log
				.filter((r) => r.path.startsWith('/api/campaigns') && r.method === 'GET')
				.every((r) => (r as unknown as IDataObject).workspaceId === team),
		).toBe(true);

		// Another workspace is another list: its past is not emitted.
		trigger.parameters.options = {};
		expect(await trigger.poll()).toEqual([]);
	});
});

describe('Export Ready', () => {
	it('emits completed exports, optionally failed ones, filtered by campaign', async () => {
		const campaignA = await createCampaign(sandbox);
		const campaignB = await createCampaign(sandbox);
		await advance(sandbox, A_WHILE);
		const completed = exportTrigger();
		const failedToo = exportTrigger({ exportStatuses: ['completed', 'failed'] });
		const onlyB = exportTrigger({ campaignId: { __rl: true, mode: 'id', value: campaignB } });
		for (const trigger of [completed, failedToo, onlyB]) await trigger.poll();

		const a1 = await createExport(sandbox, campaignA);
		const a2 = await createExport(sandbox, campaignA);
		const b1 = await createExport(sandbox, campaignB);
		await admin(sandbox, 'POST', `/exports/${a2}/outcome`, { status: 'failed' });
		await advance(sandbox, 60_000);

		const items = await completed.poll();
		expect(idsOf(items, 'exportId').sort()).toEqual([a1, b1].sort());
		expect(items[0].json).toMatchObject({ status: 'completed', fileFormat: 'csv' });
		expect(items[0].binary).toBeUndefined();
		expect(idsOf(await failedToo.poll(), 'exportId').sort()).toEqual([a1, a2, b1].sort());
		expect(idsOf(await onlyB.poll(), 'exportId')).toEqual([b1]);
		expect(await completed.poll()).toEqual([]);
	});

	it('downloads the file as binary, the way export.download does (no credential after the redirect)', async () => {
		const campaign = await createCampaign(sandbox);
		await advance(sandbox, A_WHILE);
		const trigger = exportTrigger({ options: { downloadFile: true, binaryPropertyName: 'file' } });
		await trigger.poll();
		const exportId = await createExport(sandbox, campaign, { fileFormat: 'csv' });
		await advance(sandbox, 60_000);
		await clearRequestLog(sandbox);

		const [item] = await trigger.poll();
		expect(item.json).toMatchObject({ exportId, status: 'completed' });
		const binary = item.binary?.file;
		expect(binary).toBeDefined();
		expect(binary!.mimeType).toBe('text/csv');
		expect(binary!.fileName).toBe(item.json.filename);
		const text = Buffer.from(binary!.data, 'base64').toString('utf8');
		expect(text.split('\n')[0]).toMatch(/email/i);
		expect(text.trim().split('\n').length - 1).toBe(item.json.totalRecords);

		const log = await requestLog(sandbox);
		const downloadLink = log.find((r) => r.path === `/api/list-exports/${exportId}/download`);
		expect(downloadLink?.apiKey).toBe('present');
		const redirected = log.filter(
			(r) => r.path.startsWith('/api/list-exports/download/') || r.host === 'storage',
		);
		expect(redirected.length).toBeGreaterThanOrEqual(2);
		for (const request of redirected) {
			expect(request.apiKey).toBe('absent');
			expect(request.authorization).toBe('absent');
		}
	});
});

describe('Validation Job Finished', () => {
	it('emits completed jobs, and failed or cancelled ones when chosen', async () => {
		const completed = jobTrigger();
		const others = jobTrigger({ jobStatuses: ['failed', 'cancelled'] });
		for (const trigger of [completed, others]) await trigger.poll();

		const ok = await createValidationJob(sandbox, 5);
		const failed = await createValidationJob(sandbox, 500);
		const cancelled = await createValidationJob(sandbox, 500);
		await advance(sandbox, 2000);
		await admin(sandbox, 'POST', `/validation-jobs/${failed}/outcome`, { status: 'failed' });
		await admin(sandbox, 'POST', `/validation-jobs/${cancelled}/outcome`, { status: 'cancelled' });
		await advance(sandbox, A_WHILE);

		const items = await completed.poll();
		expect(idsOf(items, 'jobId')).toEqual([ok]);
		expect(items[0].json).toMatchObject({ status: 'completed', totalEmails: 5, processedCount: 5 });
		expect(idsOf(await others.poll(), 'jobId').sort()).toEqual([failed, cancelled].sort());
		expect(await completed.poll()).toEqual([]);
		expect(idsOf(await completed.poll('manual'), 'jobId')).toEqual([ok]);
	});
});

describe('exactly once', () => {
	it('catches more events between two polls than fit in one page', async () => {
		const trigger = campaignTrigger();
		await trigger.poll();
		const ids: string[] = [];
		for (let i = 0; i < 235; i++) ids.push(await createCampaign(sandbox));
		await advance(sandbox, A_WHILE);
		const items = await trigger.poll();
		expect(idsOf(items).sort()).toEqual([...ids].sort());
		expect(await trigger.poll()).toEqual([]);
	});

	it('catches every object created or finished in the same instant', async () => {
		// The clock is frozen: these share one createdAt, down to the millisecond.
		const before = [await createCampaign(sandbox), await createCampaign(sandbox)];
		const trigger = campaignTrigger({ campaignStatuses: ['fully_completed', 'failed'] });
		await trigger.poll(); // activation while the two exist, at the same instant as what follows
		const after = [
			await createCampaign(sandbox),
			await createCampaign(sandbox),
			await createCampaign(sandbox),
		];
		for (const id of [...before, ...after]) await endCampaign(sandbox, id, 'failed'); // same instant too

		const items = await trigger.poll();
		expect(idsOf(items).sort()).toEqual([...before, ...after].sort());
		expect(new Set(items.map((item) => item.json.createdAt)).size).toBe(1);
		expect(new Set(items.map((item) => item.json.finishedAt)).size).toBe(1);
		expect(await trigger.poll()).toEqual([]);
	});

	it('catches an old campaign far down the list that finishes after activation', async () => {
		const old = await createCampaign(sandbox, LONG);
		await advance(sandbox, 1000);
		for (let i = 0; i < 250; i++) await createCampaign(sandbox);
		await advance(sandbox, A_WHILE);
		const trigger = campaignTrigger();
		await trigger.poll(); // the old one is on page 3 now
		const page1 = await api<{ items: Array<{ id: string }> }>(
			sandbox,
			'GET',
			'/campaigns?perPage=100',
		);
		expect(page1.items.map((c) => c.id)).not.toContain(old);

		for (let i = 0; i < 30; i++) await createCampaign(sandbox);
		await advance(sandbox, A_WHILE);
		const newer = await trigger.poll();
		expect(newer).toHaveLength(30);
		await endCampaign(sandbox, old, 'fully_completed');
		expect(idsOf(await trigger.poll())).toEqual([old]);
		expect(await trigger.poll()).toEqual([]);
	});

	it('leaves the state untouched when a list request fails; the next poll emits exactly once', async () => {
		const trigger = campaignTrigger();
		await trigger.poll();
		const ids = [
			await createCampaign(sandbox),
			await createCampaign(sandbox),
			await createCampaign(sandbox),
		];
		await trigger.poll(); // all three tracked as running
		await advance(sandbox, A_WHILE);
		const before = snapshot(trigger.staticData);

		// A server error outlasting the retries fails the poll: it concerns every object.
		await addFault(sandbox, {
			method: 'GET',
			path: '/campaigns',
			kind: 'status',
			status: 503,
			times: 4,
		});
		await expect(trigger.poll()).rejects.toThrow(/Injected fault/);
		expect(trigger.staticData).toEqual(before);

		const items = await trigger.poll();
		expect(idsOf(items).sort()).toEqual([...ids].sort());
		expect(await trigger.poll()).toEqual([]);
	}, 30_000);

	it('a detail that fails once holds back that campaign only; it is emitted at the next poll, once', async () => {
		const trigger = campaignTrigger();
		await trigger.poll();
		const ids = [
			await createCampaign(sandbox),
			await createCampaign(sandbox),
			await createCampaign(sandbox),
		];
		await trigger.poll();
		await advance(sandbox, A_WHILE);

		await addFault(sandbox, {
			method: 'GET',
			path: `/campaigns/${ids[1]}`,
			kind: 'status',
			status: 400,
		});
		expect(idsOf(await trigger.poll()).sort()).toEqual([ids[0], ids[2]].sort());
		expect(idsOf(await trigger.poll())).toEqual([ids[1]]);
		expect(await trigger.poll()).toEqual([]);
	});

	it('keeps a tracked object through a transient 404', async () => {
		const trigger = campaignTrigger();
		await trigger.poll();
		const id = await createCampaign(sandbox);
		await trigger.poll();
		await advance(sandbox, A_WHILE);
		await addFault(sandbox, {
			method: 'GET',
			path: `/campaigns/${id}`,
			kind: 'status',
			status: 404,
			times: 2,
		});
		expect(await trigger.poll()).toEqual([]);
		expect(await trigger.poll()).toEqual([]);
		expect(idsOf(await trigger.poll())).toEqual([id]);
		await clearFaults(sandbox);
	});

	it('does not lose a new, already finished object whose detail answers 404 once', async () => {
		const trigger = campaignTrigger();
		await trigger.poll();
		const id = await createCampaign(sandbox);
		await advance(sandbox, A_WHILE);
		await addFault(sandbox, {
			method: 'GET',
			path: `/campaigns/${id}`,
			kind: 'status',
			status: 404,
		});
		expect(await trigger.poll()).toEqual([]);
		expect(idsOf(await trigger.poll())).toEqual([id]);
	});

	it('survives a restart and a deactivation: what finished meanwhile is emitted once', async () => {
		const trigger = campaignTrigger();
		await trigger.poll();
		const running = await createCampaign(sandbox, LONG);
		const quick = await createCampaign(sandbox);
		await trigger.poll();

		trigger.restart(); // new engine, static data as stored (JSON)
		await advance(sandbox, A_WHILE);
		const whileDown = await createCampaign(sandbox);
		await advance(sandbox, A_WHILE);
		expect(idsOf(await trigger.poll()).sort()).toEqual([quick, whileDown].sort());

		trigger.restart();
		await endCampaign(sandbox, running, 'fully_completed');
		expect(idsOf(await trigger.poll())).toEqual([running]);
		trigger.restart();
		expect(await trigger.poll()).toEqual([]);
	});

	it('compares API timestamps only: n8n and API clocks minutes apart change nothing', async () => {
		// The sandbox's clock runs 17 minutes ahead of this process...
		await advance(sandbox, 17 * 60_000);
		const trigger = campaignTrigger();
		await trigger.poll();
		const a = await createCampaign(sandbox);
		await advance(sandbox, A_WHILE);
		expect(idsOf(await trigger.poll())).toEqual([a]);

		// ...and then n8n's clock jumps 45 minutes ahead of the API's.
		jest.useFakeTimers({
			doNotFake: [
				'nextTick',
				'setImmediate',
				'setTimeout',
				'setInterval',
				'clearTimeout',
				'clearInterval',
				'queueMicrotask',
				'hrtime',
				'performance',
			],
		});
		jest.setSystemTime(Date.now() + 45 * 60_000 - 17 * 60_000 - A_WHILE);
		try {
			const b = await createCampaign(sandbox);
			const c = await createCampaign(sandbox);
			await advance(sandbox, 1000);
			await endCampaign(sandbox, c, 'fully_completed');
			expect(idsOf(await trigger.poll())).toEqual([c]);
			await advance(sandbox, A_WHILE);
			expect(idsOf(await trigger.poll())).toEqual([b]);
			jest.setSystemTime(Date.now() - 3 * 3600_000); // and 3 hours behind
			const d = await createCampaign(sandbox);
			await advance(sandbox, A_WHILE);
			expect(idsOf(await trigger.poll())).toEqual([d]);
		} finally {
			jest.useRealTimers();
		}
	});
});
