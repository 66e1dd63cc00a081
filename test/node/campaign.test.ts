/**
 * Campaign operations other than create/previewCost (tested with the campaign form), through
 * n8n's engine against the sandbox: get, getMany, stop, previewValidation, validate and
 * getExportSchemas.
 */
import { PRESETS, byId, json, requestsOf, startTestbed, type Testbed } from './setup';

let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed();
});
afterAll(async () => await bed.close());
beforeEach(async () => await bed.clearRequests());

/** A new campaign, still running (the sandbox's clock runs at real speed). */
async function runningCampaign(): Promise<string> {
	const response = await fetch(`${bed.apiUrl}/campaigns`, {
		method: 'POST',
		headers: { 'X-API-Key': PRESETS.apiKeys.account, 'Content-Type': 'application/json' },
		body: JSON.stringify({
			type: 'INSTAGRAM_HASHTAG',
			inputs: { hashtag: 'stoptest' },
			targetEmails: 500,
		}),
	});
	const body = (await response.json()) as { campaign?: { id: string }; id?: string };
	const id = body.campaign?.id ?? body.id;
	if (!id) throw new Error(`campaign not created: ${JSON.stringify(body)}`);
	return id;
}

describe('campaign get', () => {
	it('returns the campaign with its real fields', async () => {
		const [campaign] = json(
			await bed.run({ resource: 'campaign', operation: 'get', campaignId: byId('cmp_demo_maps') }),
		);
		expect(campaign).toMatchObject({
			id: 'cmp_demo_maps',
			title: 'Sample: cafés in Berlin',
			type: 'GOOGLE_MAPS_SEARCH',
			status: 'fully_completed',
		});
		const [sent] = requestsOf(await bed.requests(), 'getCampaign');
		expect(sent.path).toBe('/api/campaigns/cmp_demo_maps');
	});
});

describe('campaign getMany', () => {
	it('returns the workspace campaigns, filtered by status', async () => {
		const campaigns = json(
			await bed.run({
				resource: 'campaign',
				operation: 'getMany',
				returnAll: true,
				filters: { status: 'fully_completed' },
			}),
		);
		const ids = campaigns.map((campaign) => campaign.id);
		expect(ids).toEqual(expect.arrayContaining(['cmp_demo_hashtag', 'cmp_demo_maps']));
		expect(ids).not.toContain('cmp_demo_youtube'); // stopped
		expect(ids).not.toContain('cmp_team_linkedin'); // another workspace
		expect(campaigns.every((campaign) => campaign.status === 'fully_completed')).toBe(true);
		const [sent] = requestsOf(await bed.requests(), 'listCampaigns');
		expect(sent.query).toEqual({ page: '1', perPage: '100', status: 'fully_completed' });
	});

	it('Limit 2 sends one request with perPage=2', async () => {
		const campaigns = json(
			await bed.run({
				resource: 'campaign',
				operation: 'getMany',
				limit: 2,
				options: { sortBy: 'createdAt', order: 'asc' },
			}),
		);
		expect(campaigns).toHaveLength(2);
		const sent = requestsOf(await bed.requests(), 'listCampaigns');
		expect(sent).toHaveLength(1);
		expect(sent[0].query).toEqual({ page: '1', perPage: '2', sortBy: 'createdAt', order: 'asc' });
		expect(Date.parse(String(campaigns[0].createdAt))).toBeLessThanOrEqual(
			Date.parse(String(campaigns[1].createdAt)),
		);
	});
});

describe('campaign previewValidation and validate', () => {
	it('previews, then starts the validation (202) with the same figures, and refuses a second run (409)', async () => {
		const [preview] = json(
			await bed.run({
				resource: 'campaign',
				operation: 'previewValidation',
				campaignId: byId('cmp_demo_hashtag'),
			}),
		);
		expect(preview).toMatchObject({
			campaignId: 'cmp_demo_hashtag',
			canValidate: true,
			hasSufficientCredits: true,
		});
		expect(preview.emailsToValidate).toBeGreaterThan(0);

		const [started] = json(
			await bed.run({
				resource: 'campaign',
				operation: 'validate',
				campaignId: byId('cmp_demo_hashtag'),
			}),
		);
		expect(started).toMatchObject({
			campaignId: 'cmp_demo_hashtag',
			emailsToValidate: preview.emailsToValidate,
			creditCost: preview.creditCost,
		});
		expect(typeof started.jobId).toBe('string');

		const again = await bed.run({
			resource: 'campaign',
			operation: 'validate',
			campaignId: byId('cmp_demo_hashtag'),
		});
		expect(again.error?.message).toBeTruthy();
		expect((again.error as unknown as { httpCode: string }).httpCode).toBe('409');

		const log = await bed.requests();
		expect(requestsOf(log, 'previewCampaignValidation').map((r) => r.method)).toEqual(['GET']);
		// A charging POST: exactly one request per run, never retried.
		expect(requestsOf(log, 'startCampaignValidation')).toHaveLength(2);
	});
});

describe('campaign stop', () => {
	it('stops a running campaign with a reason; stopping again is safe', async () => {
		const id = await runningCampaign();
		await bed.clearRequests();
		const [stopped] = json(
			await bed.run({
				resource: 'campaign',
				operation: 'stop',
				campaignId: byId(id),
				options: { reason: 'Reached the weekly target' },
			}),
		);
		expect(stopped).toMatchObject({
			campaignId: id,
			stopRequested: true,
			stoppedReason: 'Reached the weekly target',
		});

		const [again] = json(
			await bed.run({ resource: 'campaign', operation: 'stop', campaignId: byId(id) }),
		);
		expect(again.campaignId).toBe(id);
		expect(requestsOf(await bed.requests(), 'stopCampaign')).toHaveLength(2);
	});

	it('refuses a reason over 500 characters before sending anything', async () => {
		const result = await bed.run({
			resource: 'campaign',
			operation: 'stop',
			campaignId: byId('cmp_demo_hashtag'),
			options: { reason: 'x'.repeat(501) },
		});
		expect(result.error?.message).toMatch(/Reason is too long/);
		expect(requestsOf(await bed.requests(), 'stopCampaign')).toHaveLength(0);
	});

	it('an empty campaign id names the field and sends nothing', async () => {
		const result = await bed.run({
			resource: 'campaign',
			operation: 'stop',
			campaignId: byId('  '),
		});
		expect(result.error?.message).toBe('Campaign is required');
		expect(await bed.requests()).toHaveLength(0);
	});
});

describe('campaign getExportSchemas', () => {
	it('returns one item per schema, each with its columns', async () => {
		const schemas = json(await bed.run({ resource: 'campaign', operation: 'getExportSchemas' }));
		expect(schemas.length).toBeGreaterThanOrEqual(1);
		for (const schema of schemas) {
			expect(typeof schema.key).toBe('string');
			expect(typeof schema.label).toBe('string');
			expect(schema.columns).toEqual(expect.arrayContaining([{ key: 'email', label: 'Email' }]));
		}
		expect(requestsOf(await bed.requests(), 'getExportSchemas')).toHaveLength(1);
	});

	it('every schema item is paired with the input item', async () => {
		const result = await bed.run(
			{ resource: 'campaign', operation: 'getExportSchemas' },
			{ items: [{ json: { a: 1 } }, { json: { a: 2 } }] },
		);
		const pairs = result.outputs[0].map((item) => (item.pairedItem as { item: number }).item);
		expect(pairs).toEqual([0, 0, 1, 1]);
		expect(requestsOf(await bed.requests(), 'getExportSchemas')).toHaveLength(2);
	});
});

describe('retries of the campaign commands', () => {
	afterEach(async () => await bed.admin('DELETE', '/faults'));

	it('validate reserves credits, so a 5xx is not retried: one request, and the error says so', async () => {
		await bed.admin('POST', '/faults', {
			method: 'POST',
			path: '/campaigns/cmp_demo_youtube/validate',
			kind: 'status',
			status: 500,
			times: 1,
		});
		const result = await bed.run({
			resource: 'campaign',
			operation: 'validate',
			campaignId: byId('cmp_demo_youtube'),
		});
		expect((result.error as unknown as { httpCode: string }).httpCode).toBe('500');
		expect(result.error?.description).toMatch(/not retried, so nothing is charged twice/);
		expect(requestsOf(await bed.requests(), 'startCampaignValidation')).toHaveLength(1);
	});

	it('stop is safe to repeat, so a 503 is retried and the stop goes through', async () => {
		const id = await runningCampaign();
		await bed.clearRequests();
		await bed.admin('POST', '/faults', {
			method: 'POST',
			path: `/campaigns/${id}/stop`,
			kind: 'status',
			status: 503,
			times: 1,
		});
		const [stopped] = json(
			await bed.run({ resource: 'campaign', operation: 'stop', campaignId: byId(id) }),
		);
		expect(stopped).toMatchObject({ campaignId: id, stopRequested: true });
		expect(
			requestsOf(await bed.requests(), 'stopCampaign').map((request) => request.status),
		).toEqual([503, 200]);
	});
});
