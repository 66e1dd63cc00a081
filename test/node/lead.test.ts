/**
 * Lead › Get Many through n8n's engine against the sandbox: Return All walks every page,
 * Limit asks for no more than needed, every filter and sort reaches the API, empty ones do not.
 */
import {
	DEFAULT_READINGS,
	PAGE_SIZE_READINGS,
	refusesPageSize,
	servedPageSize,
} from '../helpers/readings';
import { byId, json, requestsOf, startTestbed, type Testbed } from './setup';

let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed();
});
afterAll(async () => await bed.close());
beforeEach(async () => await bed.clearRequests());

const CAMPAIGN = 'cmp_demo_hashtag';

async function totalLeads(query = ''): Promise<number> {
	const response = await fetch(`${bed.apiUrl}/campaigns/${CAMPAIGN}/leads?perPage=1${query}`, {
		headers: { 'X-API-Key': 'sk_live_sandbox_demo_account' },
	});
	const body = (await response.json()) as { pagination: { totalCount: number } };
	return body.pagination.totalCount;
}

/**
 * The reference gives no page size maximum: under every reading of it (no cap; 25, 50 or 100,
 * clamped or refused with a 400) Return All and Limit return every lead they should, once, and
 * the pages follow the size the API serves.
 */
describe.each(PAGE_SIZE_READINGS)(
	'lead getMany paging under $pageSizeCap / $overPageSizeCap',
	(reading) => {
		beforeAll(async () => await bed.admin('PATCH', '/readings', reading));
		afterAll(async () => await bed.admin('PATCH', '/readings', DEFAULT_READINGS));

		/** The requests sent for pages: a refused size first (400), then the pages at the size served. */
		const expectPages = (
			sent: Array<{ status: number | null; query: Record<string, string> }>,
			asked: number,
			pages: number,
		) => {
			const served = servedPageSize(reading, asked);
			const refused = refusesPageSize(reading, asked);
			const ok = sent.filter((request) => request.status === 200);
			expect(ok.map((request) => request.query.page)).toEqual(
				Array.from({ length: pages }, (_, index) => String(index + 1)),
			);
			// Page 1 asks the ceiling; later pages ask the size the API served page 1 with.
			expect(ok.slice(1).every((request) => request.query.perPage === String(served))).toBe(true);
			expect(sent.filter((request) => request.status === 400)).toHaveLength(refused ? 1 : 0);
			if (refused)
				expect(sent[0]).toMatchObject({
					status: 400,
					query: { page: '1', perPage: String(asked) },
				});
		};

		it('Return All returns every lead once (258 leads, whatever the cap)', async () => {
			const total = await totalLeads();
			expect(total).toBeGreaterThan(250);
			await bed.clearRequests();

			const leads = json(
				await bed.run({
					resource: 'lead',
					operation: 'getMany',
					campaignId: byId(CAMPAIGN),
					returnAll: true,
				}),
			);

			expect(leads).toHaveLength(total);
			expect(new Set(leads.map((lead) => lead.id)).size).toBe(total);
			expect(leads.every((lead) => lead.campaignId === CAMPAIGN)).toBe(true);
			expectPages(
				requestsOf(await bed.requests(), 'listCampaignLeads'),
				100,
				Math.ceil(total / servedPageSize(reading, 100)),
			);
		});

		it('Limit 5 returns 5 leads from one page of perPage=5', async () => {
			const result = await bed.run({
				resource: 'lead',
				operation: 'getMany',
				campaignId: byId(CAMPAIGN),
				returnAll: false,
				limit: 5,
			});
			expect(json(result)).toHaveLength(5);
			const sent = requestsOf(await bed.requests(), 'listCampaignLeads');
			expect(sent).toHaveLength(1);
			expect(sent[0].query).toEqual({ page: '1', perPage: '5' });
		});

		it('a Limit over one page takes as many pages as needed and no more', async () => {
			const leads = json(
				await bed.run({
					resource: 'lead',
					operation: 'getMany',
					campaignId: byId(CAMPAIGN),
					limit: 130,
				}),
			);
			expect(leads).toHaveLength(130);
			expect(new Set(leads.map((lead) => lead.id)).size).toBe(130);
			expectPages(
				requestsOf(await bed.requests(), 'listCampaignLeads'),
				100,
				Math.ceil(130 / servedPageSize(reading, 100)),
			);
		});
	},
);

describe('lead getMany', () => {
	it('sends every filter and sort the user set, and the API applies them', async () => {
		// The Google Maps sample ran with e-mail validation, so it has validated leads.
		const leads = json(
			await bed.run({
				resource: 'lead',
				operation: 'getMany',
				campaignId: byId('cmp_demo_maps'),
				returnAll: true,
				filters: { hasEmail: true, validationStatus: 'valid', platform: 'google_maps' },
				options: { sortBy: 'followerCount', order: 'asc' },
			}),
		);
		expect(leads.length).toBeGreaterThan(0);
		for (const lead of leads) {
			expect(lead.email).toEqual(expect.stringContaining('@'));
			expect(lead.platform).toBe('google_maps');
			expect((lead.emailValidation as { status: string }).status).toBe('valid');
		}
		const followers = leads.map((lead) => Number(lead.followerCount ?? 0));
		expect(followers).toEqual([...followers].sort((a, b) => a - b));

		const [first] = requestsOf(await bed.requests(), 'listCampaignLeads');
		expect(first.query).toEqual({
			page: '1',
			perPage: '100',
			hasEmail: 'true',
			validationStatus: 'valid',
			platform: 'google_maps',
			sortBy: 'followerCount',
			order: 'asc',
		});
	});

	it('hasEmail false is sent as "false" and returns only leads without e-mail', async () => {
		const leads = json(
			await bed.run({
				resource: 'lead',
				operation: 'getMany',
				campaignId: byId(CAMPAIGN),
				limit: 20,
				filters: { hasEmail: false },
			}),
		);
		expect(leads.length).toBeGreaterThan(0);
		expect(leads.every((lead) => lead.email === null)).toBe(true);
		const [sent] = requestsOf(await bed.requests(), 'listCampaignLeads');
		expect(sent.query.hasEmail).toBe('false');
	});

	it('source type and e-mail source filters reach the API', async () => {
		const sample = json(
			await bed.run({
				resource: 'lead',
				operation: 'getMany',
				campaignId: byId(CAMPAIGN),
				limit: 50,
				filters: { hasEmail: true },
			}),
		);
		const { sourceType, emailSource } = sample[0] as { sourceType: string; emailSource: string };
		await bed.clearRequests();

		const leads = json(
			await bed.run({
				resource: 'lead',
				operation: 'getMany',
				campaignId: byId(CAMPAIGN),
				limit: 50,
				filters: { sourceType, emailSource },
			}),
		);
		expect(leads.length).toBeGreaterThan(0);
		expect(
			leads.every((lead) => lead.sourceType === sourceType && lead.emailSource === emailSource),
		).toBe(true);
		const [sent] = requestsOf(await bed.requests(), 'listCampaignLeads');
		expect(sent.query).toMatchObject({ sourceType, emailSource });
	});

	it('optional fields left empty are not sent', async () => {
		await bed.run({
			resource: 'lead',
			operation: 'getMany',
			campaignId: byId(CAMPAIGN),
			limit: 3,
			filters: { sourceType: '', emailSource: '' },
			options: { workspaceId: '' },
		});
		const [sent] = requestsOf(await bed.requests(), 'listCampaignLeads');
		expect(sent.query).toEqual({ page: '1', perPage: '3' });
		expect(sent.workspaceId).toBeNull();
	});

	it('takes the campaign from a Scravio URL (By URL mode)', async () => {
		const leads = json(
			await bed.run({
				resource: 'lead',
				operation: 'getMany',
				campaignId: {
					__rl: true,
					mode: 'url',
					value: `https://app.scravio.com/campaigns/${CAMPAIGN}`,
				},
				limit: 2,
			}),
		);
		expect(leads).toHaveLength(2);
		expect(requestsOf(await bed.requests(), 'listCampaignLeads')[0].path).toBe(
			`/api/campaigns/${CAMPAIGN}/leads`,
		);
	});
});
