/** Large-data mode: ws_large with 10,000 campaigns and cmp_large_100k with 100,000 leads, pages served from cached indexes. */
import { PRESETS, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
	h = await startHarness({ largeData: true });
});
afterAll(async () => h.sandbox.close());

const ws = { workspace: PRESETS.workspaces.large };

test('ws_large holds 10,001 campaigns with a mix of statuses, some running', async () => {
	const list = (await h.call('GET', '/campaigns?perPage=100', ws)).body;
	expect(list.pagination.totalCount).toBeGreaterThanOrEqual(10_000);
	expect(list.items).toHaveLength(100);
	const counts: Record<string, number> = {};
	for (const status of ['fully_completed', 'stopped', 'failed', 'scraping', 'pending']) {
		counts[status] = (
			await h.call('GET', `/campaigns?status=${status}&perPage=1`, ws)
		).body.pagination.totalCount;
	}
	expect(counts.fully_completed).toBeGreaterThan(8000);
	expect(counts.stopped).toBeGreaterThan(200);
	expect(counts.failed).toBeGreaterThan(200);
	expect(counts.scraping + counts.pending).toBeGreaterThan(200);
	const last = (
		await h.call('GET', `/campaigns?perPage=100&page=${list.pagination.totalPages}`, ws)
	).body;
	expect(last.items.length).toBeGreaterThan(0);
});

test('cmp_large_100k has 100,000 leads; pages of 100 come from cached sort/filter indexes', async () => {
	const c = (await h.call('GET', `/campaigns/${PRESETS.largeCampaignId}`, ws)).body.campaign;
	expect(c).toMatchObject({ status: 'fully_completed', profileCount: 100_000 });
	const first = await h.call('GET', `/campaigns/${PRESETS.largeCampaignId}/leads?perPage=100`, ws);
	expect(first.body.pagination.totalCount).toBe(100_000);
	expect(first.body.items).toHaveLength(100);
	const queries = [
		'',
		'&sortBy=followerCount&order=desc',
		'&hasEmail=true&validationStatus=valid',
		'&sortBy=scrapedAt&order=asc',
	];
	for (const query of queries)
		await h.call('GET', `/campaigns/${PRESETS.largeCampaignId}/leads?perPage=100${query}`, ws);
	// Each filter/sort is computed once over the 100,000 leads, then every page is a slice of the
	// cached index: 20 more pages of the same 4 queries must not filter or sort again. (The time
	// of a page is measured in bench/, group `sandbox`, as a ratio against a small campaign.)
	const leads = h.sandbox.state.campaigns.leadSetFor(
		h.sandbox.state.campaigns.get(PRESETS.largeCampaignId)!,
	);
	const computed = leads.queriesComputed;
	expect(computed).toBeGreaterThanOrEqual(1);
	expect(computed).toBeLessThanOrEqual(queries.length);
	for (let page = 1; page <= 20; page++) {
		const query = queries[page % queries.length];
		const result = await h.call(
			'GET',
			`/campaigns/${PRESETS.largeCampaignId}/leads?perPage=100&page=${page * 7}${query}`,
			ws,
		);
		expect(result.body.items).toHaveLength(100);
	}
	expect(leads.queriesComputed).toBe(computed);
	const followers = (
		await h.call(
			'GET',
			`/campaigns/${PRESETS.largeCampaignId}/leads?perPage=100&sortBy=followerCount&order=desc`,
			ws,
		)
	).body.items.map((l: { followerCount: number }) => l.followerCount);
	expect(followers).toEqual([...followers].sort((a, b) => b - a));
});

test('a 100,000-lead CSV export downloads whole: a header and 100,000 rows', async () => {
	const created = await h.call('POST', '/list-exports', {
		...ws,
		body: { campaignId: PRESETS.largeCampaignId, dedupeByEmail: false },
	});
	expect(created.status).toBe(201);
	await h.advance(60);
	const link = (await h.call('GET', `/list-exports/${created.body.data.exportId}/download`, ws))
		.body.data;
	// The download time is measured in bench/ (group `sandbox`, per row against a 10,000-lead export).
	const text = await (await fetch(link.downloadUrl)).text();
	expect(text.trim().split('\r\n')).toHaveLength(100_001);
});
