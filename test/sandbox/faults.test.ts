/** Fault injection: scripted one-shot faults (before/after) and the random global faults. */
import { expectError, HASHTAG_CAMPAIGN, PRESETS, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
	h = await startHarness();
});
afterAll(async () => h.sandbox.close());
afterEach(async () => {
	await h.admin('DELETE', '/faults');
	await h.admin('PATCH', '/config', {
		faults: { latencyMs: 0, errorRate: 0, dropRate: 0, malformedRate: 0, rateLimitStorm: 0 },
	});
});

const campaignCount = async () =>
	(await h.call('GET', '/campaigns')).body.pagination.totalCount as number;

test('status fault "before": the route does not run', async () => {
	const before = await campaignCount();
	expect(
		(
			await h.admin('POST', '/faults', {
				method: 'POST',
				path: '/campaigns',
				kind: 'status',
				status: 503,
			})
		).status,
	).toBe(201);
	expectError(
		await h.call('POST', '/campaigns', { body: HASHTAG_CAMPAIGN }),
		503,
		'SERVICE_UNAVAILABLE',
	);
	expect(await campaignCount()).toBe(before);
	// One-shot: the next request goes through.
	expect((await h.call('POST', '/campaigns', { body: HASHTAG_CAMPAIGN })).status).toBe(201);
	expect(await campaignCount()).toBe(before + 1);
});

test('status fault "after": the campaign is created and credits reserved, but the client sees 500', async () => {
	const before = await campaignCount();
	const credits = (await h.call('GET', '/auth/me')).body.credits;
	await h.admin('POST', '/faults', {
		method: 'POST',
		path: '/api/campaigns',
		kind: 'status',
		status: 500,
		when: 'after',
	});
	expectError(
		await h.call('POST', '/campaigns', { body: HASHTAG_CAMPAIGN }),
		500,
		'INTERNAL_ERROR',
	);
	expect(await campaignCount()).toBe(before + 1);
	expect((await h.call('GET', '/auth/me')).body.credits).toBe(credits - 115);
});

test('drop fault: the connection closes without a response (before and after)', async () => {
	await h.admin('POST', '/faults', { path: '/auth/me', kind: 'drop' });
	await expect(h.call('GET', '/auth/me')).rejects.toThrow();
	const before = await campaignCount();
	await h.admin('POST', '/faults', {
		method: 'POST',
		path: '^/api/campaigns$',
		kind: 'drop',
		when: 'after',
	});
	await expect(h.call('POST', '/campaigns', { body: HASHTAG_CAMPAIGN })).rejects.toThrow();
	expect(await campaignCount()).toBe(before + 1);
	const log = (await h.admin('GET', '/requests?host=api')).body.requests;
	expect(log.filter((r: { fault: string | null }) => r.fault?.startsWith('drop')).length).toBe(2);
});

test('malformed fault: status 200 with an unparsable JSON body', async () => {
	await h.admin('POST', '/faults', {
		path: '/campaigns/cmp_demo_hashtag',
		kind: 'malformed',
		times: 2,
	});
	for (let i = 0; i < 2; i++) {
		const result = await h.call('GET', '/campaigns/cmp_demo_hashtag');
		expect(result.status).toBe(200);
		expect(result.headers.get('content-type')).toMatch(/application\/json/);
		expect(() => JSON.parse(result.text)).toThrow();
	}
	expect((await h.call('GET', '/campaigns/cmp_demo_hashtag')).body.campaign.id).toBe(
		'cmp_demo_hashtag',
	);
	await h.admin('POST', '/faults', {
		path: '/campaigns/cmp_demo_hashtag',
		kind: 'malformed',
		when: 'after',
	});
	const after = await h.call('GET', '/campaigns/cmp_demo_hashtag');
	expect(after.text.startsWith('{"campaign":')).toBe(true);
	expect(after.body).toBeUndefined();
});

test('latency fault delays the answer', async () => {
	await h.admin('POST', '/faults', { path: '/auth/me', kind: 'latency', latencyMs: 300 });
	const started = Date.now();
	expect((await h.call('GET', '/auth/me')).status).toBe(200);
	expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	// The fault is used up: the next request is not delayed (read from the request log, not a clock).
	await h.call('GET', '/auth/me');
	const log = (await h.admin('GET', '/requests')).body.requests.filter((entry: { path: string }) =>
		entry.path.endsWith('/auth/me'),
	);
	expect(log.slice(-2).map((entry: { fault: string | null }) => entry.fault)).toEqual([
		'latency:before',
		null,
	]);
	expect((await h.admin('GET', '/faults')).body.faults).toEqual([]);
});

test('rateLimit fault: 429 with Retry-After and the error object', async () => {
	await h.admin('POST', '/faults', {
		path: '/credit-transactions',
		kind: 'rateLimit',
		retryAfter: 7,
	});
	const result = await h.call('GET', '/credit-transactions');
	expectError(result, 429, 'RATE_LIMITED');
	expect(result.headers.get('retry-after')).toBe('7');
});

test('invalid fault specs are refused', async () => {
	expect((await h.admin('POST', '/faults', { path: '/x', kind: 'explode' })).status).toBe(400);
	expect((await h.admin('POST', '/faults', { kind: 'drop' })).status).toBe(400);
});

test('random faults from config: errorRate, rateLimitStorm, malformedRate, dropRate, latencyMs', async () => {
	await h.admin('PATCH', '/config', { faults: { errorRate: 1 } });
	const error = await h.call('GET', '/auth/me');
	expect([500, 503]).toContain(error.status);
	await h.admin('PATCH', '/config', { faults: { errorRate: 0, rateLimitStorm: 1 } });
	const storm = await h.call('GET', '/auth/me');
	expect(storm.status).toBe(429);
	expect(storm.headers.get('retry-after')).toBe('1');
	await h.admin('PATCH', '/config', { faults: { rateLimitStorm: 0, malformedRate: 1 } });
	const malformed = await h.call('GET', '/auth/me');
	expect(malformed.body).toBeUndefined();
	await h.admin('PATCH', '/config', { faults: { malformedRate: 0, dropRate: 1 } });
	await expect(h.call('GET', '/auth/me')).rejects.toThrow();
	await h.admin('PATCH', '/config', { faults: { dropRate: 0, latencyMs: 200 } });
	const started = Date.now();
	expect((await h.call('GET', '/auth/me')).status).toBe(200);
	expect(Date.now() - started).toBeGreaterThanOrEqual(190);
	// Admin routes are never faulted.
	await h.admin('PATCH', '/config', { faults: { latencyMs: 0, errorRate: 1 } });
	expect((await h.admin('GET', '/config')).status).toBe(200);
	// A partial rate hits some requests, not all.
	await h.admin('PATCH', '/config', { faults: { errorRate: 0.5 } });
	const statuses = await Promise.all(
		Array.from({ length: 40 }, () =>
			h.call('GET', '/auth/me', { key: PRESETS.apiKeys.account }).then((r) => r.status),
		),
	);
	const failures = statuses.filter((s) => s >= 500).length;
	expect(failures).toBeGreaterThan(5);
	expect(failures).toBeLessThan(35);
});

test('request log records credentials as present/absent, never their values', async () => {
	await h.admin('DELETE', '/requests');
	await h.call('GET', '/auth/me', { workspace: PRESETS.workspaces.team });
	await h.call('GET', '/auth/me', { token: PRESETS.accessTokens.demo });
	const log = (await h.admin('GET', '/requests')).body;
	expect(log.requests).toHaveLength(2);
	expect(log.requests[0]).toMatchObject({
		host: 'api',
		method: 'GET',
		operationId: 'getAccount',
		status: 200,
		apiKey: 'present',
		authorization: 'absent',
		workspaceId: 'ws_team',
	});
	expect(log.requests[1]).toMatchObject({
		apiKey: 'absent',
		authorization: 'Bearer',
		workspaceId: null,
	});
	expect(JSON.stringify(log)).not.toContain(PRESETS.apiKeys.account);
	expect(JSON.stringify(log)).not.toContain(PRESETS.accessTokens.demo);
});

test('clock and reset controls', async () => {
	const clock = (await h.admin('GET', '/clock')).body;
	const advanced = (await h.admin('POST', '/clock/advance', { ms: 60_000 })).body;
	expect(advanced.now - clock.now).toBeGreaterThanOrEqual(60_000);
	expect((await h.admin('POST', '/clock/advance', { seconds: 1 })).status).toBe(200);
	expect((await h.admin('PATCH', '/config', { clockSpeed: 50 })).body.clockSpeed).toBe(50);
	await h.admin('PATCH', '/config', { clockSpeed: 0 });
	expect(await campaignCount()).toBeGreaterThan(4);
	await h.admin('POST', '/reset');
	expect(await campaignCount()).toBe(4);
	expect((await h.call('GET', '/auth/me')).body.credits).toBe(PRESETS.accounts.demo.credits);
});

/** Reads what arrives within `ms`: the status and the bytes, and whether the body ended. */
async function readFor(
	url: string,
	ms: number,
	init: RequestInit = {},
): Promise<{ status: number; bytes: number; ended: boolean; contentType: string | null }> {
	const response = await fetch(url, init);
	const reader = response.body!.getReader();
	let bytes = 0;
	const deadline = Date.now() + ms;
	for (;;) {
		const left = deadline - Date.now();
		if (left <= 0) break;
		const next = await Promise.race([
			reader.read(),
			new Promise<'idle'>((resolve) => setTimeout(() => resolve('idle'), left)),
		]);
		if (next === 'idle') break;
		if (next.done)
			return {
				status: response.status,
				bytes,
				ended: true,
				contentType: response.headers.get('content-type'),
			};
		bytes += next.value.length;
	}
	await reader.cancel();
	return {
		status: response.status,
		bytes,
		ended: false,
		contentType: response.headers.get('content-type'),
	};
}

test('stall fault: headers and a few bytes, then nothing (API before/after, and the file host)', async () => {
	const headers = { 'x-api-key': PRESETS.apiKeys.account, 'content-type': 'application/json' };
	await h.admin('POST', '/faults', {
		method: 'GET',
		path: '/campaigns/cmp_demo_hashtag',
		kind: 'stall',
	});
	const before = await readFor(`${h.sandbox.apiUrl}/campaigns/cmp_demo_hashtag`, 400, { headers });
	expect(before).toEqual({
		status: 200,
		bytes: 16,
		ended: false,
		contentType: expect.stringMatching(/application\/json/),
	});

	// "after": the route ran (the campaign exists and credits moved), the answer stalls.
	const count = await campaignCount();
	await h.admin('POST', '/faults', {
		method: 'POST',
		path: '/campaigns',
		kind: 'stall',
		when: 'after',
	});
	const after = await readFor(`${h.sandbox.apiUrl}/campaigns`, 400, {
		method: 'POST',
		headers,
		body: JSON.stringify(HASHTAG_CAMPAIGN),
	});
	expect([after.status, after.bytes, after.ended]).toEqual([201, 16, false]);
	expect(await campaignCount()).toBe(count + 1);

	// The file host: a completed export's file, its headers, 16 bytes, nothing more.
	const exportId = (
		await h.call('POST', '/list-exports', {
			body: { campaignId: 'cmp_demo_hashtag', fileFormat: 'csv' },
		})
	).body.data.exportId;
	await h.advance(60);
	const link = (await h.call('GET', `/list-exports/${exportId}/download`)).body.data.downloadUrl;
	await h.admin('POST', '/faults', { host: 'storage', path: '^/files/', kind: 'stall' });
	const file = await readFor(link, 400);
	expect(file).toEqual({
		status: 200,
		bytes: 16,
		ended: false,
		contentType: expect.stringMatching(/text\/csv/),
	});
	const log = (await h.admin('GET', '/storage/requests')).body.requests as Array<{
		fault?: string;
	}>;
	expect(log[log.length - 1].fault).toBe('stall:before');
	// One-shot: the next download gets the whole file.
	expect((await readFor(link, 2000)).ended).toBe(true);
	expect(
		(await h.admin('POST', '/faults', { host: 'storage', path: '/x', kind: 'malformed' })).status,
	).toBe(400);
});
