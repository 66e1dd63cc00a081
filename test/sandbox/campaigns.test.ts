/** Campaign lifecycle on the virtual clock, pricing, and the credit ledger arithmetic. */
import { expectError, HASHTAG_CAMPAIGN, PRESETS, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
	h = await startHarness();
});
afterAll(async () => h.sandbox.close());

async function ledger(campaignId?: string) {
	const query = campaignId ? `&campaignId=${campaignId}` : '';
	const result = await h.call('GET', `/credit-transactions?perPage=100&order=asc${query}`);
	expect(result.status).toBe(200);
	return result.body.transactions as Array<{
		type: string;
		amount: number;
		balanceBefore: number;
		balanceAfter: number;
		campaignId: string | null;
		details: Record<string, number | null>;
	}>;
}
const balance = async () => (await h.call('GET', '/auth/me')).body.credits as number;

test('reserve-preview and create give the same figures; budget modes follow maxCreditCap', async () => {
	const preview = (await h.call('POST', '/campaigns/reserve-preview', { body: HASHTAG_CAMPAIGN }))
		.body.data;
	expect(preview).toMatchObject({
		type: 'INSTAGRAM_HASHTAG',
		targetMode: 'LEAD_TARGET',
		targetEmails: 100,
		budgetMode: 'RECOMMENDED_CAP',
		estimatedCredits: 100,
		recommendedMaxCreditCap: 115,
		maxCreditCap: 115,
		creditReserved: 115,
	});
	const withValidation = (
		await h.call('POST', '/campaigns/reserve-preview', {
			body: { ...HASHTAG_CAMPAIGN, enableEmailValidation: true },
		})
	).body.data;
	expect(withValidation.estimatedCredits).toBe(125);
	const limited = (
		await h.call('POST', '/campaigns/reserve-preview', {
			body: { ...HASHTAG_CAMPAIGN, maxCreditCap: 50 },
		})
	).body.data;
	expect(limited).toMatchObject({
		budgetMode: 'USER_LIMITED',
		maxCreditCap: 50,
		creditReserved: 50,
		estimatedReachableEmailsAtCap: 50,
	});
	expect(limited.warnings.length).toBe(1);
	const custom = (
		await h.call('POST', '/campaigns/reserve-preview', {
			body: { ...HASHTAG_CAMPAIGN, maxCreditCap: 5000 },
		})
	).body.data;
	expect(custom).toMatchObject({
		budgetMode: 'USER_CUSTOM_CAP',
		maxCreditCap: 5000,
		creditReserved: 115,
	});
	const profileList = (
		await h.call('POST', '/campaigns/reserve-preview', {
			body: { type: 'INSTAGRAM_PROFILE_LIST', inputs: { profileTargets: ['a', 'b', 'c', 'd'] } },
		})
	).body.data;
	expect(profileList).toMatchObject({
		targetMode: 'ITEM_LIMIT',
		targetEmails: null,
		estimatedCredits: 2,
	});

	const before = await balance();
	const created = await h.call('POST', '/campaigns', {
		body: { ...HASHTAG_CAMPAIGN, maxCreditCap: 50 },
	});
	expect(created.status).toBe(201);
	expect(created.body.campaign).toMatchObject({
		maxCreditCap: 50,
		targetEmails: 100,
		status: 'pending',
		progressPercentage: 0,
		emailCount: 0,
		finishedAt: null,
	});
	expect(await balance()).toBe(before - 50);
	const reserve = (await ledger(created.body.campaign.id)).find((t) => t.type === 'reserve');
	expect(reserve).toMatchObject({
		amount: -50,
		balanceBefore: before,
		balanceAfter: before - 50,
		details: { reservedCredits: 50 },
	});
});

test('a campaign moves pending -> scraping -> scraping_completed -> processing_emails -> fully_completed with rising counts', async () => {
	const created = await h.call('POST', '/campaigns', { body: HASHTAG_CAMPAIGN });
	const id = created.body.campaign.id;
	const seen: Array<{ status: string; progress: number; emails: number; profiles: number }> = [];
	for (let i = 0; i < 40; i++) {
		const c = (await h.call('GET', `/campaigns/${id}`)).body.campaign;
		seen.push({
			status: c.status,
			progress: c.progressPercentage,
			emails: c.emailCount,
			profiles: c.profileCount,
		});
		if (c.status === 'fully_completed') break;
		await h.advance(2);
	}
	const statuses = [...new Set(seen.map((s) => s.status))];
	expect(statuses).toEqual([
		'pending',
		'scraping',
		'scraping_completed',
		'processing_emails',
		'fully_completed',
	]);
	for (let i = 1; i < seen.length; i++) {
		expect(seen[i].progress).toBeGreaterThanOrEqual(seen[i - 1].progress);
		expect(seen[i].emails).toBeGreaterThanOrEqual(seen[i - 1].emails);
		expect(seen[i].profiles).toBeGreaterThanOrEqual(seen[i - 1].profiles);
	}
	const last = seen[seen.length - 1];
	expect(last.progress).toBe(100);
	expect(last.emails).toBeGreaterThanOrEqual(95);
	expect(last.emails).toBeLessThanOrEqual(100);
	// A small campaign takes about a minute of virtual time.
	expect((seen.length - 1) * 2).toBeGreaterThan(30);
	expect((seen.length - 1) * 2).toBeLessThan(90);
	const done = (await h.call('GET', `/campaigns/${id}`)).body.campaign;
	expect(done.finishedAt).not.toBeNull();
	expect(done.postValidation).toBeNull();

	// Ledger: reserve, use, return; the return is what was not used.
	const entries = await ledger(id);
	expect(entries.map((t) => t.type)).toEqual(['reserve', 'use', 'return']);
	const [reserve, use, ret] = entries;
	expect(reserve.amount).toBe(-115);
	expect(use.amount).toBe(0);
	expect(use.details.usedCredits).toBe(Math.ceil(100 * (last.emails / 100)));
	expect(ret.amount).toBe(115 - (use.details.usedCredits as number));
	expect(ret.details.returnedCredits).toBe(ret.amount);
});

test('the whole ledger is consistent: entries chain and the sum of amounts is the balance change', async () => {
	const entries = await ledger();
	expect(entries[0].type).toBe('purchase');
	expect(entries[0].balanceBefore).toBe(0);
	let running = 0;
	for (const entry of entries) {
		expect(entry.balanceBefore).toBe(running);
		expect(entry.balanceAfter).toBe(entry.balanceBefore + entry.amount);
		running = entry.balanceAfter;
	}
	expect(running).toBe(await balance());
});

test('every campaign type keeps its inputs; titles are generated when omitted', async () => {
	const bodies = [
		{
			type: 'INSTAGRAM_USER_FOLLOWERS',
			inputs: {
				targetUsers: ['natgeo', 'nasa'],
				followerFilter: { min: 1000, max: 50000 },
				scrapePrivateAccounts: false,
			},
			targetEmails: 10,
		},
		{
			type: 'INSTAGRAM_POST_LIKERS',
			inputs: { mediaUrl: 'https://www.instagram.com/p/abc/' },
			targetEmails: 10,
			enrichIgPosts: true,
		},
		{ type: 'INSTAGRAM_PROFILE_LIST', inputs: { profileTargets: ['one', 'two', 'three'] } },
		{
			type: 'YOUTUBE_CHANNEL_SEARCH',
			inputs: { keywords: ['home gym'], youtubeDiscoverySource: 'video', countries: ['US'] },
			targetEmails: 10,
		},
		{
			type: 'GOOGLE_MAPS_SEARCH',
			inputs: { query: 'dentist', countries: ['FR'], lat: 48.85, lng: 2.35, zoom: 14 },
			targetEmails: 10,
		},
		{ type: 'X_RETWEETS', inputs: { mediaUrl: 'https://x.com/a/status/1' }, targetEmails: 10 },
		{ type: 'TIKTOK_USER_FOLLOWING', inputs: { targetUser: 'someone' }, targetEmails: 10 },
	];
	for (const body of bodies) {
		const created = await h.call('POST', '/campaigns', { body });
		expect(created.status).toBe(201);
		const detail = (await h.call('GET', `/campaigns/${created.body.campaign.id}`)).body.campaign;
		expect(detail.inputs).toEqual(body.inputs);
		expect(detail.type).toBe(body.type);
		expect(detail.title.length).toBeGreaterThan(5);
		expect(detail.title.length).toBeLessThanOrEqual(100);
	}
	const profileList = (await h.call('GET', '/campaigns?q=3%20profiles')).body.items[0];
	expect(profileList).toMatchObject({
		type: 'INSTAGRAM_PROFILE_LIST',
		targetEmails: null,
		targetMode: 'ITEM_LIMIT',
	});
	await h.advance(600);
});

test('stop is idempotent, freezes counts and returns the unused credits', async () => {
	const id = (
		await h.call('POST', '/campaigns', { body: { ...HASHTAG_CAMPAIGN, targetEmails: 400 } })
	).body.campaign.id;
	await h.advance(30);
	const before = await balance();
	const first = await h.call('POST', `/campaigns/${id}/stop`, {
		body: { reason: 'Enough for today' },
	});
	expect(first.body).toEqual({
		campaignId: id,
		stopRequested: true,
		status: 'stopped',
		stoppedReason: 'Enough for today',
	});
	const again = await h.call('POST', `/campaigns/${id}/stop`);
	expect(again.body).toEqual({
		campaignId: id,
		stopRequested: true,
		status: 'stopped',
		stoppedReason: 'Enough for today',
	});
	const stopped = (await h.call('GET', `/campaigns/${id}`)).body.campaign;
	await h.advance(600);
	const later = (await h.call('GET', `/campaigns/${id}`)).body.campaign;
	expect(later).toMatchObject({
		status: 'stopped',
		emailCount: stopped.emailCount,
		profileCount: stopped.profileCount,
		finishedAt: stopped.finishedAt,
	});
	expect(stopped.emailCount).toBeLessThan(400);
	const entries = await ledger(id);
	expect(entries.map((t) => t.type)).toEqual(['reserve', 'use', 'return']);
	expect(await balance()).toBe(before + entries[2].amount);
	// Stopping a finished campaign is accepted as a no-op.
	const finished = await h.call('POST', '/campaigns/cmp_demo_hashtag/stop');
	expect(finished.body).toEqual({
		campaignId: 'cmp_demo_hashtag',
		stopRequested: false,
		status: 'fully_completed',
		stoppedReason: null,
	});
});

test('a campaign fails by magic title or by the admin route, and is settled', async () => {
	const magic = (
		await h.call('POST', '/campaigns', {
			body: { ...HASHTAG_CAMPAIGN, title: 'Try [sandbox:fail]' },
		})
	).body.campaign.id;
	await h.advance(5);
	expect((await h.call('GET', `/campaigns/${magic}`)).body.campaign.status).toBe('scraping');
	await h.advance(60);
	const failed = (await h.call('GET', `/campaigns/${magic}`)).body.campaign;
	expect(failed.status).toBe('failed');
	expect(failed.finishedAt).not.toBeNull();
	expect((await ledger(magic)).map((t) => t.type)).toEqual(['reserve', 'use', 'return']);

	const viaAdmin = (await h.call('POST', '/campaigns', { body: HASHTAG_CAMPAIGN })).body.campaign
		.id;
	const outcome = await h.admin('POST', `/campaigns/${viaAdmin}/outcome`, { status: 'failed' });
	expect(outcome.status).toBe(200);
	expect((await h.call('GET', `/campaigns/${viaAdmin}`)).body.campaign.status).toBe('failed');
	expect((await ledger(viaAdmin)).find((t) => t.type === 'return')?.amount).toBe(115);
	const completed = (await h.call('POST', '/campaigns', { body: HASHTAG_CAMPAIGN })).body.campaign
		.id;
	await h.admin('POST', `/campaigns/${completed}/outcome`, { status: 'fully_completed' });
	expect((await h.call('GET', `/campaigns/${completed}`)).body.campaign).toMatchObject({
		status: 'fully_completed',
		progressPercentage: 100,
	});
});

test('insufficient credits and the concurrent campaign limit answer 400 with their codes and change nothing', async () => {
	const before = (await h.call('GET', '/auth/me', { key: PRESETS.apiKeys.free })).body.credits;
	const tooBig = await h.call('POST', '/campaigns', {
		key: PRESETS.apiKeys.free,
		body: { ...HASHTAG_CAMPAIGN, targetEmails: 5000 },
	});
	const error = expectError(tooBig, 400, 'INSUFFICIENT_CREDITS');
	expect(error.message).toMatch(/5750 needed, 500 available/);
	expect((await h.call('GET', '/auth/me', { key: PRESETS.apiKeys.free })).body.credits).toBe(
		before,
	);

	// The free plan runs one campaign at a time.
	expect(
		(
			await h.call('POST', '/campaigns', {
				key: PRESETS.apiKeys.free,
				body: { ...HASHTAG_CAMPAIGN, targetEmails: 10 },
			})
		).status,
	).toBe(201);
	const campaignsBefore = (await h.call('GET', '/campaigns', { key: PRESETS.apiKeys.free })).body
		.pagination.totalCount;
	expectError(
		await h.call('POST', '/campaigns', {
			key: PRESETS.apiKeys.free,
			body: { ...HASHTAG_CAMPAIGN, targetEmails: 10 },
		}),
		400,
		'CONCURRENT_CAMPAIGN_LIMIT',
	);
	expect(
		(await h.call('GET', '/campaigns', { key: PRESETS.apiKeys.free })).body.pagination.totalCount,
	).toBe(campaignsBefore);
	await h.advance(120);
	expect(
		(
			await h.call('POST', '/campaigns', {
				key: PRESETS.apiKeys.free,
				body: { ...HASHTAG_CAMPAIGN, targetEmails: 10 },
			})
		).status,
	).toBe(201);
});

test('campaign list filters and sorts', async () => {
	const all = (await h.call('GET', '/campaigns?perPage=100')).body;
	expect(all.pagination.totalCount).toBe(all.items.length);
	const created = all.items.map((c: { createdAt: string }) => c.createdAt);
	expect([...created].sort().reverse()).toEqual(created);
	const asc = (await h.call('GET', '/campaigns?perPage=100&order=asc')).body.items.map(
		(c: { createdAt: string }) => c.createdAt,
	);
	expect(asc).toEqual([...created].reverse());
	const failed = (await h.call('GET', '/campaigns?status=failed&perPage=100')).body.items;
	expect(failed.length).toBeGreaterThanOrEqual(3);
	expect(failed.every((c: { status: string }) => c.status === 'failed')).toBe(true);
	const maps = (await h.call('GET', '/campaigns?type=google_maps')).body.items;
	expect(maps.length).toBeGreaterThanOrEqual(2);
	expect(maps.every((c: { type: string }) => c.type === 'GOOGLE_MAPS_SEARCH')).toBe(true);
	expect((await h.call('GET', '/campaigns?type=X_RETWEETS')).body.items).toHaveLength(1);
	expect((await h.call('GET', '/campaigns?q=dentist')).body.items).toHaveLength(1);
	const byProgress = (
		await h.call('GET', '/campaigns?sortBy=progress&order=asc&perPage=100')
	).body.items.map((c: { progressPercentage: number }) => c.progressPercentage);
	expect([...byProgress].sort((a, b) => a - b)).toEqual(byProgress);
	const recent = (
		await h.call(
			'GET',
			`/campaigns?from=${new Date(Date.now() - 3600_000).toISOString()}&perPage=100`,
		)
	).body.items;
	expect(recent.every((c: { title: string }) => !c.title.startsWith('Sample'))).toBe(true);
	expectError(await h.call('GET', '/campaigns?from=yesterday'), 400, 'VALIDATION_ERROR');
	const page2 = (await h.call('GET', '/campaigns?perPage=3&page=2')).body;
	expect(page2.items.map((c: { id: string }) => c.id)).toEqual(
		all.items.slice(3, 6).map((c: { id: string }) => c.id),
	);
	expect(page2.pagination).toEqual({
		totalCount: all.items.length,
		totalPages: Math.ceil(all.items.length / 3),
		currentPage: 2,
		perPage: 3,
	});
});
