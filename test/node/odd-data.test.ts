/**
 * Odd data gets a clear answer that names the route or the field, through n8n's engine against
 * the sandbox: 2xx answers of the wrong shape (the sandbox's `body` fault), ids that would change
 * the route, ids that are objects, a Limit that is not a whole number, a malformed `filename*`,
 * and a charging request whose connection was lost (no invitation to retry it).
 */
import type { INodeParameters } from 'n8n-workflow';

import { fileNameFromDisposition } from '../../nodes/transport';
import { byId, json, requestsOf, startTestbed, type Testbed } from './setup';

let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed({ enforceRateLimits: false });
});
afterAll(async () => await bed.close());
beforeEach(async () => {
	await bed.admin('DELETE', '/faults');
	await bed.clearRequests();
});

const fault = async (spec: Record<string, unknown>) => await bed.admin('POST', '/faults', spec);
const campaignCount = async () =>
	json(await bed.run({ resource: 'campaign', operation: 'getMany', returnAll: true })).length;
const CAMPAIGN_FORM = {
	resource: 'campaign',
	operation: 'create',
	type: 'INSTAGRAM_HASHTAG',
	hashtags: 'oddData',
	targetEmails: 10,
};
/** Texts that would invite running a charging request again. */
const RETRY_INVITATION = /retry the request|you can retry|retry later|try again|Retry on Fail/i;

describe('2xx answers of the wrong shape name the route', () => {
	it('a list route whose list is not an array', async () => {
		await fault({
			method: 'GET',
			path: '/campaigns',
			kind: 'body',
			body: { items: { id: 'cmp_1' }, pagination: { totalPages: 1 } },
		});
		const result = await bed.run({ resource: 'campaign', operation: 'getMany', limit: 5 });
		expect(result.error?.message).toBe(
			'Scravio answered GET /campaigns with HTTP 200 but without a list in items',
		);
	});

	it('a created campaign without an id: an error naming POST /campaigns, saying it may have been processed; nothing waits for "campaign undefined"', async () => {
		const before = await campaignCount();
		await bed.clearRequests();
		await fault({
			method: 'POST',
			path: '/campaigns',
			kind: 'body',
			when: 'after',
			status: 201,
			body: { campaign: { title: 'no id here' } },
		});
		const result = await bed.run({
			...CAMPAIGN_FORM,
			waitForCompletion: true,
			maxWaitMinutes: 0.05,
		} as INodeParameters);
		expect(result.error?.message).toBe(
			'Scravio answered POST /campaigns with HTTP 201 but without id',
		);
		expect(result.error?.description).toMatch(
			/may have been processed .* not retried, so nothing is charged twice/,
		);
		expect(`${result.error?.message} ${result.error?.description}`).not.toMatch(RETRY_INVITATION);
		const log = await bed.requests();
		expect(requestsOf(log, 'createCampaign')).toHaveLength(1);
		expect(requestsOf(log, 'getCampaign')).toHaveLength(0);
		expect(await campaignCount()).toBe(before + 1); // the route ran: one campaign, one charge
	});

	it.each([
		[
			'export create',
			{
				resource: 'export',
				operation: 'create',
				campaignId: byId('cmp_demo_hashtag'),
				fileFormat: 'csv',
			},
			'POST',
			'/list-exports',
			'exportId',
		],
		[
			'validation job create',
			{ resource: 'validationJob', operation: 'create', emails: 'anna@example.com' },
			'POST',
			'/validation-jobs/text',
			'jobId',
		],
		[
			'campaign validate',
			{ resource: 'campaign', operation: 'validate', campaignId: byId('cmp_demo_hashtag') },
			'POST',
			'/campaigns/cmp_demo_hashtag/validate',
			'jobId',
		],
	])(
		'%s without its id names the route and the field',
		async (_name, parameters, method, path, field) => {
			await fault({
				method,
				path,
				kind: 'body',
				status: 201,
				body: { success: true, data: { status: 'queued' } },
			});
			const result = await bed.run(parameters as INodeParameters);
			expect(result.error?.message).toBe(
				`Scravio answered ${method} ${path} with HTTP 201 but without ${field}`,
			);
		},
	);
});

describe('ids that would change the route are refused before any request', () => {
	it.each(['..', '.', '%2e%2e', 'cmp_1/../../validate', 'a\\b'])(
		'Validate with campaign id %j',
		async (id) => {
			const result = await bed.run({
				resource: 'campaign',
				operation: 'validate',
				campaignId: byId(id),
			});
			expect(result.error?.message).toBe(`Campaign "${id}" is not a valid ID`);
			expect(await bed.requests()).toHaveLength(0);
		},
	);

	it('an expression that resolves to an object names the field', async () => {
		const result = await bed.run(
			{
				resource: 'campaign',
				operation: 'validate',
				campaignId: { __rl: true, mode: 'id', value: '={{ $json.campaign }}' },
			},
			{ items: [{ json: { campaign: { id: 'cmp_demo_hashtag', title: 'x' } } }] },
		);
		expect(result.error?.message).toBe('Campaign must be an ID, but its value is an object');
		expect(result.error?.description).toContain('{{ $json.id }}');
		expect(await bed.requests()).toHaveLength(0);
	});
});

describe('Limit', () => {
	it.each([0, 2.5, 'abc', -3, '={{ "abc" }}', '={{ 0 }}'])(
		'%j is refused, naming Limit, before any request',
		async (limit) => {
			const result = await bed.run({
				resource: 'campaign',
				operation: 'getMany',
				returnAll: false,
				limit,
			} as INodeParameters);
			expect(result.error?.message).toMatch(/^Limit must be a whole number of at least 1, not /);
			expect(result.error?.message).not.toMatch(/perPage/);
			expect(await bed.requests()).toHaveLength(0);
		},
	);

	it('a whole number, also as text from an expression, works', async () => {
		expect(
			json(await bed.run({ resource: 'campaign', operation: 'getMany', limit: '={{ "2" }}' })),
		).toHaveLength(2);
	});
});

describe('Content-Disposition', () => {
	it('a malformed filename* falls back to filename, never "URI malformed"', () => {
		expect(
			fileNameFromDisposition(`attachment; filename*=UTF-8''%E0%A4%A; filename="leads.csv"`),
		).toBe('leads.csv');
		expect(fileNameFromDisposition(`attachment; filename*=UTF-8''%ZZbad`)).toBeUndefined();
		expect(
			fileNameFromDisposition(`attachment; filename*=UTF-8''l%C3%A9ads.csv; filename="x.csv"`),
		).toBe('léads.csv');
		expect(fileNameFromDisposition(`attachment; filename="plain.csv"`)).toBe('plain.csv');
	});
});

describe('a charging request that lost its connection', () => {
	it('says it may have been processed and does not invite a retry (n8n\'s "You can retry the request immediately" is not passed on)', async () => {
		await fault({ method: 'POST', path: '/campaigns', kind: 'drop', when: 'after' });
		const result = await bed.run(CAMPAIGN_FORM as INodeParameters);
		expect(result.error?.message).toBe(
			'No answer from Scravio for POST /campaigns: the connection was closed before an answer arrived',
		);
		expect(result.error?.description).toMatch(
			/^The request may have been processed \(and credits reserved\)\. It was not retried/,
		);
		expect(`${result.error?.message} ${result.error?.description}`).not.toMatch(RETRY_INVITATION);
		expect(requestsOf(await bed.requests(), 'createCampaign')).toHaveLength(1);
	});

	it('a 5xx whose message says "retry later" does not pass that advice on', async () => {
		await fault({
			method: 'POST',
			path: '/campaigns',
			kind: 'body',
			when: 'after',
			status: 503,
			body: { message: 'Service busy, please retry later', code: 'BUSY' },
		});
		const result = await bed.run(CAMPAIGN_FORM as INodeParameters);
		expect(result.error?.message).toBe('Scravio answered POST /campaigns with HTTP 503');
		expect(`${result.error?.message} ${result.error?.description}`).not.toMatch(RETRY_INVITATION);
	});
});
