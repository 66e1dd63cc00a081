/**
 * The Scravio Trigger under the faults of issue 11, through n8n's real poll machinery against the
 * sandbox (frozen clock): overlapping polls, one object that keeps failing, leases left behind,
 * and opaque download links kept out of the output.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	FAIL_LIMIT,
	LEASE_KEY,
	LEASE_MS,
	releaseLease,
	takeLease,
} from '../../nodes/ScravioTrigger/state';
import type { Sandbox } from '../../sandbox';
import {
	TriggerUnderTest,
	addFault,
	admin,
	advance,
	allowManyRunningCampaigns,
	clearFaults,
	createCampaign,
	createExport,
	createValidationJob,
	idsOf,
	requestLog,
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
	await clearFaults(sandbox);
	await allowManyRunningCampaigns(sandbox);
});

const A_WHILE = 2 * 60_000;
const campaignTrigger = (extra: IDataObject = {}) =>
	new TriggerUnderTest(sandbox, { event: 'campaignFinished', ...extra });

async function waitForRequest(path: string): Promise<void> {
	for (let i = 0; i < 200; i++) {
		if ((await requestLog(sandbox)).some((r) => r.path === path)) return;
		await new Promise((r) => setTimeout(r, 25));
	}
	throw new Error(`no request to ${path}`);
}

describe('overlapping polls', () => {
	it.each([
		['slow server', { kind: 'latency', latencyMs: 2500 }],
		['429 with Retry-After', { kind: 'rateLimit', retryAfter: 2 }],
	])(
		'a poll started while the previous one runs (%s) emits nothing; each campaign is emitted once',
		async (_name, fault) => {
			const trigger = campaignTrigger();
			await trigger.poll();
			const [slow, other] = [await createCampaign(sandbox), await createCampaign(sandbox)];
			await trigger.poll(); // both tracked as running
			await advance(sandbox, A_WHILE);

			await addFault(sandbox, { method: 'GET', path: `/campaigns/${slow}`, ...fault });
			const first = trigger.poll();
			await waitForRequest(`/api/campaigns/${slow}`); // the first poll is inside its slow request
			const second = await trigger.poll(); // n8n's next interval, same static data
			expect(second).toEqual([]);
			const emitted = await first;
			expect(idsOf(emitted).sort()).toEqual([slow, other].sort());
			expect(await trigger.poll()).toEqual([]);
			// The second poll did not even read the list: it saw the first one's lease.
			expect(trigger.nodeState?.[LEASE_KEY]).toBeUndefined();
		},
		30_000,
	);

	it('a lease left by another process (before a restart) or past its expiry does not block', async () => {
		const trigger = campaignTrigger();
		await trigger.poll();
		const id = await createCampaign(sandbox);
		await advance(sandbox, A_WHILE);
		// A lease saved by the process that ran before a restart.
		(trigger.nodeState as IDataObject)[LEASE_KEY] = {
			holder: 'old#1',
			process: 'old',
			until: Date.now() + LEASE_MS,
		};
		trigger.restart();
		expect(idsOf(await trigger.poll())).toEqual([id]);

		const next = await createCampaign(sandbox);
		await advance(sandbox, A_WHILE);
		const nodeState = trigger.nodeState as IDataObject;
		// A live lease of this process (a poll still running) blocks...
		const live = takeLease(nodeState)!;
		expect(await trigger.poll()).toEqual([]);
		releaseLease(nodeState, live);
		// ...one that expired (its poll hung for LEASE_MS) does not: the next poll takes over.
		takeLease(nodeState, Date.now() - LEASE_MS - 1);
		expect(idsOf(await trigger.poll())).toEqual([next]);
	});
});

describe('one object that keeps failing', () => {
	it('a campaign whose detail always answers 500 does not block the others; it is given up and reported by name', async () => {
		const trigger = campaignTrigger();
		await trigger.poll();
		const bad = await createCampaign(sandbox, { title: 'Broken detail' });
		const good = [await createCampaign(sandbox), await createCampaign(sandbox)];
		await trigger.poll();
		await advance(sandbox, A_WHILE);
		await addFault(sandbox, {
			method: 'GET',
			path: `/campaigns/${bad}`,
			kind: 'status',
			status: 500,
			times: 1000,
		});

		expect(idsOf(await trigger.poll()).sort()).toEqual([...good].sort());
		expect(trigger.reported).toEqual([]);
		const later = await createCampaign(sandbox);
		await advance(sandbox, A_WHILE);
		expect(idsOf(await trigger.poll())).toEqual([later]); // still not blocked
		for (let poll = 3; poll < FAIL_LIMIT; poll++) expect(await trigger.poll()).toEqual([]);
		// The last try: given up, reported as an error naming it (n8n records it as a failed execution).
		await expect(trigger.poll()).rejects.toThrow(
			new RegExp(
				`gave up on campaign ${bad}: its details could not be read in ${FAIL_LIMIT} polls`,
			),
		);
		await clearFaults(sandbox);
		expect(await trigger.poll()).toEqual([]); // no longer watched
	}, 120_000);

	it('an export whose download link always answers 404 does not block the others; after the last try it is emitted without its file', async () => {
		const campaign = await createCampaign(sandbox);
		await advance(sandbox, A_WHILE);
		const trigger = new TriggerUnderTest(sandbox, {
			event: 'exportReady',
			options: { downloadFile: true },
		});
		await trigger.poll();
		const bad = await createExport(sandbox, campaign);
		const good = await createExport(sandbox, campaign);
		await advance(sandbox, 60_000);
		await addFault(sandbox, {
			method: 'GET',
			path: `/list-exports/${bad}/download`,
			kind: 'status',
			status: 404,
			times: 1000,
		});

		const first = await trigger.poll();
		expect(idsOf(first, 'exportId')).toEqual([good]);
		expect(first[0].binary?.data).toBeDefined();
		for (let poll = 2; poll < FAIL_LIMIT; poll++) expect(await trigger.poll()).toEqual([]);
		const last = await trigger.poll();
		expect(idsOf(last, 'exportId')).toEqual([bad]);
		expect(last[0].binary).toBeUndefined();
		expect(last[0].json).toMatchObject({
			exportId: bad,
			status: 'completed',
			downloadError: expect.stringMatching(/404|not found/i),
		});
		expect(await trigger.poll()).toEqual([]);
	}, 60_000);
});

describe('download links', () => {
	it("a finished validation job is emitted without the API's opaque download URL unless asked for", async () => {
		const plain = new TriggerUnderTest(sandbox, { event: 'validationJobFinished' });
		const withUrl = new TriggerUnderTest(sandbox, {
			event: 'validationJobFinished',
			options: { includeDownloadUrl: true },
		});
		for (const trigger of [plain, withUrl]) await trigger.poll();
		const job = await createValidationJob(sandbox, 3);
		await advance(sandbox, A_WHILE);

		const [item] = await plain.poll();
		expect(item.json).toMatchObject({ jobId: job, status: 'completed' });
		expect(item.json).not.toHaveProperty('downloadUrl');
		expect(JSON.stringify(item.json)).not.toMatch(/https?:\/\//);
		const [kept] = await withUrl.poll();
		expect(kept.json.downloadUrl).toEqual(expect.stringMatching(/^http/));
		// "Fetch Test Event" follows the same rule.
		expect((await plain.poll('manual'))[0].json).not.toHaveProperty('downloadUrl');
	});
});
