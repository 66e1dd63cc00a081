/**
 * The node under the sandbox's readings of what the reference leaves open (sandbox/README.md,
 * "Readings"), through n8n's engine over real HTTP:
 *  - page size: Return All and Limit of every paginated route return every record once under no
 *    cap, or a cap of 25, 50 or 100 that is clamped or refused with a 400; rows inserted at the
 *    top during Return All cause no duplicate and no loss;
 *  - Retry-After on 429: given in seconds, as an HTTP date, or absent.
 */
import { smallerPageSize } from '../../nodes/transport/pagination';
import { RETRY_POLICY } from '../../nodes/transport/retry';
import {
	DEFAULT_READINGS,
	PAGE_SIZE_READINGS,
	READING_VALUES,
	servedPageSize,
} from '../helpers/readings';
import { PRESETS, apiKeyCredential, json, requestsOf, startTestbed, type Testbed } from './setup';

const W = PRESETS.workspaces;
let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed({ clockSpeed: 0, enforceRateLimits: false });
	await bed.admin('PATCH', `/accounts/${PRESETS.accounts.demo.id}`, {
		concurrentCampaignLimit: 100_000,
	});
	// 59 more campaigns in ws_team (60 in all) and 60 validation jobs: several pages under every cap.
	for (let i = 0; i < 59; i++)
		await call(
			'POST',
			'/campaigns',
			{ type: 'INSTAGRAM_HASHTAG', inputs: { hashtag: `readings${i}` }, targetEmails: 10 },
			W.team,
		);
	for (let i = 0; i < 60; i++)
		await call('POST', '/validation-jobs/text', { emails: [`reader${i}@example.com`] });
});
afterAll(async () => await bed.close());
beforeEach(async () => await bed.clearRequests());

async function call(method: string, path: string, body?: unknown, workspaceId?: string) {
	const response = await fetch(`${bed.apiUrl}${path}`, {
		method,
		headers: {
			'X-API-Key': PRESETS.apiKeys.account,
			'Content-Type': 'application/json',
			...(workspaceId ? { 'X-Workspace-Id': workspaceId } : {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
	return JSON.parse(text);
}

/** Every id of a list, read straight from the API in pages of 10 (the documented default size). */
async function allIds(
	path: string,
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route wraps its list differently
	itemsOf: (body: any) => Array<Record<string, unknown>>,
	idField: string,
	workspaceId?: string,
): Promise<string[]> {
	const ids: string[] = [];
	for (let page = 1; ; page++) {
		const body = await call(
			'GET',
			`${path}${path.includes('?') ? '&' : '?'}page=${page}`,
			undefined,
			workspaceId,
		);
		const items = itemsOf(body);
		ids.push(...items.map((item) => String(item[idField])));
		if (items.length === 0) {
			await bed.clearRequests(); // the ground truth's own requests are not the node's
			return ids;
		}
	}
}

const teamCredential = () => apiKeyCredential(bed.apiUrl, PRESETS.apiKeys.account, W.team);

describe.each(PAGE_SIZE_READINGS)('page size cap $pageSizeCap / $overPageSizeCap', (reading) => {
	beforeAll(async () => await bed.admin('PATCH', '/readings', reading));
	afterAll(async () => await bed.admin('PATCH', '/readings', DEFAULT_READINGS));

	it('Campaign › Get Many, Return All: every campaign (60 or more), each once, in the API order', async () => {
		const expected = await allIds('/campaigns', (body) => body.items, 'id', W.team);
		expect(expected.length).toBeGreaterThanOrEqual(60);
		expect(new Set(expected).size).toBe(expected.length);
		const campaigns = json(
			await bed.run(
				{ resource: 'campaign', operation: 'getMany', returnAll: true },
				{ credential: teamCredential() },
			),
		);
		expect(campaigns.map((campaign) => campaign.id)).toEqual(expected);
	});

	it('Campaign › Get Many, Limit 55: 55 campaigns, the first 55 of the list', async () => {
		const expected = (await allIds('/campaigns', (body) => body.items, 'id', W.team)).slice(0, 55);
		const campaigns = json(
			await bed.run(
				{ resource: 'campaign', operation: 'getMany', limit: 55 },
				{ credential: teamCredential() },
			),
		);
		expect(campaigns.map((campaign) => campaign.id)).toEqual(expected);
		const served = servedPageSize(reading, 55);
		expect(
			requestsOf(await bed.requests(), 'listCampaigns').filter((entry) => entry.status === 200),
		).toHaveLength(Math.ceil(55 / served));
	});

	it('Validation Job › Get Many (page/limit; the size used is not reported): every job once', async () => {
		const expected = await allIds('/validation-jobs', (body) => body.data.jobs, 'jobId');
		expect(expected.length).toBeGreaterThanOrEqual(60);
		const jobs = json(
			await bed.run({ resource: 'validationJob', operation: 'getMany', returnAll: true }),
		);
		expect(jobs.map((job) => job.jobId)).toEqual(expected);
		const pages = requestsOf(await bed.requests(), 'listValidationJobs').filter(
			(entry) => entry.status === 200,
		);
		expect(pages.map((entry) => entry.query.page)).toEqual(
			Array.from({ length: Math.ceil(expected.length / servedPageSize(reading, 100)) }, (_, i) =>
				String(i + 1),
			),
		);
	});

	it('rows inserted at the top during Return All: no duplicate, no record lost', async () => {
		// More than one page of 100 (the node's ceiling), so that every reading has pages after the first.
		let count = (await call('GET', '/campaigns?perPage=1', undefined, W.team)).pagination
			.totalCount;
		while (count++ < 130)
			await call(
				'POST',
				'/campaigns',
				{ type: 'INSTAGRAM_HASHTAG', inputs: { hashtag: `more${count}` }, targetEmails: 10 },
				W.team,
			);
		const before = await allIds('/campaigns', (body) => body.items, 'id', W.team);
		// Every page of the list waits 300 ms before it is served; 20 campaigns are created as
		// soon as page 1 has been answered, while the next pages are in flight.
		await bed.admin('POST', '/faults', {
			method: 'GET',
			path: '/api/campaigns',
			kind: 'latency',
			latencyMs: 300,
			times: 20,
		});
		const run = bed.run(
			{ resource: 'campaign', operation: 'getMany', returnAll: true },
			{ credential: teamCredential() },
		);
		for (let i = 0; i < 200; i++) {
			if (requestsOf(await bed.requests(), 'listCampaigns').some((entry) => entry.status === 200))
				break;
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		const inserted: string[] = [];
		for (let i = 0; i < 20; i++) {
			const { campaign } = await call(
				'POST',
				'/campaigns',
				{ type: 'INSTAGRAM_HASHTAG', inputs: { hashtag: `inserted${i}` }, targetEmails: 10 },
				W.team,
			);
			inserted.push(campaign.id);
		}
		const result = json(await run);
		await bed.admin('DELETE', '/faults');
		const ids = result.map((campaign) => String(campaign.id));
		expect(new Set(ids).size).toBe(ids.length); // no duplicate
		expect(ids.filter((id) => !inserted.includes(id))).toEqual(before); // every record of the walk's start, in order
		// The pages after the first really saw the inserted rows (else this test proves nothing).
		const pages = requestsOf(await bed.requests(), 'listCampaigns').filter(
			(entry) => entry.status === 200,
		);
		expect(pages.length).toBeGreaterThan(1);
		// The inserted campaigns stay: the other tests read their ground truth from the API each time.
	});
});

describe('a page size the API refuses', () => {
	const refused = (errors: unknown[], message = 'Validation failed') => ({
		httpCode: '400',
		errorResponse: { message, errors },
	});

	it('takes the largest size the API names, else the next step down', () => {
		expect(
			smallerPageSize(
				refused([{ param: 'perPage', msg: 'must be <= 25', location: 'query' }]),
				'perPage',
				100,
			),
		).toBe(25);
		expect(
			smallerPageSize(
				refused([{ param: 'perPage', msg: 'is too large', location: 'query' }]),
				'perPage',
				100,
			),
		).toBe(50);
		expect(smallerPageSize(refused([{ param: 'limit', msg: 'too large' }]), 'limit', 50)).toBe(25);
		expect(smallerPageSize(refused([], 'perPage must not exceed 40'), 'perPage', 100)).toBe(40);
	});

	it('gives up on errors about something else, or when nothing smaller is left', () => {
		expect(
			smallerPageSize(refused([{ param: 'status', msg: 'must be one of ...' }]), 'perPage', 100),
		).toBeUndefined();
		expect(smallerPageSize({ httpCode: '500', errorResponse: {} }, 'perPage', 100)).toBeUndefined();
		expect(
			smallerPageSize(refused([{ param: 'perPage', msg: 'too large' }]), 'perPage', 1),
		).toBeUndefined();
	});

	it('a filter the API refuses still fails with the API error, after one request', async () => {
		const result = await bed.run({
			resource: 'campaign',
			operation: 'getMany',
			returnAll: true,
			filters: { from: 'not a date' },
		});
		expect(result.error?.name).toBe('NodeApiError');
		expect(requestsOf(await bed.requests(), 'listCampaigns')).toHaveLength(1);
	});
});

describe.each(READING_VALUES.retryAfter)('429 with Retry-After %s', (retryAfter) => {
	beforeAll(async () => await bed.admin('PATCH', '/readings', { retryAfter }));
	afterAll(async () => await bed.admin('PATCH', '/readings', DEFAULT_READINGS));
	const expectedWaitMs =
		retryAfter === 'absent' ? RETRY_POLICY.defaultRetryAfterSeconds * 1000 : 1000;

	it('a GET is retried after the wait and succeeds', async () => {
		await bed.admin('POST', '/faults', {
			method: 'GET',
			path: '/api/auth/me',
			kind: 'rateLimit',
			retryAfter: 1,
		});
		const started = Date.now();
		const [me] = json(await bed.run({ resource: 'account', operation: 'get' }));
		const elapsed = Date.now() - started;
		expect(me.id).toBe(PRESETS.accounts.demo.id);
		expect(requestsOf(await bed.requests(), 'getAccount').map((entry) => entry.status)).toEqual([
			429, 200,
		]);
		expect(elapsed).toBeGreaterThanOrEqual(expectedWaitMs - 50);
	});

	it('a charging POST answered 429 (not processed) is sent again once and creates one job', async () => {
		const jobsBefore = (await call('GET', '/validation-jobs?limit=1')).data.total;
		await bed.admin('POST', '/faults', {
			method: 'POST',
			path: '/api/validation-jobs/text',
			kind: 'rateLimit',
			retryAfter: 1,
		});
		const [job] = json(
			await bed.run({
				resource: 'validationJob',
				operation: 'create',
				mode: 'perItem',
				emails: 'retry@example.com',
			}),
		);
		expect(job.jobId).toEqual(expect.any(String));
		expect(
			requestsOf(await bed.requests(), 'createValidationJob').map((entry) => entry.status),
		).toEqual([429, 201]);
		expect((await call('GET', '/validation-jobs?limit=1')).data.total).toBe(jobsBefore + 1);
	});

	if (retryAfter !== 'absent') {
		it('a wait longer than the node waits out fails at once, saying how long', async () => {
			await bed.admin('POST', '/faults', {
				method: 'GET',
				path: '/api/auth/me',
				kind: 'rateLimit',
				retryAfter: 3600,
			});
			const started = Date.now();
			const result = await bed.run({ resource: 'account', operation: 'get' });
			expect(Date.now() - started).toBeLessThan(3000);
			expect(result.error?.description).toMatch(/wait 360[01] s/);
			expect(requestsOf(await bed.requests(), 'getAccount')).toHaveLength(1);
		});
	}
});

describe.each(READING_VALUES.emailMasking)('e-mail masking %s', (emailMasking) => {
	beforeAll(async () => await bed.admin('PATCH', '/readings', { emailMasking }));
	afterAll(async () => await bed.admin('PATCH', '/readings', DEFAULT_READINGS));

	it('Lead › Get Many returns every lead with the masking the API applied, flagged per lead', async () => {
		const leads = json(
			await bed.run({
				resource: 'lead',
				operation: 'getMany',
				campaignId: { __rl: true, mode: 'id', value: 'cmp_demo_hashtag' },
				returnAll: true,
				filters: { hasEmail: true },
			}),
		);
		expect(leads.length).toBeGreaterThan(100);
		const masked = emailMasking === 'on'; // the demo account does not mask by itself
		expect(leads.every((lead) => lead.emailMasked === masked)).toBe(true);
		expect(leads.every((lead) => String(lead.email).includes('***') === masked)).toBe(true);
	});
});
