/**
 * Workflow-grade behaviour (issue 6) through n8n's real engine against the sandbox over real HTTP:
 * "Wait for Completion" (success, timeout both ways, cancel, failed outcomes) on campaigns,
 * campaign validation, exports and validation jobs; export "Create and Download"; validation
 * jobs combining all items (dedupe, invalid addresses, 5,000 per job, 3 per hour, per-item
 * results); and the transport's retry rules, proven by the sandbox's request log and ledger.
 *
 * The node sleeps in real time while the sandbox's clock stands (speed 0): a test moves the clock
 * when the log shows the node is waiting, so no assertion depends on timing.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import {
	PRESETS,
	byId,
	json,
	requestsOf,
	startTestbed,
	type LoggedRequest,
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

/** Calls the sandbox API directly as the demo account (to check what the node did). */
async function api<T = IDataObject>(path: string): Promise<T> {
	const response = await fetch(`${bed.apiUrl}${path}`, {
		headers: { 'X-API-Key': PRESETS.apiKeys.account },
	});
	if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
	return (await response.json()) as T;
}

/** Resolves once the request log satisfies `ready` (the node is mid-run, e.g. waiting between polls). */
async function untilLogged(ready: (log: LoggedRequest[]) => boolean): Promise<LoggedRequest[]> {
	for (;;) {
		const log = await bed.requests();
		if (ready(log)) return log;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

const pollsOf = (operationId: string) => (log: LoggedRequest[]) =>
	requestsOf(log, operationId).length >= 1;
const idFromPath = (entry: LoggedRequest) => entry.path.split('/')[3];

const CAMPAIGN: INodeParameters = {
	resource: 'campaign',
	operation: 'create',
	campaignType: 'X_FOLLOWERS',
	targetUser: '@nasa',
	targetEmails: 60,
};

describe('Wait for Completion', () => {
	it('campaign create: polls until fully_completed and returns the final campaign', async () => {
		const running = bed.run({ ...CAMPAIGN, waitForCompletion: true, maxWaitMinutes: 30 });
		const log = await untilLogged(pollsOf('getCampaign'));
		// The node has seen the campaign unfinished at least once; now let it finish.
		await bed.advance(6 * 3600);
		const result = await running;
		const [campaign] = json(result);
		expect(result.outputs[0]).toHaveLength(1);
		expect(result.outputs[0][0].pairedItem).toEqual({ item: 0 });
		expect(campaign).toMatchObject({
			id: idFromPath(requestsOf(log, 'getCampaign')[0]),
			status: 'fully_completed',
			progressPercentage: 100,
		});
		const after = await bed.requests();
		expect(requestsOf(after, 'createCampaign')).toHaveLength(1);
		expect(requestsOf(after, 'getCampaign').length).toBeGreaterThanOrEqual(2);
	});

	it('timeout with "Fail": the error gives the campaign and its last status, the campaign exists once', async () => {
		const result = await bed.run({
			...CAMPAIGN,
			waitForCompletion: true,
			maxWaitMinutes: 0.02,
			onTimeout: 'fail',
		});
		const log = await bed.requests();
		const campaignId = idFromPath(
			requestsOf(log, 'getCampaign')[0] ?? ({ path: '' } as LoggedRequest),
		);
		expect(result.error?.message).toMatch(
			/^The campaign cmp_\S+ did not finish in time; last status "pending"/,
		);
		expect(result.error?.message).toContain(campaignId);
		expect(requestsOf(log, 'createCampaign')).toHaveLength(1);
		expect(
			((await api<IDataObject>(`/campaigns/${campaignId}`)).campaign as IDataObject).status,
		).toBe('pending');
	});

	it('timeout with "Return Current State": outputs the campaign as it stands', async () => {
		const result = await bed.run({
			...CAMPAIGN,
			waitForCompletion: true,
			maxWaitMinutes: 0.02,
			onTimeout: 'return',
		});
		const [campaign] = json(result);
		expect(campaign).toMatchObject({ status: 'pending' });
		expect(String(campaign.id)).toMatch(/^cmp_/);
		expect(requestsOf(await bed.requests(), 'createCampaign')).toHaveLength(1);
	});

	it('cancel: aborting the execution stops the wait at once, with no further polls', async () => {
		const controller = new AbortController();
		// 30 minutes of wait on a stopped clock: only the cancel signal can end this run in time.
		const running = bed.run(
			{ ...CAMPAIGN, waitForCompletion: true, maxWaitMinutes: 30 },
			{ signal: controller.signal },
		);
		const log = await untilLogged(pollsOf('getCampaign'));
		controller.abort();
		const result = await running;
		expect(result.canceled).toBe(true);
		expect(result.error?.message).toBe(
			`Stopped waiting for the campaign ${idFromPath(requestsOf(log, 'getCampaign')[0])}: the execution was cancelled`,
		);
		const polls = requestsOf(await bed.requests(), 'getCampaign').length;
		// Another run proves the sandbox still logs; the cancelled one sent nothing more.
		await bed.run({ resource: 'campaign', operation: 'get', campaignId: byId('cmp_demo_hashtag') });
		expect(requestsOf(await bed.requests(), 'getCampaign')).toHaveLength(polls + 1);
	});

	it.each([
		['failed', false],
		['stopped', false],
		['failed', true],
	])(
		'a campaign that ends as "%s" is an error unless "Output Failed Outcomes" (%s)',
		async (status, outputFailed) => {
			const running = bed.run({
				...CAMPAIGN,
				waitForCompletion: true,
				maxWaitMinutes: 30,
				outputFailed,
			});
			const log = await untilLogged(pollsOf('getCampaign'));
			const campaignId = idFromPath(requestsOf(log, 'getCampaign')[0]);
			await bed.admin('POST', `/campaigns/${campaignId}/outcome`, { status });
			const result = await running;
			if (outputFailed) {
				expect(json(result)).toEqual([expect.objectContaining({ id: campaignId, status })]);
			} else {
				expect(result.error?.message).toBe(`The campaign ${campaignId} ended as "${status}"`);
				expect(result.error?.description).toContain('Output Failed Outcomes');
			}
		},
	);

	it('a bad "Max Wait" stops the item before the campaign is created', async () => {
		const result = await bed.run({ ...CAMPAIGN, waitForCompletion: true, maxWaitMinutes: 0 });
		expect(result.error?.message).toBe('Max Wait (Minutes) must be a number greater than 0');
		expect(await bed.requests()).toHaveLength(0);
	});

	it('campaign validate: follows postValidation until completed', async () => {
		const running = bed.run({
			resource: 'campaign',
			operation: 'validate',
			campaignId: byId('cmp_demo_hashtag'),
			waitForCompletion: true,
		});
		await untilLogged(pollsOf('getCampaign'));
		await bed.advance(3600);
		const [validation] = json(await running);
		expect(validation).toMatchObject({ campaignId: 'cmp_demo_hashtag', status: 'completed' });
		expect(String(validation.jobId)).toMatch(/^cval_/);
		const summary = validation.postValidation as IDataObject;
		expect(summary.validated).toBe(summary.total);
		expect(summary.total).toBe(validation.emailsToValidate);
		expect(requestsOf(await bed.requests(), 'startCampaignValidation')).toHaveLength(1);
	});

	it('export create: waits until completed; a failed export is an error naming it', async () => {
		await bed.advance(3601);
		const parameters = {
			resource: 'export',
			operation: 'create',
			campaignId: byId('cmp_demo_maps'),
			fileFormat: 'csv',
			waitForCompletion: true,
		};
		const running = bed.run(parameters);
		await untilLogged(pollsOf('getListExport'));
		await bed.advance(600);
		const [done] = json(await running);
		expect(done).toMatchObject({ status: 'completed', progress: 100, alreadyExisted: false });
		expect(done.totalRecords).toEqual(expect.any(Number));

		await bed.clearRequests();
		const failing = bed.run({ ...parameters, options: { emailOnly: true } });
		const log = await untilLogged(pollsOf('getListExport'));
		const exportId = idFromPath(requestsOf(log, 'getListExport')[0]);
		await bed.admin('POST', `/exports/${exportId}/outcome`, { status: 'failed' });
		const result = await failing;
		expect(result.error?.message).toBe(`The export ${exportId} ended as "failed"`);
	});

	it('validationJob create (one job per item): waits and returns the completed job', async () => {
		await bed.advance(3601);
		const running = bed.run({
			resource: 'validationJob',
			operation: 'create',
			emails: 'anna@example.com\nben@example.org',
			waitForCompletion: true,
		});
		await untilLogged(pollsOf('getValidationJob'));
		await bed.advance(60);
		const [job] = json(await running);
		expect(job).toMatchObject({ status: 'completed', totalEmails: 2, processedCount: 2 });
		// The short-lived results link stays out of the output unless "Include Download URL" is on.
		expect(job).not.toHaveProperty('downloadUrl');
	});
});

describe('export Create and Download', () => {
	it('creates, waits and downloads the file as binary with its name and MIME type', async () => {
		await bed.advance(3601);
		const running = bed.run({
			resource: 'export',
			operation: 'createAndDownload',
			campaignId: byId('cmp_demo_hashtag'),
			fileFormat: 'csv',
			binaryPropertyName: 'file',
		});
		await untilLogged(pollsOf('getListExport'));
		await bed.advance(600);
		const result = await running;
		const [item] = result.outputs[0] as INodeExecutionData[];
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			status: 'completed',
			mimeType: 'text/csv',
			fileName: item.json.filename,
		});
		expect(String(item.json.fileName)).toMatch(/\.csv$/);
		const binary = item.binary!.file;
		expect(binary).toMatchObject({ mimeType: 'text/csv', fileName: item.json.fileName });
		const log = await bed.requests();
		expect(requestsOf(log, 'createListExport')).toHaveLength(1);
		expect(requestsOf(log, 'getListExportDownloadUrl')).toHaveLength(1);
		const content = Buffer.from(binary.data, 'base64');
		expect(item.json.fileSize).toBe(content.length);
		expect(content.toString('utf8').split(/\r?\n/)[0]).toMatch(/email/i);
		// Byte for byte the file the API serves for this export.
		const link = (
			await api<{ data: IDataObject }>(`/list-exports/${String(item.json.exportId)}/download`)
		).data;
		const served = Buffer.from(await (await fetch(String(link.downloadUrl))).arrayBuffer());
		expect(content.equals(served)).toBe(true);
	});

	it('a timeout with "Return Current State" outputs the export without a file', async () => {
		await bed.advance(3601);
		const result = await bed.run({
			resource: 'export',
			operation: 'createAndDownload',
			campaignId: byId('cmp_demo_youtube'),
			fileFormat: 'xlsx',
			maxWaitMinutes: 0.02,
			onTimeout: 'return',
		});
		const [item] = result.outputs[0];
		expect(item.json).toMatchObject({
			status: expect.stringMatching(/pending|processing/),
			alreadyExisted: false,
		});
		expect(item.binary).toBeUndefined();
		expect(requestsOf(await bed.requests(), 'getListExportDownloadUrl')).toHaveLength(0);
	});
});

describe('validationJob create: Combine All Items', () => {
	const COMBINE = {
		resource: 'validationJob',
		operation: 'create',
		mode: 'combine',
		emailField: 'email',
	};

	/** 12,000 rows: 10,500 unique addresses, 1,000 repeats in other letter case, 500 unusable entries. */
	function twelveThousandRows(): INodeExecutionData[] {
		const rows: INodeExecutionData[] = [];
		for (let i = 0; i < 10500; i++)
			rows.push({ json: { email: `user${i}@example.com`, name: `User ${i}` } });
		for (let i = 0; i < 1000; i++) rows.push({ json: { email: `USER${i}@Example.com` } });
		for (let i = 0; i < 500; i++) rows.push({ json: { email: i % 2 ? `Person ${i}` : '' } });
		return rows;
	}

	async function jobsInSandbox(): Promise<IDataObject[]> {
		const body = await api<{ data: { jobs: IDataObject[] } }>(
			'/validation-jobs?limit=100&sortBy=createdAt&order=asc',
		);
		return body.data.jobs;
	}

	it('12,000 items with duplicates and invalid entries become exactly 3 jobs (5000, 5000, 500)', async () => {
		await bed.advance(3601);
		const before = (await jobsInSandbox()).length;
		const result = await bed.run(
			{ ...COMBINE, onInvalid: 'skip' },
			{ items: twelveThousandRows() },
		);
		const jobs = json(result);
		expect(jobs.map((job) => job.emailsSent)).toEqual([5000, 5000, 500]);
		expect(jobs.map((job) => job.part)).toEqual([1, 2, 3]);
		expect(jobs[0].combined).toMatchObject({
			inputItems: 12000,
			addresses: 11500,
			uniqueAddresses: 10500,
			duplicatesRemoved: 1000,
			skipped: 500,
			jobs: 3,
		});
		expect((jobs[0].combined as IDataObject).skippedEntries).toEqual(
			expect.arrayContaining([
				{ itemIndex: 11500, value: '', reason: 'no_email' },
				{ itemIndex: 11501, value: 'Person 1', reason: 'not_an_email_address' },
			]),
		);

		// What the API received: 3 POSTs, and jobs of those sizes.
		expect(requestsOf(await bed.requests(), 'createValidationJob')).toHaveLength(3);
		const created = (await jobsInSandbox()).slice(before);
		expect(created.map((job) => job.totalEmails)).toEqual([5000, 5000, 500]);
		expect(created.map((job) => job.jobId)).toEqual(jobs.map((job) => job.jobId));

		// Every valid input item is paired with the job holding its address (repeats with the first one's job).
		const paired = result.outputs[0].map((item) =>
			(item.pairedItem as Array<{ item: number }>).map((entry) => entry.item),
		);
		expect(paired[0]).toHaveLength(5000 + 1000);
		expect(paired[0]).toEqual(expect.arrayContaining([0, 4999, 10500, 11499]));
		expect(paired[2]).toEqual(expect.arrayContaining([10000, 10499]));
		expect(paired.flat()).not.toContain(11500);
	});

	it('"Invalid Addresses: Fail" names the items and field and sends nothing', async () => {
		const result = await bed.run(COMBINE, { items: twelveThousandRows() });
		expect(result.error?.message).toBe(
			'500 entries in the field "email" are not an e-mail address',
		);
		expect(result.error?.description).toContain('item 11500: (empty), item 11501: "Person 1"');
		expect(result.error?.description).toContain('Nothing was sent');
		expect(await bed.requests()).toHaveLength(0);
	});

	it('a list that needs 4 jobs fails before anything is sent (3 jobs per hour)', async () => {
		const items = Array.from({ length: 15001 }, (_, i) => ({
			json: { email: `guard${i}@example.com` },
		}));
		const result = await bed.run(COMBINE, { items });
		expect(result.error?.message).toBe(
			'The list needs 4 validation jobs, but Scravio accepts 3 per hour',
		);
		expect(result.error?.description).toContain('Nothing was sent');
		expect(requestsOf(await bed.requests(), 'createValidationJob')).toHaveLength(0);
		expect(await bed.requests()).toHaveLength(0);
	});

	it('a list in one item counts too: 15,000 unique addresses in one field still fit in 3 jobs', async () => {
		await bed.advance(3601);
		const list = Array.from({ length: 15000 }, (_, i) => `one${i}@example.com`);
		const jobs = json(await bed.run(COMBINE, { items: [{ json: { email: list } }] }));
		expect(jobs.map((job) => job.emailsSent)).toEqual([5000, 5000, 5000]);
		expect(requestsOf(await bed.requests(), 'createValidationJob')).toHaveLength(3);
	});

	it('with Wait for Completion every input item gets its own result from the results file, paired with it', async () => {
		await bed.advance(3601);
		const emails = [
			'Anna@example.com',
			'ben@example.org',
			'anna@EXAMPLE.com',
			'temp@mailinator.com',
			'Ben Miller',
			'carl@example.net',
		];
		const items = emails.map((email, index) => ({ json: { email, row: index } }));
		const running = bed.run({ ...COMBINE, onInvalid: 'skip', waitForCompletion: true }, { items });
		await untilLogged(pollsOf('getValidationJob'));
		await bed.advance(60);
		const result = await running;
		const out = result.outputs[0];
		expect(out.map((item) => item.pairedItem)).toEqual(emails.map((_, item) => ({ item })));
		expect(requestsOf(await bed.requests(), 'createValidationJob')).toHaveLength(1);

		// The API's own verdicts, read from the job's results file.
		const [job] = (await jobsInSandbox()).slice(-1);
		expect(job).toMatchObject({ status: 'completed', totalEmails: 4 });
		const file = await (await fetch(String(job.downloadUrl))).text();
		const verdicts = new Map(
			file
				.trim()
				.split(/\r?\n/)
				.slice(1)
				.map((line) => {
					const [email, status, isValid, reason] = line.split(',');
					return [email.toLowerCase(), { status, isValid: isValid === 'true', reason }] as const;
				}),
		);
		for (const [index, email] of emails.entries()) {
			const result = out[index].json;
			if (email === 'Ben Miller') {
				expect(result).toEqual({
					email,
					status: 'skipped',
					reason: 'not_an_email_address',
					jobId: null,
					jobStatus: null,
				});
				continue;
			}
			expect(result).toEqual({
				...verdicts.get(email.toLowerCase()),
				email,
				jobId: job.jobId,
				jobStatus: 'completed',
			});
		}
		expect(out[3].json).toMatchObject({ isValid: false, reason: 'disposable_domain' });
		expect(out[2].json.status).toBe(out[0].json.status);
	});
});

describe('Rate limits and retries (transport)', () => {
	it('429 with Retry-After on a charging POST: waits, retries once, one export, one item', async () => {
		await bed.advance(3601);
		await bed.admin('POST', '/faults', {
			method: 'POST',
			path: '/list-exports',
			kind: 'rateLimit',
			retryAfter: 1,
		});
		const result = await bed.run({
			resource: 'export',
			operation: 'create',
			campaignId: byId('cmp_team_linkedin'),
			fileFormat: 'csv',
			options: { workspaceId: PRESETS.workspaces.team },
		});
		expect(json(result)).toHaveLength(1);
		const posts = requestsOf(await bed.requests(), 'createListExport');
		expect(posts.map((entry) => [entry.status, entry.fault])).toEqual([
			[429, 'rateLimit:before'],
			[201, null],
		]);
	});

	it('429 with a Retry-After beyond the bound fails at once with a clear message', async () => {
		await bed.admin('POST', '/faults', {
			method: 'GET',
			path: '/campaigns/cmp_demo_hashtag',
			kind: 'rateLimit',
			retryAfter: 3600,
		});
		const result = await bed.run({
			resource: 'campaign',
			operation: 'get',
			campaignId: byId('cmp_demo_hashtag'),
		});
		expect(result.error?.description).toContain(
			'Scravio asks to wait 3600 s before retrying, longer than the 60 s this node waits',
		);
		expect(requestsOf(await bed.requests(), 'getCampaign')).toHaveLength(1);
	});

	it('5xx on a GET is retried with backoff: N+1 requests, one output item', async () => {
		await bed.admin('POST', '/faults', {
			method: 'GET',
			path: '/campaigns/cmp_demo_hashtag',
			kind: 'status',
			status: 503,
			times: 2,
		});
		const result = await bed.run({
			resource: 'campaign',
			operation: 'get',
			campaignId: byId('cmp_demo_hashtag'),
		});
		expect(json(result)).toEqual([expect.objectContaining({ id: 'cmp_demo_hashtag' })]);
		expect(requestsOf(await bed.requests(), 'getCampaign').map((entry) => entry.status)).toEqual([
			503, 503, 200,
		]);
	});

	it('5xx on the download link (a GET) is retried too: one file, one item', async () => {
		await bed.admin('POST', '/faults', {
			method: 'GET',
			path: '^/api/list-exports/download/',
			kind: 'status',
			status: 502,
		});
		const [exportItem] = json(
			await bed.run({
				resource: 'export',
				operation: 'getMany',
				returnAll: false,
				limit: 1,
				filters: { status: 'completed' },
			}),
		);
		await bed.clearRequests();
		const result = await bed.run({
			resource: 'export',
			operation: 'download',
			exportId: byId(String(exportItem.exportId)),
		});
		expect(result.outputs[0]).toHaveLength(1);
		expect(result.outputs[0][0].binary?.data).toBeDefined();
		expect(
			requestsOf(await bed.requests(), 'followListExportDownload').map((entry) => entry.status),
		).toEqual([502, 302]);
	});

	it('5xx on a charging POST is not retried: 1 POST, the error says it may have been processed and gives the requestId', async () => {
		await bed.advance(3601);
		await bed.admin('POST', '/faults', {
			method: 'POST',
			path: '/validation-jobs/text',
			kind: 'status',
			status: 500,
		});
		const result = await bed.run({
			resource: 'validationJob',
			operation: 'create',
			emails: 'anna@example.com',
		});
		const posts = requestsOf(await bed.requests(), 'createValidationJob');
		expect(posts).toHaveLength(1);
		expect(result.error?.description).toContain('may have been processed');
		expect(result.error?.description).toContain(`Request ID: ${posts[0].requestId}`);
	});

	it('a dropped connection after campaign create was processed: 1 POST, 1 campaign, reserved once', async () => {
		const campaignIds = async () =>
			(await api<{ items: IDataObject[] }>('/campaigns?perPage=100')).items.map((campaign) =>
				String(campaign.id),
			);
		const before = await campaignIds();
		await bed.admin('POST', '/faults', {
			method: 'POST',
			path: '/campaigns',
			kind: 'drop',
			when: 'after',
		});
		const result = await bed.run(CAMPAIGN);
		expect(result.error?.message).toMatch(/No answer from Scravio for POST \/campaigns/);
		expect(result.error?.description).toContain('may have been processed');

		const log = await bed.requests();
		expect(requestsOf(log, 'createCampaign')).toHaveLength(1);
		expect(requestsOf(log, 'createCampaign')[0].fault).toBe('drop:after');
		const created = (await campaignIds()).filter((id) => !before.includes(id));
		expect(created).toHaveLength(1);
		const ledger = await api<{ transactions: IDataObject[] }>(
			`/credit-transactions?campaignId=${created[0]}&perPage=100`,
		);
		expect(ledger.transactions.filter((entry) => entry.type === 'reserve')).toHaveLength(1);
	});
});
