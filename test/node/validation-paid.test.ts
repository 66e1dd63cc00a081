/**
 * What paid validation never gets, and how its results are fetched (issue 10 §3), through n8n's
 * real engine against the sandbox:
 *  - masked e-mails (a lead with `emailMasked: true`, from an account with `shouldMaskEmail`) are
 *    never sent to a validation job: skipped and reported, in both modes;
 *  - results (and export files) are downloaded through a fresh link, and a link the file host
 *    calls expired (403 or 404) gets one more try with a fresh one.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	PRESETS,
	apiKeyCredential,
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

async function api<T = IDataObject>(path: string): Promise<T> {
	const response = await fetch(`${bed.apiUrl}${path}`, {
		headers: { 'X-API-Key': PRESETS.apiKeys.account },
	});
	if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
	return (await response.json()) as T;
}
const newestJob = async () =>
	(
		await api<{ data: { jobs: IDataObject[] } }>(
			'/validation-jobs?limit=1&sortBy=createdAt&order=desc',
		)
	).data.jobs[0];

async function untilLogged(ready: (log: LoggedRequest[]) => boolean): Promise<void> {
	while (!ready(await bed.requests())) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Leads of the free account, whose e-mails the API masks (`emailMasked: true`). */
async function maskedLeads(count: number): Promise<INodeExecutionData[]> {
	const result = await bed.run(
		{
			resource: 'lead',
			operation: 'getMany',
			campaignId: byId('cmp_free_hashtag'),
			returnAll: false,
			limit: count,
			filters: { hasEmail: true },
		},
		{ credential: apiKeyCredential(bed.apiUrl, PRESETS.apiKeys.free) },
	);
	const leads = json(result);
	expect(leads).toHaveLength(count);
	for (const lead of leads)
		expect(lead).toMatchObject({ emailMasked: true, email: expect.any(String) });
	await bed.clearRequests();
	return leads.map((lead) => ({ json: lead }));
}

describe('masked e-mails are never sent to a paid validation', () => {
	const COMBINE = {
		resource: 'validationJob',
		operation: 'create',
		mode: 'combine',
		emailField: 'email',
	};

	it('Combine All Items: masked leads are skipped and reported, even with "Invalid Addresses: Fail"; only real addresses are sent', async () => {
		await bed.advance(3601);
		const items = [...(await maskedLeads(3)), { json: { email: 'real.person@example.com' } }];
		const [job] = json(await bed.run({ ...COMBINE, onInvalid: 'fail' }, { items }));
		expect(job.emailsSent).toBe(1);
		expect(job.combined).toMatchObject({
			inputItems: 4,
			uniqueAddresses: 1,
			skipped: 3,
			skippedMasked: 3,
		});
		expect(
			((job.combined as IDataObject).skippedEntries as IDataObject[]).map((entry) => [
				entry.itemIndex,
				entry.reason,
			]),
		).toEqual([
			[0, 'masked_email'],
			[1, 'masked_email'],
			[2, 'masked_email'],
		]);
		expect(requestsOf(await bed.requests(), 'createValidationJob')).toHaveLength(1);
		expect(await newestJob()).toMatchObject({ jobId: job.jobId, totalEmails: 1 });
	});

	it('Combine All Items with Wait: a masked lead gets a "skipped" result with reason masked_email', async () => {
		await bed.advance(3601);
		const items = [...(await maskedLeads(1)), { json: { email: 'real.person@example.com' } }];
		const running = bed.run({ ...COMBINE, waitForCompletion: true }, { items });
		await untilLogged((log) => requestsOf(log, 'getValidationJob').length >= 1);
		await bed.advance(60);
		const out = json(await running);
		expect(out[0]).toEqual({
			email: items[0].json.email,
			status: 'skipped',
			reason: 'masked_email',
			jobId: null,
			jobStatus: null,
		});
		expect(out[1]).toMatchObject({ email: 'real.person@example.com', jobStatus: 'completed' });
	});

	it('Combine All Items: only masked addresses → an error that says so, nothing sent', async () => {
		const result = await bed.run(COMBINE, { items: await maskedLeads(2) });
		expect(result.error?.message).toBe('All e-mail addresses in the field "email" are masked');
		expect(result.error?.description).toContain('shouldMaskEmail');
		expect(await bed.requests()).toEqual([]);
	});

	it('one job per item: a masked lead is an error before anything is sent; masked addresses in a list are left out and reported', async () => {
		await bed.advance(3601);
		const [lead] = await maskedLeads(1);
		const refused = await bed.run(
			{ resource: 'validationJob', operation: 'create', emails: '={{ $json.email }}' },
			{ items: [lead] },
		);
		expect(refused.error?.message).toMatch(/^Emails holds only masked addresses/);
		expect(await bed.requests()).toEqual([]);

		const [job] = json(
			await bed.run({
				resource: 'validationJob',
				operation: 'create',
				emails: 'a***@example.com\nreal.person@example.com',
			}),
		);
		expect(job.skippedMasked).toEqual(['a***@example.com']);
		expect(await newestJob()).toMatchObject({ jobId: job.jobId, totalEmails: 1 });
	});
});

describe('fresh result links', () => {
	async function completedJob(): Promise<string> {
		await bed.advance(3601);
		const [job] = json(
			await bed.run({
				resource: 'validationJob',
				operation: 'create',
				emails: 'anna@example.com\nben@example.org',
			}),
		);
		await bed.advance(60);
		await bed.clearRequests();
		await bed.admin('DELETE', '/storage/requests');
		return String(job.jobId);
	}

	it('Download Results: a link that expired before it was used (403 from the file host) is retried once with a fresh one', async () => {
		const jobId = await completedJob();
		// The job is read (and its link signed) at once, but the answer is held back 1.5 s; meanwhile
		// the clock moves past the link's 10 minutes, so the file host refuses it.
		await bed.admin('POST', '/faults', {
			method: 'GET',
			path: `/validation-jobs/${jobId}`,
			kind: 'latency',
			latencyMs: 1500,
			when: 'after',
		});
		const running = bed.run({
			resource: 'validationJob',
			operation: 'downloadResults',
			jobId: byId(jobId),
		});
		while (((await bed.admin('GET', '/faults')) as { faults?: unknown[] }).faults?.length)
			await new Promise((resolve) => setTimeout(resolve, 20));
		await new Promise((resolve) => setTimeout(resolve, 300));
		await bed.advance(11 * 60);
		const result = await running;
		const [item] = result.outputs[0] ?? [];
		expect(result.error).toBeUndefined();
		expect(item.json).toMatchObject({ jobId, status: 'completed' });
		expect(Buffer.from(item.binary!.data.data, 'base64').toString('utf8')).toMatch(
			/anna@example\.com/,
		);
		expect(requestsOf(await bed.requests(), 'getValidationJob')).toHaveLength(2);
		expect((await bed.storageRequests()).map((entry) => entry.status)).toEqual([403, 200]);
	});

	it('Download Results: a link that keeps failing is retried only once', async () => {
		const jobId = await completedJob();
		await bed.admin('POST', '/faults', {
			method: 'GET',
			path: `/validation-jobs/${jobId}`,
			kind: 'latency',
			latencyMs: 1500,
			when: 'after',
			times: 2,
		});
		const running = bed.run({
			resource: 'validationJob',
			operation: 'downloadResults',
			jobId: byId(jobId),
		});
		for (let read = 1; read <= 2; read++) {
			while (requestsOf(await bed.requests(), 'getValidationJob').length < read)
				await new Promise((resolve) => setTimeout(resolve, 20));
			await new Promise((resolve) => setTimeout(resolve, 300));
			await bed.advance(11 * 60);
		}
		const result = await running;
		expect(result.error?.message).toMatch(/Downloading the validation results failed \(HTTP 403\)/);
		expect((await bed.storageRequests()).map((entry) => entry.status)).toEqual([403, 403]);
	});

	it('export Download: an expired download link (404) is retried once with a fresh one', async () => {
		await bed.advance(3601);
		const [created] = json(
			await bed.run({
				resource: 'export',
				operation: 'create',
				campaignId: byId('cmp_demo_hashtag'),
				fileFormat: 'csv',
			}),
		);
		await bed.advance(600);
		const exportId = String(created.exportId);
		await bed.clearRequests();
		// The link is made at once, but handed over 1.5 s later, after the clock passed its 15 minutes.
		await bed.admin('POST', '/faults', {
			method: 'GET',
			path: `/list-exports/${exportId}/download`,
			kind: 'latency',
			latencyMs: 1500,
			when: 'after',
		});
		const running = bed.run({
			resource: 'export',
			operation: 'download',
			exportId: byId(exportId),
		});
		while (((await bed.admin('GET', '/faults')) as { faults?: unknown[] }).faults?.length)
			await new Promise((resolve) => setTimeout(resolve, 20));
		await new Promise((resolve) => setTimeout(resolve, 300));
		await bed.advance(16 * 60);
		const result = await running;
		expect(result.error).toBeUndefined();
		expect(result.outputs[0][0].binary?.data).toBeDefined();
		const log = await bed.requests();
		expect(requestsOf(log, 'getListExportDownloadUrl')).toHaveLength(2);
		expect(requestsOf(log, 'followListExportDownload').map((entry) => entry.status)).toEqual([
			404, 302,
		]);
	});

	it("Combine All Items with Wait: each job's results are fetched through a fresh link, not the one seen when the job completed", async () => {
		await bed.advance(3601);
		const items = Array.from({ length: 5003 }, (_, i) => ({
			json: { email: `fresh${i}@example.com` },
		}));
		// Reads of the jobs: #1 job 1 pending, #2 job 1 completed (its link is signed now), #3 job 2
		// completed, held back 1.5 s while the clock moves 11 minutes: job 1's link has expired by then.
		await bed.admin('POST', '/faults', [
			{
				method: 'GET',
				path: '^/api/validation-jobs/vjob_',
				kind: 'latency',
				latencyMs: 1,
				times: 2,
			},
			{
				method: 'GET',
				path: '^/api/validation-jobs/vjob_',
				kind: 'latency',
				latencyMs: 1500,
				when: 'after',
			},
		]);
		const running = bed.run(
			{
				resource: 'validationJob',
				operation: 'create',
				mode: 'combine',
				emailField: 'email',
				waitForCompletion: true,
			},
			{ items },
		);
		await untilLogged((log) => requestsOf(log, 'getValidationJob').length >= 1);
		await bed.advance(200);
		while (((await bed.admin('GET', '/faults')) as { faults?: unknown[] }).faults?.length)
			await new Promise((resolve) => setTimeout(resolve, 20));
		await new Promise((resolve) => setTimeout(resolve, 300));
		await bed.advance(11 * 60);
		const result = await running;
		expect(result.error).toBeUndefined();
		expect(result.outputs[0]).toHaveLength(5003);
		expect(result.outputs[0][0].json).toMatchObject({
			email: 'fresh0@example.com',
			jobStatus: 'completed',
		});
		const reads = requestsOf(await bed.requests(), 'getValidationJob').map((entry) => entry.fault);
		expect(reads.slice(0, 3)).toEqual(['latency:before', 'latency:before', 'latency:after']);
		// One fresh read per job before its download, and no expired link used.
		expect(reads).toHaveLength(5);
		expect((await bed.storageRequests()).map((entry) => entry.status)).toEqual([200, 200]);
	});
});
