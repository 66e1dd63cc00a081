/** Synthetic leads: fields per platform, determinism, masking, filters, sorts, growth with progress. */
import { expectDocumented, HASHTAG_CAMPAIGN, PRESETS, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
	h = await startHarness();
});
afterAll(async () => h.sandbox.close());

type Lead = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
async function allLeads(
	id: string,
	query = '',
	options: { key?: string; workspace?: string } = {},
): Promise<Lead[]> {
	const items: Lead[] = [];
	for (let page = 1; ; page++) {
		const result = await h.call(
			'GET',
			`/campaigns/${id}/leads?perPage=100&page=${page}${query}`,
			options,
		);
		expect(result.status).toBe(200);
		items.push(...result.body.items);
		if (page >= result.body.pagination.totalPages) return items;
	}
}

test('leads carry every documented field, per platform, deterministically', async () => {
	const insta = await allLeads('cmp_demo_hashtag');
	const detail = (await h.call('GET', '/campaigns/cmp_demo_hashtag')).body.campaign;
	expect(insta).toHaveLength(detail.profileCount);
	expect(insta.filter((l) => l.email !== null)).toHaveLength(detail.emailCount);
	expect(new Set(insta.map((l) => l.id)).size).toBe(insta.length);
	expect(
		insta.every((l) => l.platform === 'instagram' && l.campaignId === 'cmp_demo_hashtag'),
	).toBe(true);
	expect(insta.some((l) => l.emailSource === 'deep_search')).toBe(true);
	const maps = await allLeads('cmp_demo_maps');
	expect(
		maps.every(
			(l) => l.platform === 'google_maps' && l.followerCount === null && l.username === null,
		),
	).toBe(true);
	expect(maps.some((l) => l.phoneNumber !== null)).toBe(true);
	expect(maps.filter((l) => l.email).every((l) => l.emailValidation !== null)).toBe(true);
	expect(
		(await allLeads('cmp_team_linkedin', '', { workspace: PRESETS.workspaces.team }))[0].platform,
	).toBe('linkedin');
	expect(
		(await allLeads('cmp_member_x', '', { workspace: PRESETS.workspaces.member }))[0].platform,
	).toBe('x');
	const page = await h.call('GET', '/campaigns/cmp_demo_hashtag/leads?perPage=5');
	expectDocumented('listCampaignLeads', 200, page.body);
	const again = await h.call('GET', '/campaigns/cmp_demo_hashtag/leads?perPage=5');
	expect(again.body).toEqual(page.body);
});

test('the free account sees masked emails', async () => {
	const leads = await allLeads('cmp_free_hashtag', '&hasEmail=true', { key: PRESETS.apiKeys.free });
	expect(leads.length).toBeGreaterThan(10);
	for (const lead of leads) {
		expect(lead.email).toMatch(/^[a-z0-9]\*\*\*@[a-z.]+$/);
		expect(lead).toMatchObject({ emailMasked: true, canRevealEmail: true, emailRevealed: false });
	}
	const demo = await allLeads('cmp_demo_hashtag', '&hasEmail=true');
	expect(demo.every((l) => !l.email.includes('***') && l.emailMasked === false)).toBe(true);
	await h.admin('PATCH', `/accounts/${PRESETS.accounts.demo.id}`, { shouldMaskEmail: true });
	const masked = await allLeads('cmp_demo_hashtag', '&hasEmail=true');
	expect(masked.every((l) => l.email.includes('***'))).toBe(true);
	await h.admin('PATCH', `/accounts/${PRESETS.accounts.demo.id}`, { shouldMaskEmail: false });
});

test('filters: hasEmail, validationStatus, platform, sourceType, emailSource', async () => {
	const all = await allLeads('cmp_demo_hashtag');
	const withEmail = await allLeads('cmp_demo_hashtag', '&hasEmail=true');
	const without = await allLeads('cmp_demo_hashtag', '&hasEmail=false');
	expect(withEmail.every((l) => l.email !== null)).toBe(true);
	expect(without.every((l) => l.email === null)).toBe(true);
	expect(withEmail.length + without.length).toBe(all.length);
	expect(await allLeads('cmp_demo_hashtag', '&platform=youtube')).toHaveLength(0);
	expect(await allLeads('cmp_demo_hashtag', '&platform=instagram')).toHaveLength(all.length);
	const reels = await allLeads('cmp_demo_hashtag', '&sourceType=hashtag_reel');
	expect(reels.length).toBe(all.filter((l) => l.sourceType === 'hashtag_reel').length);
	expect(reels.length).toBeGreaterThan(0);
	const website = await allLeads('cmp_demo_hashtag', '&emailSource=website');
	expect(website.length).toBe(all.filter((l) => l.emailSource === 'website').length);
	expect(website.length).toBeGreaterThan(0);
	const pending = await allLeads('cmp_demo_hashtag', '&validationStatus=pending');
	expect(pending.length).toBe(withEmail.length);
	const valid = await allLeads('cmp_demo_maps', '&validationStatus=valid');
	const invalid = await allLeads('cmp_demo_maps', '&validationStatus=invalid');
	expect(
		valid.every((l) => l.emailValidation.status === 'valid' && l.emailValidation.isValid),
	).toBe(true);
	expect(invalid.every((l) => l.emailValidation.isValid === false)).toBe(true);
	expect(valid.length).toBeGreaterThan(invalid.length);
	expect(invalid.length).toBeGreaterThan(0);
	const bad = await h.call('GET', '/campaigns/cmp_demo_maps/leads?validationStatus=maybe');
	expect(bad.status).toBe(400);
	expect(bad.body.errors[0]).toMatchObject({ param: 'validationStatus', location: 'query' });
});

test('sorts: hasEmail, followerCount, scrapedAt, asc and desc', async () => {
	const byEmailDesc = await allLeads('cmp_demo_hashtag');
	const firstWithout = byEmailDesc.findIndex((l) => l.email === null);
	expect(byEmailDesc.slice(firstWithout).every((l) => l.email === null)).toBe(true);
	const byEmailAsc = await allLeads('cmp_demo_hashtag', '&sortBy=hasEmail&order=asc');
	expect(byEmailAsc[0].email).toBeNull();
	expect(byEmailAsc[byEmailAsc.length - 1].email).not.toBeNull();
	const followersDesc = (
		await allLeads('cmp_demo_hashtag', '&sortBy=followerCount&order=desc')
	).map((l) => l.followerCount);
	expect(followersDesc).toEqual([...followersDesc].sort((a, b) => b - a));
	const followersAsc = (await allLeads('cmp_demo_hashtag', '&sortBy=followerCount&order=asc')).map(
		(l) => l.followerCount,
	);
	expect(followersAsc).toEqual([...followersAsc].sort((a, b) => a - b));
	const scrapedAsc = (await allLeads('cmp_demo_hashtag', '&sortBy=scrapedAt&order=asc')).map(
		(l) => l.scrapedAt,
	);
	expect(scrapedAsc).toEqual([...scrapedAsc].sort());
	const scrapedDesc = (await allLeads('cmp_demo_hashtag', '&sortBy=scrapedAt&order=desc')).map(
		(l) => l.scrapedAt,
	);
	expect(scrapedDesc).toEqual([...scrapedAsc].reverse());
});

test('leads appear as the campaign progresses, consistent with emailCount', async () => {
	const id = (
		await h.call('POST', '/campaigns', {
			body: {
				...HASHTAG_CAMPAIGN,
				inputs: { hashtag: 'growth' },
				enableDeepEmailSearch: true,
				targetEmails: 200,
			},
		})
	).body.campaign.id;
	expect(await allLeads(id)).toHaveLength(0);
	let previous = -1;
	for (let i = 0; i < 12; i++) {
		await h.advance(8);
		const c = (await h.call('GET', `/campaigns/${id}`)).body.campaign;
		const leads = await allLeads(id);
		expect(leads).toHaveLength(c.profileCount);
		expect(leads.filter((l) => l.email !== null)).toHaveLength(c.emailCount);
		expect(leads.length).toBeGreaterThanOrEqual(previous);
		previous = leads.length;
	}
	expect(previous).toBeGreaterThan(0);
});

test('followerFilter bounds the follower counts of the leads', async () => {
	const id = (
		await h.call('POST', '/campaigns', {
			body: {
				type: 'X_FOLLOWERS',
				inputs: { targetUser: 'a', followerFilter: { min: 5000, max: 9000 } },
				targetEmails: 30,
			},
		})
	).body.campaign.id;
	await h.admin('POST', `/campaigns/${id}/outcome`, { status: 'fully_completed' });
	const leads = await allLeads(id);
	expect(leads.length).toBeGreaterThan(30);
	expect(leads.every((l) => l.followerCount >= 5000 && l.followerCount <= 9000)).toBe(true);
});
