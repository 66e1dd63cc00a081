/** Every route of the contract answers with its documented shape (checked against openapi.yaml). */
import { contractRoutes } from '../../sandbox/http/contract';
import { expectDocumented, HASHTAG_CAMPAIGN, PRESETS, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
	h = await startHarness();
});
afterAll(async () => h.sandbox.close());

const seen = new Set<string>();
function documented(operationId: string, status: number, body: unknown) {
	seen.add(operationId);
	expectDocumented(operationId, status, body);
}

test('account, campaigns, leads, stop, validation, jobs, exports, download and credits match the contract', async () => {
	const me = await h.call('GET', '/auth/me');
	expect(me.status).toBe(200);
	documented('getAccount', 200, me.body);
	expect(me.body.workspace.id).toBe(PRESETS.workspaces.main);
	expect(me.headers.get('x-request-id')).toMatch(/^req_/);

	const preview = await h.call('POST', '/campaigns/reserve-preview', { body: HASHTAG_CAMPAIGN });
	expect(preview.status).toBe(200);
	documented('previewCampaignCost', 200, preview.body);
	expect(preview.body.success).toBe(true);
	expect(preview.body.requestId).toBe(preview.headers.get('x-request-id'));

	const created = await h.call('POST', '/campaigns', {
		body: { ...HASHTAG_CAMPAIGN, title: 'Shape check' },
	});
	expect(created.status).toBe(201);
	documented('createCampaign', 201, created.body);
	const id = created.body.campaign.id as string;

	const list = await h.call('GET', '/campaigns?page=1&perPage=5');
	documented('listCampaigns', 200, list.body);
	expect(list.body.items.map((c: { id: string }) => c.id)).toContain(id);

	documented('getExportSchemas', 200, (await h.call('GET', '/campaigns/export-schemas')).body);

	await h.advance(20);
	const detail = await h.call('GET', `/campaigns/${id}`);
	documented('getCampaign', 200, detail.body);
	expect(detail.body.campaign.status).toBe('scraping');

	const leads = await h.call('GET', `/campaigns/${id}/leads?perPage=20`);
	documented('listCampaignLeads', 200, leads.body);
	expect(leads.body.items.length).toBeGreaterThan(0);

	const stop = await h.call('POST', `/campaigns/${id}/stop`, { body: { reason: 'enough' } });
	documented('stopCampaign', 200, stop.body);

	const vPreview = await h.call('GET', `/campaigns/${id}/validate/preview`);
	documented('previewCampaignValidation', 200, vPreview.body);
	const vStart = await h.call('POST', `/campaigns/${id}/validate`);
	expect(vStart.status).toBe(202);
	documented('startCampaignValidation', 202, vStart.body);

	const job = await h.call('POST', '/validation-jobs/text', {
		body: { emails: ['a@example.com', 'b@example.com'] },
	});
	expect(job.status).toBe(201);
	documented('createValidationJob', 201, job.body);
	documented('listValidationJobs', 200, (await h.call('GET', '/validation-jobs')).body);
	await h.advance(10);
	const jobDetail = await h.call('GET', `/validation-jobs/${job.body.data.jobId}`);
	documented('getValidationJob', 200, jobDetail.body);
	expect(jobDetail.body.data.downloadUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);

	const exp = await h.call('POST', '/list-exports', { body: { campaignId: 'cmp_demo_hashtag' } });
	expect(exp.status).toBe(201);
	documented('createListExport', 201, exp.body);
	documented('listListExports', 200, (await h.call('GET', '/list-exports')).body);
	await h.advance(10);
	documented(
		'getListExport',
		200,
		(await h.call('GET', `/list-exports/${exp.body.data.exportId}`)).body,
	);
	const dl = await h.call('GET', `/list-exports/${exp.body.data.exportId}/download`);
	documented('getListExportDownloadUrl', 200, dl.body);
	const follow = await h.call(
		'GET',
		new URL(dl.body.data.downloadUrl).pathname.replace(/^\/api/, ''),
		{ key: null, redirect: 'manual' },
	);
	expect(follow.status).toBe(302);
	seen.add('followListExportDownload');

	const credits = await h.call('GET', '/credit-transactions');
	documented('listCreditTransactions', 200, credits.body);

	expect([...seen].sort()).toEqual(
		contractRoutes()
			.map((r) => r.operationId)
			.sort(),
	);
});

test('errors match the documented error object', async () => {
	const missing = await h.call('GET', '/campaigns/cmp_nope');
	expect(missing.status).toBe(404);
	documented('getCampaign', 404, missing.body);
	const unauthorized = await h.call('GET', '/auth/me', { key: 'sk_live_wrong' });
	documented('getAccount', 401, unauthorized.body);
	const bad = await h.call('GET', '/campaigns?perPage=101');
	expect(bad.status).toBe(400);
	documented('listCampaigns', 400, bad.body);
	expect(bad.body.errors[0]).toMatchObject({ param: 'perPage', location: 'query' });
});
