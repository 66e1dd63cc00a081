/**
 * The sandbox's readings (sandbox/simulation/config.ts `Readings`): each place where the reference is silent
 * answers as the reading says, switched at start and at run time (PATCH /__sandbox/readings).
 */
import { DEFAULT_READINGS, READING_VALUES } from '../../sandbox';
import { readingsFromText } from '../../sandbox/simulation/config';
import { PRESETS, startHarness, type Harness } from './helpers';

let h: Harness;

beforeAll(async () => {
	h = await startHarness();
});
afterAll(async () => {
	await h.sandbox.close();
});
afterEach(async () => {
	await h.admin('PATCH', '/readings', DEFAULT_READINGS);
	await h.admin('POST', '/reset');
	await h.admin('POST', '/rate-limits/reset');
});

describe('readings control', () => {
	it('GET /readings lists the defaults; PATCH changes some; bad values are refused', async () => {
		expect((await h.admin('GET', '/readings')).body).toEqual(DEFAULT_READINGS);
		const patched = await h.admin('PATCH', '/readings', {
			pageSizeCap: 50,
			overPageSizeCap: 'clamp',
		});
		expect(patched.body).toEqual({
			...DEFAULT_READINGS,
			pageSizeCap: 50,
			overPageSizeCap: 'clamp',
		});
		expect((await h.admin('GET', '/config')).body.readings).toEqual(patched.body);
		const bad = await h.admin('PATCH', '/readings', { pageSizeCap: 30 });
		expect(bad.status).toBe(400);
		expect(bad.body.message).toMatch(/pageSizeCap/);
		expect((await h.admin('PATCH', '/readings', { nonsense: 1 })).status).toBe(400);
	});

	it('start options and SCRAVIO_SANDBOX_READINGS set them too', async () => {
		expect(readingsFromText('pageSizeCap=none,overPageSizeCap=clamp')).toEqual({
			pageSizeCap: null,
			overPageSizeCap: 'clamp',
		});
		expect(readingsFromText('{"retryAfter":"date"}')).toEqual({ retryAfter: 'date' });
		expect(() => readingsFromText('retryAfter=maybe')).toThrow(/retryAfter/);
		const other = await startHarness({ readings: { pageSizeCap: 25 } } as never);
		try {
			expect((await other.admin('GET', '/readings')).body).toEqual({
				...DEFAULT_READINGS,
				pageSizeCap: 25,
			});
		} finally {
			await other.sandbox.close();
		}
	});

	it('every reading has at least two values', () => {
		for (const values of Object.values(READING_VALUES))
			expect(values.length).toBeGreaterThanOrEqual(2);
	});
});

describe('page size cap', () => {
	it.each(READING_VALUES.pageSizeCap)(
		'cap %p: perPage 1000 is clamped to the cap (reported in perPage) or refused naming perPage',
		async (cap) => {
			for (const over of READING_VALUES.overPageSizeCap) {
				await h.admin('PATCH', '/readings', { pageSizeCap: cap, overPageSizeCap: over });
				const res = await h.call('GET', '/campaigns?perPage=1000');
				if (cap !== null && over === 'refuse') {
					expect(res.status).toBe(400);
					expect(res.body.errors).toEqual([
						expect.objectContaining({ param: 'perPage', location: 'query' }),
					]);
					expect(res.body.errors[0].msg).toContain(String(cap));
					continue;
				}
				expect(res.status).toBe(200);
				expect(res.body.pagination.perPage).toBe(cap ?? 1000);
				// Validation jobs page with `limit`.
				const jobs = await h.call('GET', '/validation-jobs?limit=1000');
				expect(jobs.status).toBe(200);
			}
		},
	);

	it('a page size under the cap is used as asked', async () => {
		await h.admin('PATCH', '/readings', { pageSizeCap: 25, overPageSizeCap: 'refuse' });
		const res = await h.call('GET', '/campaigns/cmp_demo_hashtag/leads?perPage=25&page=2');
		expect(res.status).toBe(200);
		expect(res.body.pagination).toMatchObject({ perPage: 25, currentPage: 2 });
		expect(res.body.items).toHaveLength(25);
		expect(res.body.pagination.totalPages).toBe(Math.ceil(res.body.pagination.totalCount / 25));
	});
});

describe('Retry-After on 429', () => {
	const limited = async () => {
		await h.admin('POST', '/faults', { path: '/api/auth/me', kind: 'rateLimit', retryAfter: 7 });
		return await h.call('GET', '/auth/me');
	};
	it('seconds: "7"', async () => {
		const res = await limited();
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBe('7');
	});
	it('absent: no header', async () => {
		await h.admin('PATCH', '/readings', { retryAfter: 'absent' });
		const res = await limited();
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBeNull();
	});
	it('date: an HTTP date at least the delay ahead', async () => {
		await h.admin('PATCH', '/readings', { retryAfter: 'date' });
		const before = Date.now();
		const res = await limited();
		expect(res.status).toBe(429);
		const value = res.headers.get('retry-after')!;
		expect(value).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
		expect(Date.parse(value) - before).toBeGreaterThanOrEqual(7000);
		expect(Date.parse(value) - before).toBeLessThanOrEqual(9000);
	});
	it('the documented rate limits follow the reading too', async () => {
		await h.admin('PATCH', '/readings', { retryAfter: 'date' });
		for (let i = 0; i < 3; i++)
			expect(
				(await h.call('POST', '/validation-jobs/text', { body: { emails: [`a${i}@example.com`] } }))
					.status,
			).toBe(201);
		const res = await h.call('POST', '/validation-jobs/text', {
			body: { emails: ['z@example.com'] },
		});
		expect(res.status).toBe(429);
		expect(Date.parse(res.headers.get('retry-after')!)).toBeGreaterThan(Date.now() + 3000_000);
	});
});

describe('X-Workspace-Id with an API key on validation-job routes', () => {
	it('ignore: answered from the default workspace', async () => {
		const res = await h.call('GET', '/validation-jobs', { workspace: PRESETS.workspaces.team });
		expect(res.status).toBe(200);
	});
	it('refuse: 400 naming X-Workspace-Id; without the header, or with Bearer, it works', async () => {
		await h.admin('PATCH', '/readings', { validationJobWorkspaceHeader: 'refuse' });
		const res = await h.call('GET', '/validation-jobs', { workspace: PRESETS.workspaces.team });
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual([
			expect.objectContaining({ param: 'X-Workspace-Id', location: 'headers' }),
		]);
		expect((await h.call('GET', '/validation-jobs')).status).toBe(200);
		expect(
			(
				await h.call('GET', '/validation-jobs', {
					token: PRESETS.accessTokens.demo,
					workspace: PRESETS.workspaces.team,
				})
			).status,
		).toBe(200);
	});
});

describe('plan limits', () => {
	const threeTargets = {
		type: 'INSTAGRAM_USER_FOLLOWERS',
		inputs: { targetUsers: ['a', 'b', 'c'] },
		targetEmails: 50,
	};
	it('workspace: 3 targets pass in a paid workspace, whatever the account plan', async () => {
		await h.admin('PATCH', `/accounts/${PRESETS.accounts.demo.id}`, { planId: 'free' });
		expect(
			(await h.call('POST', '/campaigns/reserve-preview', { body: threeTargets })).status,
		).toBe(200);
	});
	it('account: the same request is refused when the account is on a free plan, and passes on a paid one', async () => {
		await h.admin('PATCH', '/readings', { planLimitsFrom: 'account' });
		await h.admin('PATCH', `/accounts/${PRESETS.accounts.demo.id}`, { planId: 'free' });
		const refused = await h.call('POST', '/campaigns/reserve-preview', { body: threeTargets });
		expect(refused.status).toBe(400);
		expect(JSON.stringify(refused.body.errors)).toMatch(/targetUsers/);
		await h.admin('PATCH', `/accounts/${PRESETS.accounts.demo.id}`, { planId: 'growth_monthly' });
		expect(
			(await h.call('POST', '/campaigns/reserve-preview', { body: threeTargets })).status,
		).toBe(200);
	});
});

describe('e-mail masking', () => {
	const firstEmail = async (key: string) => {
		const res = await h.call(
			'GET',
			`/campaigns/${key === PRESETS.apiKeys.free ? 'cmp_free_hashtag' : 'cmp_demo_hashtag'}/leads?hasEmail=true&perPage=1`,
			{ key },
		);
		return res.body.items[0] as { email: string; emailMasked?: boolean };
	};
	it('account: the free account masks, the demo account does not', async () => {
		expect((await firstEmail(PRESETS.apiKeys.free)).email).toMatch(/\*\*\*/);
		expect((await firstEmail(PRESETS.apiKeys.account)).email).not.toMatch(/\*\*\*/);
	});
	it('on: every account masks; off: none does', async () => {
		await h.admin('PATCH', '/readings', { emailMasking: 'on' });
		expect((await firstEmail(PRESETS.apiKeys.account)).email).toMatch(/\*\*\*/);
		expect((await h.call('GET', '/auth/me')).body.shouldMaskEmail).toBe(true);
		await h.admin('PATCH', '/readings', { emailMasking: 'off' });
		expect((await firstEmail(PRESETS.apiKeys.free)).email).not.toMatch(/\*\*\*/);
	});
});
