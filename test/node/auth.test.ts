/**
 * Both auth modes and the workspace rules, through n8n's engine against the sandbox; the
 * sandbox's request log shows which credential and which X-Workspace-Id each request carried.
 */
import {
	PRESETS,
	accessTokenCredential,
	apiKeyCredential,
	byId,
	json,
	requestsOf,
	startTestbed,
	type Testbed,
} from './setup';

let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed();
});
afterAll(async () => await bed.close());
beforeEach(async () => await bed.clearRequests());

const W = PRESETS.workspaces;

describe('auth modes', () => {
	it('API key: sends X-API-Key and no Authorization', async () => {
		const [me] = json(
			await bed.run(
				{ resource: 'account', operation: 'get' },
				{ credential: apiKeyCredential(bed.apiUrl) },
			),
		);
		expect(me.id).toBe(PRESETS.accounts.demo.id);
		const [sent] = requestsOf(await bed.requests(), 'getAccount');
		expect(sent).toMatchObject({ apiKey: 'present', authorization: 'absent' });
	});

	it('access token: sends Authorization: Bearer and no X-API-Key', async () => {
		const [me] = json(
			await bed.run(
				{ resource: 'account', operation: 'get' },
				{ credential: accessTokenCredential(bed.apiUrl, PRESETS.accessTokens.free) },
			),
		);
		expect(me).toMatchObject({ id: PRESETS.accounts.free.id, workspace: { id: W.free } });
		const [sent] = requestsOf(await bed.requests(), 'getAccount');
		expect(sent).toMatchObject({ apiKey: 'absent', authorization: 'Bearer' });
	});
});

describe('workspace selection', () => {
	it('the credential workspace is sent as X-Workspace-Id and selects the workspace', async () => {
		const campaigns = json(
			await bed.run(
				{ resource: 'campaign', operation: 'getMany', returnAll: true },
				{ credential: apiKeyCredential(bed.apiUrl, PRESETS.apiKeys.account, W.team) },
			),
		);
		expect(campaigns.map((campaign) => campaign.id)).toEqual(['cmp_team_linkedin']);
		expect(requestsOf(await bed.requests(), 'listCampaigns')[0].workspaceId).toBe(W.team);
	});

	it('the node option overrides the credential workspace', async () => {
		const campaigns = json(
			await bed.run(
				{
					resource: 'campaign',
					operation: 'getMany',
					returnAll: true,
					options: { workspaceId: W.member },
				},
				{ credential: accessTokenCredential(bed.apiUrl, PRESETS.accessTokens.demo, W.team) },
			),
		);
		expect(campaigns.map((campaign) => campaign.id)).toEqual(['cmp_member_x']);
		expect(requestsOf(await bed.requests(), 'listCampaigns')[0].workspaceId).toBe(W.member);
	});

	it('no workspace anywhere: no header, the account default applies', async () => {
		const [me] = json(await bed.run({ resource: 'account', operation: 'get' }));
		expect((me.workspace as { id: string }).id).toBe(W.main);
		expect(requestsOf(await bed.requests(), 'getAccount')[0].headerNames).not.toContain(
			'x-workspace-id',
		);
	});

	it('the override applies per item (expression), one request each', async () => {
		const result = await bed.run(
			{ resource: 'account', operation: 'get', options: { workspaceId: '={{ $json.ws }}' } },
			{ items: [{ json: { ws: W.team } }, { json: { ws: W.viewer } }] },
		);
		expect(json(result).map((me) => (me.workspace as { id: string; role: string }).role)).toEqual([
			'admin',
			'viewer',
		]);
		expect(
			requestsOf(await bed.requests(), 'getAccount').map((request) => request.workspaceId),
		).toEqual([W.team, W.viewer]);
	});

	it('a workspace-bound key works in its own workspace and is refused in another one', async () => {
		const own = json(
			await bed.run(
				{ resource: 'campaign', operation: 'get', campaignId: byId('cmp_team_linkedin') },
				{ credential: apiKeyCredential(bed.apiUrl, PRESETS.apiKeys.teamBound) },
			),
		);
		expect(own[0].id).toBe('cmp_team_linkedin');
		const other = await bed.run(
			{
				resource: 'campaign',
				operation: 'get',
				campaignId: byId('cmp_demo_hashtag'),
				options: { workspaceId: W.main },
			},
			{ credential: apiKeyCredential(bed.apiUrl, PRESETS.apiKeys.teamBound) },
		);
		expect((other.error as unknown as { httpCode: string }).httpCode).toBe('403');
	});

	it('a missing permission (viewer) is a 403 from the API', async () => {
		const result = await bed.run(
			{
				resource: 'campaign',
				operation: 'previewValidation',
				campaignId: byId('cmp_viewer_facebook'),
				options: { workspaceId: W.viewer },
			},
			{ credential: accessTokenCredential(bed.apiUrl) },
		);
		expect((result.error as unknown as { httpCode: string }).httpCode).toBe('403');
	});
});

describe('account-scoped routes', () => {
	it('a workspace-bound key on validation jobs gets an error saying what to use instead', async () => {
		const result = await bed.run(
			{ resource: 'validationJob', operation: 'getMany', limit: 5 },
			{ credential: apiKeyCredential(bed.apiUrl, PRESETS.apiKeys.teamBound) },
		);
		expect((result.error as unknown as { httpCode: string }).httpCode).toBe('403');
		expect(result.error?.description).toMatch(/account-scoped key, or an access token/);
	});

	it('an access token may choose the workspace of validation jobs (X-Workspace-Id is sent)', async () => {
		const result = await bed.run(
			{
				resource: 'validationJob',
				operation: 'getMany',
				limit: 5,
				options: { workspaceId: W.team },
			},
			{ credential: accessTokenCredential(bed.apiUrl) },
		);
		expect(result.error).toBeUndefined();
		expect(requestsOf(await bed.requests(), 'listValidationJobs')[0].workspaceId).toBe(W.team);
	});
});
