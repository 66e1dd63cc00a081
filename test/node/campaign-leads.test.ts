/**
 * Campaign › Create with Wait for Completion and Output "Leads" ("run and get the results"),
 * through n8n's engine against the sandbox: one item per lead of the new campaign, with Lead ›
 * Get Many's filters, limit and Simplify; a campaign that did not complete stays the output;
 * bad lead settings stop the item before the campaign (and its credits) are created.
 */
import type { INodeParameters } from 'n8n-workflow';

import { PRESETS, json, requestsOf, startTestbed, type LoggedRequest, type Testbed } from './setup';

let bed: Testbed;
beforeAll(async () => {
	// The sandbox clock stands still; a test moves it once the node is waiting.
	bed = await startTestbed({ clockSpeed: 0 });
});
afterAll(async () => await bed.close());
beforeEach(async () => await bed.clearRequests());

const CAMPAIGN: INodeParameters = {
	resource: 'campaign',
	operation: 'create',
	campaignType: 'X_FOLLOWERS',
	targetUser: '@nasa',
	targetEmails: 60,
	waitForCompletion: true,
	maxWaitMinutes: 30,
	output: 'leads',
};

async function untilPolled(): Promise<string> {
	for (;;) {
		const polls = requestsOf(await bed.requests(), 'getCampaign');
		if (polls.length) return polls[0].path.split('/')[3];
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

async function leadsOf(campaignId: string, query: string): Promise<Array<Record<string, unknown>>> {
	const response = await fetch(`${bed.apiUrl}/campaigns/${campaignId}/leads?${query}`, {
		headers: { 'X-API-Key': PRESETS.apiKeys.account },
	});
	return ((await response.json()) as { items: Array<Record<string, unknown>> }).items;
}

describe('Campaign Create, Output: Leads', () => {
	it('outputs the leads of the finished campaign, with the lead filters and limit, paired with the input item', async () => {
		const running = bed.run({ ...CAMPAIGN, limit: 7, filters: { hasEmail: true } });
		const campaignId = await untilPolled();
		await bed.advance(6 * 3600);
		const result = await running;

		const leads = json(result);
		expect(result.error).toBeUndefined();
		expect(leads).toHaveLength(7);
		expect(
			leads.every((lead) => lead.campaignId === campaignId && typeof lead.email === 'string'),
		).toBe(true);
		expect(
			result.outputs[0].every((item) => (item.pairedItem as { item: number }).item === 0),
		).toBe(true);
		const log = await bed.requests();
		expect(requestsOf(log, 'createCampaign')).toHaveLength(1);
		const listed = requestsOf(log, 'listCampaignLeads');
		expect(listed).toHaveLength(1);
		expect(listed[0].query).toMatchObject({ hasEmail: 'true', perPage: '7' });
		// The same leads, in the same order, as the API lists for that campaign.
		expect(leads.map((lead) => lead.id)).toEqual(
			(await leadsOf(campaignId, 'hasEmail=true&page=1&perPage=7')).map((lead) => lead.id),
		);
	});

	it('Return All + Simplify: every lead of the campaign, main fields only', async () => {
		const running = bed.run({ ...CAMPAIGN, returnAll: true, simplify: true });
		const campaignId = await untilPolled();
		await bed.advance(6 * 3600);
		const leads = json(await running);
		const response = await fetch(`${bed.apiUrl}/campaigns/${campaignId}/leads?perPage=1`, {
			headers: { 'X-API-Key': PRESETS.apiKeys.account },
		});
		const total = ((await response.json()) as { pagination: { totalCount: number } }).pagination
			.totalCount;
		expect(total).toBeGreaterThan(0);
		expect(leads).toHaveLength(total);
		expect(new Set(leads.map((lead) => lead.id)).size).toBe(total);
		expect(Object.keys(leads[0])).toContain('validationStatus');
		expect(Object.keys(leads[0])).not.toContain('biography');
	});

	it('a campaign that ends as "failed" (Output Failed Outcomes) is output as the campaign, and no leads are listed', async () => {
		const running = bed.run({ ...CAMPAIGN, outputFailed: true });
		const campaignId = await untilPolled();
		await bed.admin('POST', `/campaigns/${campaignId}/outcome`, { status: 'failed' });
		const result = await running;
		expect(json(result)).toEqual([expect.objectContaining({ id: campaignId, status: 'failed' })]);
		expect(requestsOf(await bed.requests(), 'listCampaignLeads')).toHaveLength(0);
	});

	it('a bad Limit stops the item before the campaign is created', async () => {
		const result = await bed.run({ ...CAMPAIGN, limit: 0 });
		expect(result.error?.message).toBe('Limit must be a whole number of at least 1');
		expect(
			(await bed.requests()).filter((entry: LoggedRequest) => entry.path.startsWith('/api/')),
		).toHaveLength(0);
	});

	it('Output "Campaign" (the default) still outputs the campaign', async () => {
		const running = bed.run({ ...CAMPAIGN, output: undefined });
		const campaignId = await untilPolled();
		await bed.advance(6 * 3600);
		expect(json(await running)).toEqual([
			expect.objectContaining({ id: campaignId, status: 'fully_completed' }),
		]);
	});
});
