/** The documented rate limits: 429 + Retry-After + error object, and a refused request changes nothing. */
import { expectError, HASHTAG_CAMPAIGN, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
	h = await startHarness();
});
afterAll(async () => h.sandbox.close());

test('POST /campaigns/{id}/stop: 5 per minute per campaign', async () => {
	const id = (await h.call('POST', '/campaigns', { body: HASHTAG_CAMPAIGN })).body.campaign.id;
	const other = (await h.call('POST', '/campaigns', { body: HASHTAG_CAMPAIGN })).body.campaign.id;
	await h.advance(10);
	for (let i = 0; i < 5; i++)
		expect((await h.call('POST', `/campaigns/${id}/stop`)).status).toBe(200);
	const limited = await h.call('POST', `/campaigns/${id}/stop`);
	expectError(limited, 429, 'RATE_LIMITED');
	const retryAfter = Number(limited.headers.get('retry-after'));
	expect(retryAfter).toBeGreaterThan(45);
	expect(retryAfter).toBeLessThanOrEqual(60);
	// Per campaign: another campaign is not limited; the refused call did not stop it.
	expect((await h.call('GET', `/campaigns/${other}`)).body.campaign.status).toBe('scraping');
	expect((await h.call('POST', `/campaigns/${other}/stop`)).status).toBe(200);
	await h.advance(retryAfter);
	expect((await h.call('POST', `/campaigns/${id}/stop`)).status).toBe(200);
});

test('POST /campaigns/{id}/validate: 3 per minute per campaign; the refused call changes nothing', async () => {
	const a = await h.call('POST', '/campaigns/cmp_demo_youtube/validate');
	expect(a.status).toBe(202);
	expect((await h.call('POST', '/campaigns/cmp_demo_youtube/validate')).status).toBe(409);
	expect((await h.call('POST', '/campaigns/cmp_demo_youtube/validate')).status).toBe(409);
	const credits = (await h.call('GET', '/auth/me')).body.credits;
	const limited = await h.call('POST', '/campaigns/cmp_demo_youtube/validate');
	expectError(limited, 429, 'RATE_LIMITED');
	expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
	expect((await h.call('GET', '/auth/me')).body.credits).toBe(credits);
	// cmp_demo_hashtag has its own counter.
	expect((await h.call('POST', '/campaigns/cmp_demo_hashtag/validate')).status).toBe(202);
});

test('POST /validation-jobs/text: 3 per hour per account', async () => {
	for (let i = 0; i < 3; i++)
		expect(
			(await h.call('POST', '/validation-jobs/text', { body: { emails: [`a${i}@example.com`] } }))
				.status,
		).toBe(201);
	const total = (await h.call('GET', '/validation-jobs')).body.data.total;
	const limited = await h.call('POST', '/validation-jobs/text', {
		body: { emails: ['late@example.com'] },
	});
	expectError(limited, 429, 'RATE_LIMITED');
	const retryAfter = Number(limited.headers.get('retry-after'));
	expect(retryAfter).toBeGreaterThan(3000);
	expect(retryAfter).toBeLessThanOrEqual(3600);
	expect((await h.call('GET', '/validation-jobs')).body.data.total).toBe(total);
	await h.advance(retryAfter);
	expect(
		(await h.call('POST', '/validation-jobs/text', { body: { emails: ['late@example.com'] } }))
			.status,
	).toBe(201);
});

test('POST /list-exports: 5 per hour per account (all workspaces together)', async () => {
	const bodies = [true, false].flatMap((emailOnly) =>
		['csv', 'xlsx'].map((fileFormat) => ({
			campaignId: 'cmp_demo_hashtag',
			emailOnly,
			fileFormat,
		})),
	);
	for (const body of bodies)
		expect((await h.call('POST', '/list-exports', { body })).status).toBe(201);
	expect(
		(
			await h.call('POST', '/list-exports', {
				workspace: 'ws_team',
				body: { campaignId: 'cmp_team_linkedin' },
			})
		).status,
	).toBe(201);
	const count = (await h.call('GET', '/list-exports')).body.data.pagination.totalCount;
	const limited = await h.call('POST', '/list-exports', { body: { campaignId: 'cmp_demo_maps' } });
	expectError(limited, 429, 'RATE_LIMITED');
	expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
	expect((await h.call('GET', '/list-exports')).body.data.pagination.totalCount).toBe(count);
});

test('limits can be switched off for demos', async () => {
	await h.admin('PATCH', '/config', { enforceRateLimits: false });
	expect(
		(await h.call('POST', '/list-exports', { body: { campaignId: 'cmp_demo_maps' } })).status,
	).toBe(201);
	await h.admin('PATCH', '/config', { enforceRateLimits: true });
	expectError(
		await h.call('POST', '/list-exports', {
			body: { campaignId: 'cmp_demo_maps', fileFormat: 'xlsx' },
		}),
		429,
		'RATE_LIMITED',
	);
});
