/**
 * Preset accounts, workspaces and credentials of the sandbox. Tests, examples, the demo and
 * the benchmarks refer to these names, so change them only together.
 */
export const PRESETS = {
	accounts: {
		/** Paid account, emails not masked, owner of `main`, admin of `team`, viewer of `viewer`. */
		demo: {
			id: 'acct_demo',
			email: 'demo@sandbox.scravio.test',
			name: 'Demo Owner',
			credits: 100000,
		},
		/** Free plan, emails masked: exercises plan limits and masking. */
		free: { id: 'acct_free', email: 'free@sandbox.scravio.test', name: 'Free User', credits: 500 },
		/** Owns `other`; nothing of it is visible to the demo account. */
		stranger: {
			id: 'acct_stranger',
			email: 'stranger@sandbox.scravio.test',
			name: 'Stranger',
			credits: 1000,
		},
	},
	workspaces: {
		/** Demo account's default workspace (role owner, paid plan). */
		main: 'ws_main',
		/** Demo account is admin here (paid plan). */
		team: 'ws_team',
		/** Demo account is member here: create/view/export. */
		member: 'ws_member',
		/** Demo account is viewer here: view_campaign only. */
		viewer: 'ws_viewer',
		/** Free account's default workspace (free plan). */
		free: 'ws_free',
		/** Belongs to the stranger account only. */
		other: 'ws_other',
		/** Large-data mode: 10,000 campaigns, one with 100,000 leads (demo account is owner). */
		large: 'ws_large',
	},
	apiKeys: {
		/** Account-scoped key of the demo account. */
		account: 'sk_live_sandbox_demo_account',
		/** Demo account key bound to `team`. */
		teamBound: 'sk_live_sandbox_demo_team',
		/** Account-scoped key of the free account. */
		free: 'sk_live_sandbox_free_account',
		/** Account-scoped key of the stranger. */
		stranger: 'sk_live_sandbox_stranger_account',
	},
	accessTokens: {
		demo: 'sandbox-access-token-demo',
		free: 'sandbox-access-token-free',
	},
	/** Campaign with 100,000 leads in the large-data mode. */
	largeCampaignId: 'cmp_large_100k',
} as const;

/** Permissions each workspace role carries. */
export const ROLE_PERMISSIONS = {
	owner: ['create_campaign', 'view_campaign', 'export_results'],
	admin: ['create_campaign', 'view_campaign', 'export_results'],
	member: ['create_campaign', 'view_campaign', 'export_results'],
	viewer: ['view_campaign'],
} as const;
