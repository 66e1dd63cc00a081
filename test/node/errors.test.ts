/**
 * API errors through n8n's engine against the sandbox: the API's error object becomes a
 * NodeApiError with message, code, field errors and requestId; Continue On Fail and the error
 * output give paired error items; secrets appear nowhere.
 */
import { PRESETS, byId, json, requestsOf, startTestbed, type Testbed } from './setup';

let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed();
});
afterAll(async () => await bed.close());
beforeEach(async () => await bed.clearRequests());

/** The node's error as the engine's run data keeps it (a plain copy of the NodeApiError's fields). */
interface ApiErrorData {
	name: string;
	message: string;
	description?: string;
	httpCode: string;
	errorResponse: {
		code: string;
		errors: Array<{ param: string; msg: string; location: string }>;
		requestId: string;
	};
	context: { itemIndex?: number };
	stack?: string;
}

const byExpression = { __rl: true, mode: 'id', value: '={{ $json.id }}' };
const threeCampaigns = [
	{ json: { id: 'cmp_demo_hashtag' } },
	{ json: { id: 'cmp_other_hashtag' } },
	{ json: { id: 'cmp_demo_maps' } },
];

describe('API error mapping', () => {
	it('a VALIDATION_ERROR keeps message, code, field errors and the requestId the API logged', async () => {
		const result = await bed.run({
			resource: 'lead',
			operation: 'getMany',
			campaignId: byId('cmp_demo_hashtag'),
			limit: 5,
			filters: { validationStatus: 'bogus' },
		});
		const error = result.error as unknown as ApiErrorData;
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('400');
		const [sent] = requestsOf(await bed.requests(), 'listCampaignLeads');
		const body = error.errorResponse;
		expect(body.code).toBe('VALIDATION_ERROR');
		expect(body.errors).toEqual([
			expect.objectContaining({ param: 'validationStatus', location: 'query' }),
		]);
		expect(body.requestId).toBe(sent.requestId);
		expect(error.description).toContain('validationStatus: ');
		expect(error.description).toContain(`Request ID: ${sent.requestId}`);
	});

	it("another workspace's campaign is a 404 with the API's message", async () => {
		const result = await bed.run({
			resource: 'campaign',
			operation: 'get',
			campaignId: byId('cmp_other_hashtag'),
		});
		const error = result.error as unknown as ApiErrorData;
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('404');
		expect(error.message).toMatch(/not found/i);
		expect(error.errorResponse.code).toBe('NOT_FOUND');
	});

	it('an invalid API key is a 401, and neither the error nor its description contains the key', async () => {
		const secret = 'sk_live_this_key_does_not_exist_123';
		const result = await bed.run(
			{ resource: 'account', operation: 'get' },
			{
				credential: {
					authentication: 'apiKey',
					apiKey: secret,
					baseUrl: bed.apiUrl,
					workspaceId: '',
				},
			},
		);
		const error = result.error as unknown as ApiErrorData;
		expect(error.httpCode).toBe('401');
		const everything = JSON.stringify({
			...error,
			message: error.message,
			description: error.description,
			stack: error.stack,
		});
		expect(everything).not.toContain(secret);
	});
});

describe('Continue On Fail and the error output', () => {
	it('Continue On Fail: the failed item becomes an error item in place, every item paired', async () => {
		const result = await bed.run(
			{ resource: 'campaign', operation: 'get', campaignId: byExpression },
			{ items: threeCampaigns, continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		const items = result.outputs[0];
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.id).toBe('cmp_demo_hashtag');
		const [, missing] = requestsOf(await bed.requests(), 'getCampaign');
		expect(items[1].json).toEqual({
			error: expect.stringMatching(/not found/i),
			details: {
				httpCode: '404',
				code: 'NOT_FOUND',
				requestId: missing.requestId,
				description: `Request ID: ${missing.requestId}`,
			},
		});
		expect(items[2].json.id).toBe('cmp_demo_maps');
		expect(requestsOf(await bed.requests(), 'getCampaign')).toHaveLength(3);
	});

	it('error output: successes on output 0, the failure on output 1, paired with its input', async () => {
		const result = await bed.run(
			{ resource: 'campaign', operation: 'get', campaignId: byExpression },
			{ items: threeCampaigns, onError: 'continueErrorOutput' },
		);
		expect(result.error).toBeUndefined();
		const [success, failure] = result.outputs;
		expect(success.map((item) => [item.json.id, item.pairedItem])).toEqual([
			['cmp_demo_hashtag', { item: 0 }],
			['cmp_demo_maps', { item: 2 }],
		]);
		expect(failure).toHaveLength(1);
		expect(failure[0].pairedItem).toEqual({ item: 1 });
		expect(failure[0].json).toMatchObject({
			error: expect.stringMatching(/not found/i),
			details: { httpCode: '404', code: 'NOT_FOUND' },
		});
	});

	it('without Continue On Fail the node stops at the first failure with the item index', async () => {
		const result = await bed.run(
			{ resource: 'campaign', operation: 'get', campaignId: byExpression },
			{ items: threeCampaigns },
		);
		const error = result.error as unknown as ApiErrorData;
		expect(error.name).toBe('NodeApiError');
		expect(error.context.itemIndex).toBe(1);
		expect(requestsOf(await bed.requests(), 'getCampaign')).toHaveLength(2);
	});

	it('a check that fails before sending is an error item too (Continue On Fail), and sends nothing for that item', async () => {
		const result = await bed.run(
			{ resource: 'validationJob', operation: 'create', emails: '={{ $json.emails }}' },
			{ items: [{ json: { emails: 'not an address' } }], continueOnFail: true },
		);
		const [item] = result.outputs[0];
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(String(item.json.error)).toMatch(
			/Emails contains 1 entry that is not an e-mail address/,
		);
		expect((item.json.details as { description: string }).description).toContain(
			'"not an address"',
		);
		expect(await bed.requests()).toHaveLength(0);
	});
});

describe('secrets', () => {
	it('the access token never appears in outputs or errors', async () => {
		const result = await bed.run(
			{ resource: 'campaign', operation: 'get', campaignId: byExpression },
			{
				items: threeCampaigns,
				continueOnFail: true,
				credential: {
					authentication: 'accessToken',
					accessToken: PRESETS.accessTokens.demo,
					baseUrl: bed.apiUrl,
					workspaceId: '',
				},
			},
		);
		expect(JSON.stringify(result.outputs)).not.toContain(PRESETS.accessTokens.demo);
		expect(JSON.stringify(json(result))).not.toContain(PRESETS.accessTokens.demo);
	});
});
