/**
 * Validation Job operations through n8n's engine against the sandbox: create (with the e-mail
 * list checked and deduplicated before anything is sent), get, getMany and downloadResults.
 */
import { byId, json, requestsOf, startTestbed, type Testbed } from './setup';

let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed();
});
afterAll(async () => await bed.close());
beforeEach(async () => {
	// POST /validation-jobs/text allows 3 requests per hour: start every test in a fresh window.
	await bed.advance(3601);
	await bed.clearRequests();
});

describe('validationJob create', () => {
	it('splits lines and commas, dedupes case-insensitively, and sends one request', async () => {
		const [job] = json(
			await bed.run({
				resource: 'validationJob',
				operation: 'create',
				emails:
					'Anna@Example.com\nben@example.org, anna@example.com\n\n  carl@example.net ;ben@EXAMPLE.org',
			}),
		);
		expect(job).toMatchObject({
			totalEmails: 3,
			status: expect.stringMatching(/pending|queued|processing|completed/),
		});
		expect(String(job.jobId)).toMatch(/^vjob_/);
		const sent = requestsOf(await bed.requests(), 'createValidationJob');
		expect(sent).toHaveLength(1);
		expect(sent[0].workspaceId).toBeNull();
	});

	it('takes an array from an expression, one job per input item', async () => {
		const result = await bed.run(
			{ resource: 'validationJob', operation: 'create', emails: '={{ $json.list }}' },
			{
				items: [
					{ json: { list: ['a@example.com', 'b@example.com'] } },
					{ json: { list: ['c@example.com'] } },
				],
			},
		);
		expect(json(result).map((job) => job.totalEmails)).toEqual([2, 1]);
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(requestsOf(await bed.requests(), 'createValidationJob')).toHaveLength(2);
	});

	it.each([
		['an empty list', '  \n , ', /Emails is empty/],
		[
			'an entry that is not an address',
			'anna@example.com\nBen Miller\ncarl@',
			/Emails contains 2 entries that are not e-mail addresses/,
		],
		[
			'more than 5000 unique addresses',
			Array.from({ length: 5001 }, (_, i) => `user${i}@example.com`).join('\n'),
			/more than the 5000/,
		],
	])('refuses %s before sending anything', async (_case, emails, message) => {
		const result = await bed.run({ resource: 'validationJob', operation: 'create', emails });
		expect(result.error?.message).toMatch(message);
		expect(await bed.requests()).toHaveLength(0);
	});

	it('names the offending entries in the error description', async () => {
		const result = await bed.run({
			resource: 'validationJob',
			operation: 'create',
			emails: 'ok@example.com, Ben Miller',
		});
		expect(result.error?.description).toContain('"Ben Miller"');
		expect(result.error?.description).toContain('"Emails" field');
	});

	it('5000 addresses that dedupe to 5000 pass, even if 6000 were typed', async () => {
		const list = Array.from({ length: 5000 }, (_, i) => `user${i}@example.com`);
		const typed = [...list, ...list.slice(0, 1000).map((email) => email.toUpperCase())];
		const [job] = json(
			await bed.run(
				{ resource: 'validationJob', operation: 'create', emails: '={{ $json.list }}' },
				{ items: [{ json: { list: typed } }] },
			),
		);
		expect(job.totalEmails).toBe(5000);
	});
});

describe('validationJob get, getMany and downloadResults', () => {
	let jobId: string;
	beforeAll(async () => {
		await bed.advance(3601);
		const [job] = json(
			await bed.run({
				resource: 'validationJob',
				operation: 'create',
				emails: 'anna@example.com\nnot-valid@mailinator.com\nben@example.org',
			}),
		);
		jobId = String(job.jobId);
	});

	it('downloadResults before completion fails and says the status, without downloading', async () => {
		const [other] = json(
			await bed.run({ resource: 'validationJob', operation: 'create', emails: 'late@example.com' }),
		);
		await bed.clearRequests();
		const result = await bed.run({
			resource: 'validationJob',
			operation: 'downloadResults',
			jobId: byId(String(other.jobId)),
		});
		expect(result.error?.message).toMatch(
			new RegExp(
				`Validation job ${String(other.jobId)} has no results to download yet \\(status: (pending|queued|processing)\\)`,
			),
		);
		const log = await bed.requests();
		expect(requestsOf(log, 'getValidationJob')).toHaveLength(1);
		expect(log).toHaveLength(1);
	});

	it('get returns the job; once completed it has counts, and its download URL only with "Include Download URL"', async () => {
		await bed.advance(60);
		const [job] = json(
			await bed.run({ resource: 'validationJob', operation: 'get', jobId: byId(jobId) }),
		);
		expect(job).toMatchObject({ jobId, status: 'completed', totalEmails: 3, processedCount: 3 });
		expect(Number(job.validCount) + Number(job.invalidCount)).toBe(3);
		expect(job.invalidCount).toBeGreaterThanOrEqual(1); // the disposable address
		// The reference: an "opaque short-lived" URL; "Do not parse or persist the returned URL".
		expect(job).not.toHaveProperty('downloadUrl');
		const [asked] = json(
			await bed.run({
				resource: 'validationJob',
				operation: 'get',
				jobId: byId(jobId),
				options: { includeDownloadUrl: true },
			}),
		);
		expect(typeof asked.downloadUrl).toBe('string');
		const many = json(
			await bed.run({
				resource: 'validationJob',
				operation: 'getMany',
				returnAll: true,
				filters: { status: 'completed' },
			}),
		);
		expect(many.length).toBeGreaterThan(0);
		for (const entry of many) expect(entry).not.toHaveProperty('downloadUrl');
		const manyAsked = json(
			await bed.run({
				resource: 'validationJob',
				operation: 'getMany',
				returnAll: true,
				filters: { status: 'completed' },
				options: { includeDownloadUrl: true },
			}),
		);
		expect(manyAsked.find((entry) => entry.jobId === jobId)?.downloadUrl).toEqual(
			expect.any(String),
		);
	});

	it('getMany pages with page/limit and filters by status', async () => {
		const all = json(
			await bed.run({ resource: 'validationJob', operation: 'getMany', returnAll: true }),
		);
		expect(all.map((job) => job.jobId)).toContain(jobId);

		await bed.clearRequests();
		const two = json(
			await bed.run({
				resource: 'validationJob',
				operation: 'getMany',
				limit: 2,
				options: { sortBy: 'createdAt', order: 'asc' },
			}),
		);
		expect(two).toHaveLength(2);
		const [sent] = requestsOf(await bed.requests(), 'listValidationJobs');
		expect(sent.query).toEqual({ page: '1', limit: '2', sortBy: 'createdAt', order: 'asc' });

		await bed.clearRequests();
		const completed = json(
			await bed.run({
				resource: 'validationJob',
				operation: 'getMany',
				returnAll: true,
				filters: { status: 'completed', provider: '' },
			}),
		);
		expect(completed.length).toBeGreaterThan(0);
		expect(completed.every((job) => job.status === 'completed')).toBe(true);
		const [filtered] = requestsOf(await bed.requests(), 'listValidationJobs');
		expect(filtered.query).toEqual({ page: '1', limit: '100', status: 'completed' });
	});

	it('downloadResults returns the results CSV as binary, fetched without credentials', async () => {
		await bed.clearRequests();
		const result = await bed.run({
			resource: 'validationJob',
			operation: 'downloadResults',
			jobId: byId(jobId),
			binaryPropertyName: 'results',
		});
		const [item] = result.outputs[0];
		expect(result.error).toBeUndefined();
		expect(item.json).toMatchObject({
			jobId,
			status: 'completed',
			totalEmails: 3,
			mimeType: 'text/csv',
		});
		const binary = item.binary!.results;
		expect(binary.mimeType).toBe('text/csv');
		expect(binary.fileName).toMatch(/\.csv$/);
		const text = Buffer.from(binary.data, 'base64').toString('utf8');
		expect(text).toContain('anna@example.com');
		expect(text).toContain('not-valid@mailinator.com');

		const storage = await bed.storageRequests();
		expect(storage.length).toBeGreaterThanOrEqual(1);
		for (const request of storage) {
			expect(request.apiKey).toBe('absent');
			expect(request.authorization).toBe('absent');
		}
	});
});

describe('validationJob getMany across pages', () => {
	let many: Testbed;
	beforeAll(async () => {
		// 105 jobs need a sandbox without the 3-per-hour limit of POST /validation-jobs/text.
		many = await startTestbed({ enforceRateLimits: false });
		for (let i = 0; i < 105; i++) {
			const response = await fetch(`${many.apiUrl}/validation-jobs/text`, {
				method: 'POST',
				headers: {
					'X-API-Key': 'sk_live_sandbox_demo_account',
					'Content-Type': 'application/json',
				},
				body: JSON.stringify({ emails: [`user${i}@example.com`] }),
			});
			expect(response.status).toBe(201);
		}
		await many.clearRequests();
	});
	afterAll(async () => await many.close());

	it('Return All walks both pages with page/limit and returns all 105 jobs once', async () => {
		const jobs = json(
			await many.run({ resource: 'validationJob', operation: 'getMany', returnAll: true }),
		);
		expect(jobs).toHaveLength(105);
		expect(new Set(jobs.map((job) => job.jobId)).size).toBe(105);
		const sent = requestsOf(await many.requests(), 'listValidationJobs');
		expect(sent.map((request) => request.query)).toEqual([
			{ page: '1', limit: '100' },
			{ page: '2', limit: '100' },
		]);
	});
});
