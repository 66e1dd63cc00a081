/**
 * One charge per item per execution (issue 10 §1), through n8n's real engine (n8n-core's
 * WorkflowExecute runs the node again for "Retry On Fail") against the sandbox over real HTTP.
 * Each case runs with Retry On Fail off and on, and asserts what users rely on: the sandbox's
 * request log (one charging POST per item), the objects that exist afterwards and the credit ledger.
 *
 * The sandbox's clock stands (speed 0): a test moves it when the log shows the node is waiting.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import {
	PRESETS,
	byId,
	json,
	requestsOf,
	startTestbed,
	type LoggedRequest,
	type RunOptions,
	type Testbed,
} from './setup';

let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed({ clockSpeed: 0 });
});
afterAll(async () => await bed.close());
beforeEach(async () => {
	await bed.admin('DELETE', '/faults');
	await bed.admin('POST', '/rate-limits/reset');
	await bed.clearRequests();
});

/** Retry On Fail as n8n suggests it after a failure, without the wait between tries. */
const RETRY: RunOptions = { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 };
const MODES: Array<[string, RunOptions]> = [
	['Retry On Fail off', {}],
	['Retry On Fail on (3 tries)', RETRY],
];

/** Calls the sandbox API directly as the demo account (to check what the node did). */
async function api<T = IDataObject>(path: string, workspaceId?: string): Promise<T> {
	const headers: Record<string, string> = { 'X-API-Key': PRESETS.apiKeys.account };
	if (workspaceId) headers['X-Workspace-Id'] = workspaceId;
	const response = await fetch(`${bed.apiUrl}${path}`, { headers });
	if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
	return (await response.json()) as T;
}

async function untilLogged(ready: (log: LoggedRequest[]) => boolean): Promise<LoggedRequest[]> {
	for (;;) {
		const log = await bed.requests();
		if (ready(log)) return log;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

const credits = async () => (await api<IDataObject>('/auth/me')).credits as number;
const campaignIds = async () =>
	(await api<{ items: IDataObject[] }>('/campaigns?perPage=100')).items.map((campaign) =>
		String(campaign.id),
	);
const reservations = async (campaignId: string) =>
	(
		await api<{ transactions: IDataObject[] }>(
			`/credit-transactions?campaignId=${campaignId}&perPage=100`,
		)
	).transactions.filter((entry) => entry.type === 'reserve');
const jobIds = async () =>
	(await api<{ data: { jobs: IDataObject[] } }>('/validation-jobs?limit=100')).data.jobs.map(
		(job) => String(job.jobId),
	);
const posts = async (operationId: string) => requestsOf(await bed.requests(), operationId);

const CAMPAIGN: INodeParameters = {
	resource: 'campaign',
	operation: 'create',
	campaignType: 'X_FOLLOWERS',
	targetUser: '@nasa',
	targetEmails: 100,
};

/** Runs `run` and returns what it created: new campaign ids and the credits taken. */
async function campaignsCreatedBy(run: () => Promise<unknown>) {
	const before = await campaignIds();
	const creditsBefore = await credits();
	await bed.clearRequests();
	const result = await run();
	/** What the run sent, and nothing else. */
	const log = await bed.requests();
	const created = (await campaignIds()).filter((id) => !before.includes(id));
	const reserved = (await Promise.all(created.map(reservations))).flat();
	return { result, log, created, reserved, spent: creditsBefore - (await credits()) };
}

/** Exactly one reservation, and the account paid exactly that (not twice). */
function chargedOnce({ reserved, spent }: { reserved: IDataObject[]; spent: number }) {
	expect(reserved).toHaveLength(1);
	expect(Number(reserved[0].amount)).toBeLessThan(0);
	expect(spent).toBe(-Number(reserved[0].amount));
}

describe('campaign create: the POST was processed, then the API answered 500', () => {
	it.each(MODES)(
		'%s: one POST, one campaign, credits reserved once, and the error says what to check',
		async (_mode, options) => {
			await bed.admin('POST', '/faults', {
				method: 'POST',
				path: '/campaigns',
				kind: 'status',
				status: 500,
				when: 'after',
			});
			const outcome = await campaignsCreatedBy(async () => await bed.run(CAMPAIGN, options));
			const { error } = outcome.result as Awaited<ReturnType<Testbed['run']>>;

			expect((await posts('createCampaign')).map((entry) => [entry.status, entry.fault])).toEqual([
				[500, 'status:after'],
			]);
			expect(outcome.created).toHaveLength(1);
			chargedOnce(outcome);
			if (options.retryOnFail) {
				// The later tries did not send again, and say where to look.
				expect(error?.message).toBe(
					'The campaign of item 0 may already exist: an earlier try of this execution sent POST /campaigns and got no usable answer',
				);
				expect(error?.description).toContain('It is not sent again in this execution');
				expect(error?.description).toContain(
					'Check the campaign list (Campaign → Get Many, newest first) and the credit transactions in Scravio',
				);
			} else {
				expect(error?.description).toContain('may have been processed');
			}
			expect(error?.description).toContain(
				'Sent in this execution without a usable answer (may have reserved credits): campaign of item 0 (POST /campaigns)',
			);
		},
	);

	it('the same with a dropped connection: one POST, one campaign with Retry On Fail', async () => {
		await bed.admin('POST', '/faults', {
			method: 'POST',
			path: '/campaigns',
			kind: 'drop',
			when: 'after',
		});
		const outcome = await campaignsCreatedBy(async () => await bed.run(CAMPAIGN, RETRY));
		expect(await posts('createCampaign')).toHaveLength(1);
		expect(outcome.created).toHaveLength(1);
		chargedOnce(outcome);
	});
});

describe('campaign create with Wait for Completion', () => {
	it.each(MODES)(
		'%s, the wait times out: one POST, and the error names the campaign',
		async (_mode, options) => {
			const outcome = await campaignsCreatedBy(
				async () =>
					await bed.run(
						{ ...CAMPAIGN, waitForCompletion: true, maxWaitMinutes: 0.01, onTimeout: 'fail' },
						options,
					),
			);
			const { result, created } = outcome;
			const { error } = result as Awaited<ReturnType<Testbed['run']>>;
			expect(await posts('createCampaign')).toHaveLength(1);
			expect(created).toHaveLength(1);
			chargedOnce(outcome);
			expect(error?.message).toMatch(
				new RegExp(`^The campaign ${created[0]} did not finish in time`),
			);
			expect(error?.description).toContain(
				`Already created in this execution (credits reserved): campaign ${created[0]} (item 0)`,
			);
			// Every try waited on the same campaign.
			const polled = new Set((await posts('getCampaign')).map((entry) => entry.path.split('/')[3]));
			expect([...polled]).toEqual(created);
			if (options.retryOnFail)
				expect((await posts('getCampaign')).length).toBeGreaterThanOrEqual(3);
		},
	);

	it('Retry On Fail: a try that fails while waiting is followed by one that carries on from the same campaign', async () => {
		// The first status check is refused (a 4xx is not retried by the transport): the first try fails.
		await bed.admin('POST', '/faults', {
			method: 'GET',
			path: '^/api/campaigns/cmp_',
			kind: 'status',
			status: 400,
		});
		const running = campaignsCreatedBy(
			async () => await bed.run({ ...CAMPAIGN, waitForCompletion: true, maxWaitMinutes: 5 }, RETRY),
		);
		await untilLogged((log) => requestsOf(log, 'createCampaign').length === 1);
		await bed.advance(6 * 3600);
		const { result, created } = await running;
		const [campaign] = json(result as Awaited<ReturnType<Testbed['run']>>);
		expect(campaign).toMatchObject({ id: created[0], status: 'fully_completed' });
		expect(created).toHaveLength(1);
		expect(await posts('createCampaign')).toHaveLength(1);
		expect((await posts('getCampaign')).map((entry) => entry.status)).toEqual(
			expect.arrayContaining([400, 200]),
		);
		expect(await reservations(created[0])).toHaveLength(1);
	});
});

describe('two items into campaign create, the second refused by the API', () => {
	// Item 1 goes to a workspace where the demo account is a viewer: the API refuses it (403).
	const items: INodeExecutionData[] = [
		{ json: { ws: PRESETS.workspaces.main } },
		{ json: { ws: PRESETS.workspaces.viewer } },
	];
	const parameters = { ...CAMPAIGN, options: { workspaceId: '={{ $json.ws }}' } };

	it.each(MODES)('%s: item 0 is created once and named in the error', async (_mode, options) => {
		const outcome = await campaignsCreatedBy(
			async () => await bed.run(parameters, { ...options, items }),
		);
		const { created } = outcome;
		const { error } = outcome.result as Awaited<ReturnType<Testbed['run']>>;
		expect(created).toHaveLength(1);
		chargedOnce(outcome);
		expect(error?.message).toContain('lacks the create_campaign permission');
		expect(error?.description).toContain(
			`Already created in this execution (credits reserved): campaign ${created[0]} (item 0)`,
		);
		expect(error?.description).not.toContain('no credits were reserved');
		const log = await posts('createCampaign');
		// Item 0 is sent once; item 1 (refused, so never charged) once per try.
		expect(log.filter((entry) => entry.workspaceId === PRESETS.workspaces.main)).toHaveLength(1);
		expect(
			log
				.filter((entry) => entry.workspaceId === PRESETS.workspaces.viewer)
				.map((entry) => entry.status),
		).toEqual(Array(options.retryOnFail ? 3 : 1).fill(403));
	});

	it('Continue On Fail: each item gets its own result or error', async () => {
		const { result, created } = await campaignsCreatedBy(
			async () => await bed.run(parameters, { items, continueOnFail: true }),
		);
		const output = (result as Awaited<ReturnType<Testbed['run']>>).outputs[0];
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toMatchObject({ id: created[0] });
		expect(output[1].json.error).toContain('lacks the create_campaign permission');
		expect(created).toHaveLength(1);
	});

	it('Continue On Fail with Retry On Fail: n8n runs the node again because the first item is an error, and nothing is charged twice', async () => {
		// n8n retries a node whose first output item is an error item; the good item must not be sent again.
		const mixed = [
			{ json: { ws: PRESETS.workspaces.main, tag: 'x' } },
			{ json: { ws: PRESETS.workspaces.main } },
		];
		const outcome = await campaignsCreatedBy(
			async () =>
				await bed.run(
					{ ...parameters, targetUser: '={{ $json.tag ? "" : "nasa" }}' },
					{ ...RETRY, items: mixed, continueOnFail: true },
				),
		);
		const output = (outcome.result as Awaited<ReturnType<Testbed['run']>>).outputs[0];
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json.error).toContain('inputs.targetUser');
		expect(output[1].json).toMatchObject({ id: outcome.created[0] });
		expect(requestsOf(outcome.log, 'createCampaign')).toHaveLength(1);
		expect(outcome.created).toHaveLength(1);
		chargedOnce(outcome);
	});

	it('a bad second item stops the run before any of them is sent (with Retry On Fail too)', async () => {
		const bad = [...items.slice(0, 1), { json: { ws: PRESETS.workspaces.main, tag: 'x' } }];
		const { result, log, created, spent } = await campaignsCreatedBy(
			async () =>
				await bed.run(
					{ ...parameters, targetUser: '={{ $json.tag ? "" : "nasa" }}' },
					{ ...RETRY, items: bad },
				),
		);
		const { error } = result as Awaited<ReturnType<Testbed['run']>>;
		expect(error?.message).toContain('inputs.targetUser');
		expect(error?.description).toContain(
			'Nothing that reserves credits was sent to Scravio in this execution, so no credits were reserved.',
		);
		expect(log).toEqual([]);
		expect(created).toEqual([]);
		expect(spent).toBe(0);
	});
});

describe('campaign validate: the POST was processed, then the API answered 500', () => {
	it.each(MODES)('%s: one POST, one validation reserved', async (_mode, options) => {
		await bed.admin('POST', '/reset');
		await bed.admin('POST', '/faults', {
			method: 'POST',
			path: '/campaigns/cmp_demo_hashtag/validate',
			kind: 'status',
			status: 500,
			when: 'after',
		});
		const before = await credits();
		const result = await bed.run(
			{ resource: 'campaign', operation: 'validate', campaignId: byId('cmp_demo_hashtag') },
			options,
		);
		expect(await posts('startCampaignValidation')).toHaveLength(1);
		expect(result.error?.description).toContain('may have reserved credits');
		const detail = (await api<{ campaign: IDataObject }>('/campaigns/cmp_demo_hashtag')).campaign;
		const reserved = (await reservations('cmp_demo_hashtag')).filter(
			(entry) =>
				String(entry.description).startsWith('Reserved') &&
				/validate/i.test(String(entry.description)),
		);
		expect(reserved).toHaveLength(1);
		expect(before - (await credits())).toBe(-Number(reserved[0].amount));
		expect(detail.postValidation).toBeTruthy();
	});
});

describe('export create and Create and Download', () => {
	const EXPORT = { resource: 'export', campaignId: byId('cmp_demo_maps'), fileFormat: 'csv' };
	const exportIds = async () =>
		(await api<{ data: { exports: IDataObject[] } }>('/list-exports?perPage=100')).data.exports.map(
			(entry) => String(entry.exportId),
		);

	it.each(MODES)(
		'Create and Download, %s, 500 after processing: one POST, one export',
		async (_mode, options) => {
			await bed.admin('POST', '/reset');
			await bed.admin('POST', '/faults', {
				method: 'POST',
				path: '/list-exports',
				kind: 'status',
				status: 500,
				when: 'after',
			});
			const before = await exportIds();
			const result = await bed.run({ ...EXPORT, operation: 'createAndDownload' }, options);
			expect(await posts('createListExport')).toHaveLength(1);
			expect((await exportIds()).filter((id) => !before.includes(id))).toHaveLength(1);
			expect(result.error?.description).toContain(
				"Check the campaign's exports (Export → Get Many, newest first)",
			);
		},
	);

	it('Create and Download with Retry On Fail: a try that fails while waiting is followed by one that waits and downloads the same export', async () => {
		await bed.admin('POST', '/reset');
		await bed.admin('POST', '/faults', {
			method: 'GET',
			path: '^/api/list-exports/exp_[^/]+$',
			kind: 'status',
			status: 400,
		});
		const before = await exportIds();
		const running = bed.run({ ...EXPORT, operation: 'createAndDownload' }, RETRY);
		await untilLogged((log) => requestsOf(log, 'createListExport').length === 1);
		await bed.advance(600);
		const result = await running;
		const created = (await exportIds()).filter((id) => !before.includes(id));
		expect(created).toHaveLength(1);
		const [item] = result.outputs[0];
		expect(item.json).toMatchObject({ exportId: created[0], status: 'completed' });
		expect(item.binary?.data).toBeDefined();
		expect(await posts('createListExport')).toHaveLength(1);
		expect((await posts('getListExport')).map((entry) => entry.status)).toEqual(
			expect.arrayContaining([400, 200]),
		);
	});

	it.each(MODES)(
		'Create, %s, 500 after processing: one POST, one export',
		async (_mode, options) => {
			await bed.admin('POST', '/reset');
			await bed.admin('POST', '/faults', {
				method: 'POST',
				path: '/list-exports',
				kind: 'status',
				status: 500,
				when: 'after',
			});
			const before = await exportIds();
			await bed.run({ ...EXPORT, operation: 'create' }, options);
			expect(await posts('createListExport')).toHaveLength(1);
			expect((await exportIds()).filter((id) => !before.includes(id))).toHaveLength(1);
		},
	);
});

describe('validation jobs', () => {
	const COMBINE = {
		resource: 'validationJob',
		operation: 'create',
		mode: 'combine',
		emailField: 'email',
	};

	it.each(MODES)(
		'Combine All Items, %s, 500 after processing: one POST, one job',
		async (_mode, options) => {
			await bed.advance(3601);
			await bed.admin('POST', '/faults', {
				method: 'POST',
				path: '/validation-jobs/text',
				kind: 'status',
				status: 500,
				when: 'after',
			});
			const before = await jobIds();
			const items = ['anna@example.com', 'ben@example.org'].map((email) => ({ json: { email } }));
			const result = await bed.run(COMBINE, { ...options, items });
			expect(await posts('createValidationJob')).toHaveLength(1);
			expect((await jobIds()).filter((id) => !before.includes(id))).toHaveLength(1);
			expect(result.error?.description).toContain(
				'Check the validation jobs (Validation Job → Get Many, newest first)',
			);
		},
	);

	it.each(MODES)(
		'Combine All Items with Wait timing out, %s: two jobs sent once, both named',
		async (_mode, options) => {
			await bed.advance(3601);
			const before = await jobIds();
			const items = Array.from({ length: 5002 }, (_, i) => ({
				json: { email: `wait${i}@example.com` },
			}));
			const result = await bed.run(
				{ ...COMBINE, waitForCompletion: true, maxWaitMinutes: 0.01 },
				{ ...options, items },
			);
			const created = (await jobIds()).filter((id) => !before.includes(id));
			expect(created).toHaveLength(2);
			expect(await posts('createValidationJob')).toHaveLength(2);
			expect(result.error?.message).toMatch(/did not finish in time/);
			for (const jobId of created)
				expect(result.error?.description).toContain(`validation job ${jobId}`);
			expect(result.error?.description).toContain(
				'Already created in this execution (credits reserved)',
			);
		},
	);

	it.each(MODES)(
		'one job per item with 4 items, %s: refused before anything is sent, pointing to Combine All Items',
		async (_mode, options) => {
			await bed.advance(3601);
			const items = ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'].map(
				(email) => ({ json: { email } }),
			);
			const result = await bed.run(
				{ resource: 'validationJob', operation: 'create', emails: '={{ $json.email }}' },
				{ ...options, items },
			);
			expect(result.error?.message).toBe(
				'4 items would create 4 validation jobs, but Scravio accepts 3 per hour',
			);
			expect(result.error?.description).toContain('Set "Mode" to "Combine All Items"');
			expect(result.error?.description).toContain('no credits were reserved');
			expect(await bed.requests()).toEqual([]);
		},
	);

	it('one job per item with 3 items: 3 jobs, one per item', async () => {
		await bed.advance(3601);
		const items = ['a@example.com', 'b@example.com', 'c@example.com'].map((email) => ({
			json: { email },
		}));
		const jobs = json(
			await bed.run(
				{ resource: 'validationJob', operation: 'create', emails: '={{ $json.email }}' },
				{ ...RETRY, items },
			),
		);
		expect(jobs).toHaveLength(3);
		expect(await posts('createValidationJob')).toHaveLength(3);
	});
});
