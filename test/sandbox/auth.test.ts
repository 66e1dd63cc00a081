/** Authentication, workspace selection, scoped keys, roles and cross-workspace isolation. */
import { expectError, HASHTAG_CAMPAIGN, PRESETS, startHarness, type Harness } from './helpers';

const { apiKeys, accessTokens, workspaces } = PRESETS;
let h: Harness;
beforeAll(async () => {
	h = await startHarness();
});
afterAll(async () => h.sandbox.close());

describe('credentials', () => {
	test('missing credentials answer 401', async () => {
		expectError(await h.call('GET', '/auth/me', { key: null }), 401, 'UNAUTHORIZED');
	});
	test('unknown key, key without sk_live_ prefix, unknown token and non-Bearer Authorization answer 401', async () => {
		expectError(await h.call('GET', '/auth/me', { key: 'sk_live_unknown' }), 401, 'UNAUTHORIZED');
		expectError(
			await h.call('GET', '/auth/me', { key: 'sandbox_demo_account' }),
			401,
			'UNAUTHORIZED',
		);
		expectError(await h.call('GET', '/auth/me', { token: 'nope' }), 401, 'UNAUTHORIZED');
		expectError(
			await h.call('GET', '/auth/me', {
				key: null,
				headers: { authorization: `Basic ${accessTokens.demo}` },
			}),
			401,
			'UNAUTHORIZED',
		);
	});
	test('account key and bearer token both work and default to the account workspace', async () => {
		const byKey = await h.call('GET', '/auth/me');
		const byToken = await h.call('GET', '/auth/me', { token: accessTokens.demo });
		expect(byKey.body.workspace.id).toBe(workspaces.main);
		expect(byToken.body.workspace.id).toBe(workspaces.main);
		expect(byToken.body.id).toBe(PRESETS.accounts.demo.id);
		const free = await h.call('GET', '/auth/me', { token: accessTokens.free });
		expect(free.body).toMatchObject({
			id: PRESETS.accounts.free.id,
			shouldMaskEmail: true,
			workspace: { id: workspaces.free },
		});
	});
});

describe('workspace selection', () => {
	test('X-Workspace-Id selects a workspace with its role and permissions', async () => {
		const team = await h.call('GET', '/auth/me', { workspace: workspaces.team });
		expect(team.body.workspace).toMatchObject({ id: workspaces.team, role: 'admin' });
		const viewer = await h.call('GET', '/auth/me', {
			token: accessTokens.demo,
			workspace: workspaces.viewer,
		});
		expect(viewer.body.workspace).toMatchObject({ role: 'viewer', permissions: ['view_campaign'] });
	});
	test('a workspace-bound key uses its workspace, accepts the same id, and refuses another with 403', async () => {
		const bound = await h.call('GET', '/auth/me', { key: apiKeys.teamBound });
		expect(bound.body.workspace.id).toBe(workspaces.team);
		expect(
			(await h.call('GET', '/auth/me', { key: apiKeys.teamBound, workspace: workspaces.team }))
				.status,
		).toBe(200);
		expectError(
			await h.call('GET', '/auth/me', { key: apiKeys.teamBound, workspace: workspaces.main }),
			403,
			'WORKSPACE_MISMATCH',
		);
	});
	test('a workspace the account is not a member of answers 403 (also unknown ids)', async () => {
		expectError(
			await h.call('GET', '/campaigns', { workspace: workspaces.other }),
			403,
			'WORKSPACE_ACCESS_DENIED',
		);
		expectError(
			await h.call('GET', '/campaigns', { workspace: 'ws_does_not_exist' }),
			403,
			'WORKSPACE_ACCESS_DENIED',
		);
	});
	test("another workspace's campaign, export and job answer 404", async () => {
		expectError(await h.call('GET', '/campaigns/cmp_other_hashtag'), 404, 'NOT_FOUND');
		expectError(await h.call('GET', '/campaigns/cmp_team_linkedin'), 404, 'NOT_FOUND');
		expect(
			(await h.call('GET', '/campaigns/cmp_team_linkedin', { workspace: workspaces.team })).status,
		).toBe(200);
		expectError(
			await h.call('GET', '/campaigns/cmp_other_hashtag/leads', { workspace: workspaces.team }),
			404,
			'NOT_FOUND',
		);
		const exp = await h.call('POST', '/list-exports', {
			key: apiKeys.stranger,
			body: { campaignId: 'cmp_other_hashtag' },
		});
		expect(exp.status).toBe(201);
		expectError(await h.call('GET', `/list-exports/${exp.body.data.exportId}`), 404, 'NOT_FOUND');
		expectError(
			await h.call('POST', '/list-exports', { body: { campaignId: 'cmp_other_hashtag' } }),
			404,
			'NOT_FOUND',
		);
		const job = await h.call('POST', '/validation-jobs/text', {
			key: apiKeys.stranger,
			body: { emails: ['x@example.com'] },
		});
		expectError(await h.call('GET', `/validation-jobs/${job.body.data.jobId}`), 404, 'NOT_FOUND');
		expect(
			(await h.call('GET', `/validation-jobs/${job.body.data.jobId}`, { key: apiKeys.stranger }))
				.status,
		).toBe(200);
	});
});

describe('roles and permissions', () => {
	test('viewer may view but not create, stop, validate or export', async () => {
		const opts = { workspace: workspaces.viewer };
		expect((await h.call('GET', '/campaigns', opts)).status).toBe(200);
		expect((await h.call('GET', '/campaigns/cmp_viewer_facebook/leads', opts)).status).toBe(200);
		expectError(
			await h.call('POST', '/campaigns', { ...opts, body: HASHTAG_CAMPAIGN }),
			403,
			'PERMISSION_DENIED',
		);
		expectError(
			await h.call('POST', '/campaigns/reserve-preview', { ...opts, body: HASHTAG_CAMPAIGN }),
			403,
			'PERMISSION_DENIED',
		);
		expectError(
			await h.call('POST', '/campaigns/cmp_viewer_facebook/stop', opts),
			403,
			'PERMISSION_DENIED',
		);
		expectError(
			await h.call('GET', '/campaigns/cmp_viewer_facebook/validate/preview', opts),
			403,
			'PERMISSION_DENIED',
		);
		expectError(await h.call('GET', '/campaigns/export-schemas', opts), 403, 'PERMISSION_DENIED');
		expectError(await h.call('GET', '/list-exports', opts), 403, 'PERMISSION_DENIED');
		expectError(
			await h.call('POST', '/list-exports', {
				...opts,
				body: { campaignId: 'cmp_viewer_facebook' },
			}),
			403,
			'PERMISSION_DENIED',
		);
		// The same rule with a key bound to the viewer workspace.
		expectError(
			await h.call('GET', '/list-exports', { key: 'sk_live_sandbox_demo_viewer' }),
			403,
			'PERMISSION_DENIED',
		);
	});
	test('member and admin may create, view and export', async () => {
		for (const workspace of [workspaces.member, workspaces.team]) {
			expect(
				(await h.call('POST', '/campaigns/reserve-preview', { workspace, body: HASHTAG_CAMPAIGN }))
					.status,
			).toBe(200);
			expect((await h.call('GET', '/list-exports', { workspace })).status).toBe(200);
		}
	});
});

describe('account-scoped routes', () => {
	test('validation-job routes and credit transactions refuse workspace-bound keys with 403', async () => {
		for (const [method, path, body] of [
			['POST', '/validation-jobs/text', { emails: ['a@example.com'] }],
			['GET', '/validation-jobs', undefined],
			['GET', '/validation-jobs/vjob_x', undefined],
			['GET', '/credit-transactions', undefined],
		] as const) {
			const error = expectError(
				await h.call(method, path, { key: apiKeys.teamBound, body }),
				403,
				'ACCOUNT_SCOPED_KEY_REQUIRED',
			);
			expect(error.message).toMatch(/account-scoped key or Bearer/);
		}
	});
	test('credit transactions refuse X-Workspace-Id with 400 naming the header', async () => {
		const error = expectError(
			await h.call('GET', '/credit-transactions', { workspace: workspaces.main }),
			400,
			'VALIDATION_ERROR',
		);
		expect(error.errors).toEqual([
			expect.objectContaining({ param: 'X-Workspace-Id', location: 'headers' }),
		]);
		expect((await h.call('GET', '/credit-transactions', { token: accessTokens.demo })).status).toBe(
			200,
		);
	});
	test('bearer requests select the workspace of validation jobs; API keys use the default workspace', async () => {
		const inTeam = await h.call('POST', '/validation-jobs/text', {
			token: accessTokens.demo,
			workspace: workspaces.team,
			body: { emails: ['t@example.com'] },
		});
		expect(inTeam.status).toBe(201);
		const teamJobs = await h.call('GET', '/validation-jobs', {
			token: accessTokens.demo,
			workspace: workspaces.team,
		});
		expect(teamJobs.body.data.jobs.map((j: { jobId: string }) => j.jobId)).toContain(
			inTeam.body.data.jobId,
		);
		const mainJobs = await h.call('GET', '/validation-jobs', { workspace: workspaces.team });
		expect(mainJobs.body.data.jobs.map((j: { jobId: string }) => j.jobId)).not.toContain(
			inTeam.body.data.jobId,
		);
	});
});
