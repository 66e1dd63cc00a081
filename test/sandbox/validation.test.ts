/** Post-campaign validation and standalone validation jobs. */
import { expectError, PRESETS, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
	h = await startHarness();
});
afterAll(async () => h.sandbox.close());

test('post-campaign validation: preview, 202, 409 while running, summary, lead results and ledger', async () => {
	const me = (await h.call('GET', '/auth/me')).body;
	const detail = (await h.call('GET', '/campaigns/cmp_demo_hashtag')).body.campaign;
	const preview = (await h.call('GET', '/campaigns/cmp_demo_hashtag/validate/preview')).body;
	expect(preview).toEqual({
		campaignId: 'cmp_demo_hashtag',
		emailsToValidate: detail.emailCount,
		creditCost: detail.emailCount,
		currentBalance: me.credits,
		hasSufficientCredits: true,
		canValidate: true,
	});

	const started = await h.call('POST', '/campaigns/cmp_demo_hashtag/validate');
	expect(started.status).toBe(202);
	expect(started.body).toMatchObject({
		campaignId: 'cmp_demo_hashtag',
		emailsToValidate: detail.emailCount,
		creditCost: detail.emailCount,
		status: 'queued',
	});
	expect(started.body.requestId).toBe(started.headers.get('x-request-id'));
	expectError(
		await h.call('POST', '/campaigns/cmp_demo_hashtag/validate'),
		409,
		'VALIDATION_ALREADY_RUNNING',
	);
	expect(
		(await h.call('GET', '/campaigns/cmp_demo_hashtag/validate/preview')).body.canValidate,
	).toBe(false);
	expect((await h.call('GET', '/auth/me')).body.credits).toBe(me.credits - detail.emailCount);

	await h.advance(2);
	const midway = (await h.call('GET', '/campaigns/cmp_demo_hashtag')).body.campaign.postValidation;
	expect(midway.status).toBe('processing');
	expect(midway.validated).toBe(50);
	expect(midway.valid + midway.invalid).toBe(midway.validated);
	await h.advance(10);
	const done = (await h.call('GET', '/campaigns/cmp_demo_hashtag')).body.campaign.postValidation;
	expect(done).toMatchObject({
		status: 'completed',
		total: detail.emailCount,
		validated: detail.emailCount,
	});
	expect(done.valid + done.invalid).toBe(detail.emailCount);
	const valid = (
		await h.call('GET', '/campaigns/cmp_demo_hashtag/leads?validationStatus=valid&perPage=100')
	).body;
	expect(valid.pagination.totalCount).toBe(done.valid);
	expect(valid.items[0].emailValidation).toMatchObject({ status: 'valid', isValid: true });
	expect(
		(await h.call('GET', '/campaigns/cmp_demo_hashtag/leads?validationStatus=pending')).body
			.pagination.totalCount,
	).toBe(0);
	const entries = (
		await h.call('GET', '/credit-transactions?campaignId=cmp_demo_hashtag&order=asc')
	).body.transactions;
	expect(entries.map((t: { type: string; amount: number }) => [t.type, t.amount])).toEqual([
		['reserve', -detail.emailCount],
		['use', 0],
	]);

	const again = (await h.call('GET', '/campaigns/cmp_demo_hashtag/validate/preview')).body;
	expect(again).toMatchObject({ emailsToValidate: 0, canValidate: false });
	expectError(
		await h.call('POST', '/campaigns/cmp_demo_hashtag/validate'),
		400,
		'NOTHING_TO_VALIDATE',
	);
});

test('running campaigns cannot be validated; the free account lacks credits for big ones', async () => {
	const id = (
		await h.call('POST', '/campaigns', {
			body: { type: 'X_FOLLOWERS', inputs: { targetUser: 'a' }, targetEmails: 20 },
		})
	).body.campaign.id;
	expect((await h.call('GET', `/campaigns/${id}/validate/preview`)).body.canValidate).toBe(false);
	expectError(await h.call('POST', `/campaigns/${id}/validate`), 400, 'CAMPAIGN_NOT_VALIDATABLE');
	await h.admin('POST', `/accounts/${PRESETS.accounts.free.id}/credits`, { amount: -490 });
	const preview = (
		await h.call('GET', '/campaigns/cmp_free_hashtag/validate/preview', {
			key: PRESETS.apiKeys.free,
		})
	).body;
	expect(preview).toMatchObject({
		hasSufficientCredits: false,
		canValidate: false,
		currentBalance: 10,
	});
	expectError(
		await h.call('POST', '/campaigns/cmp_free_hashtag/validate', { key: PRESETS.apiKeys.free }),
		400,
		'INSUFFICIENT_CREDITS',
	);
});

describe('standalone validation jobs', () => {
	test('duplicates are removed case-insensitively, invalid syntax counts as invalid, counts rise at 50/s, results CSV', async () => {
		const emails = [
			'Ana@Example.com',
			'ana@example.com',
			' ben@example.org ',
			'not-an-email',
			'cleo@',
			...Array.from({ length: 195 }, (_, i) => `user${i}@example.net`),
		];
		const created = await h.call('POST', '/validation-jobs/text', { body: { emails } });
		expect(created.status).toBe(201);
		const job = created.body.data;
		expect(job).toMatchObject({
			status: 'pending',
			totalEmails: 199,
			processedCount: 0,
			validCount: 0,
			invalidCount: 0,
			downloadUrl: null,
			completedAt: null,
		});
		await h.advance(1);
		expect((await h.call('GET', `/validation-jobs/${job.jobId}`)).body.data.status).toBe('queued');
		await h.advance(1.5);
		const processing = (await h.call('GET', `/validation-jobs/${job.jobId}`)).body.data;
		expect(processing).toMatchObject({ status: 'processing', processedCount: 50 });
		await h.advance(3);
		const done = (await h.call('GET', `/validation-jobs/${job.jobId}`)).body.data;
		expect(done).toMatchObject({ status: 'completed', processedCount: 199 });
		expect(done.validCount + done.invalidCount).toBe(199);
		expect(done.invalidCount).toBeGreaterThanOrEqual(2);
		const csv = await (await fetch(done.downloadUrl)).text();
		const lines = csv.trim().split('\r\n');
		expect(lines[0]).toBe('email,status,isValid,reason');
		expect(lines).toHaveLength(200);
		expect(lines).toContain('not-an-email,invalid,false,invalid_syntax');
		expect(lines.filter((l) => l.toLowerCase().startsWith('ana@example.com'))).toHaveLength(1);
		expect(lines.filter((l) => l.includes(',valid,true,')).length).toBe(done.validCount);
	});

	test('1 to 5000 emails', async () => {
		await h.admin('POST', '/rate-limits/reset');
		const none = await h.call('POST', '/validation-jobs/text', { body: { emails: [] } });
		expectError(none, 400, 'VALIDATION_ERROR');
		expect(none.body.errors[0].param).toBe('emails');
		const blank = await h.call('POST', '/validation-jobs/text', { body: { emails: ['  '] } });
		expect(blank.body.errors[0].param).toBe('emails');
		const tooMany = await h.call('POST', '/validation-jobs/text', {
			body: { emails: Array.from({ length: 5001 }, (_, i) => `u${i}@example.com`) },
		});
		expectError(tooMany, 400, 'VALIDATION_ERROR');
		expect(tooMany.body.errors[0].param).toBe('emails');
		const max = await h.call('POST', '/validation-jobs/text', {
			body: { emails: Array.from({ length: 5000 }, (_, i) => `u${i}@example.com`) },
		});
		expect(max.status).toBe(201);
		expect(max.body.data.totalEmails).toBe(5000);
		const one = await h.call('POST', '/validation-jobs/text', {
			body: { emails: ['solo@example.com'] },
		});
		expect(one.body.data.totalEmails).toBe(1);
	});

	test('list pages with page/limit and filters by status; failed and cancelled via admin', async () => {
		const list = (await h.call('GET', '/validation-jobs?limit=2&page=1')).body.data;
		expect(list.jobs).toHaveLength(2);
		expect(list.total).toBeGreaterThanOrEqual(3);
		expect(list.pages).toBe(Math.ceil(list.total / 2));
		const running = list.jobs.find((j: { status: string }) => j.status !== 'completed');
		await h.admin('POST', '/rate-limits/reset');
		const fresh = (
			await h.call('POST', '/validation-jobs/text', {
				body: { emails: ['x@example.com', 'y@example.com'] },
			})
		).body.data;
		await h.admin('POST', `/validation-jobs/${fresh.jobId}/outcome`, { status: 'cancelled' });
		expect((await h.call('GET', `/validation-jobs/${fresh.jobId}`)).body.data.status).toBe(
			'cancelled',
		);
		const cancelled = (await h.call('GET', '/validation-jobs?status=cancelled')).body.data.jobs;
		expect(cancelled.map((j: { jobId: string }) => j.jobId)).toEqual([fresh.jobId]);
		expect(running === undefined || typeof running.jobId === 'string').toBe(true);
		expect((await h.call('GET', '/validation-jobs?limit=101')).status).toBe(400);
	});
});
