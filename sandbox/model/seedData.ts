/**
 * The sandbox's starting data beyond presets.ts: workspace names and plans, memberships, plans of
 * the accounts, and a few finished sample campaigns per workspace (and the large-data workspace).
 */
import {
	CAMPAIGN_TYPES,
	type CampaignType,
	type WorkspacePlan,
} from '../../nodes/api/campaignRules';
import type { CampaignRecord } from './campaignModel';
import { PRESETS } from './presets';

export type Role = 'owner' | 'admin' | 'member' | 'viewer';

export interface AccountSeed {
	id: string;
	email: string;
	name: string | null;
	credits: number;
	shouldMaskEmail: boolean;
	emailRevealUsage: { used: number; limit: number };
	subscription: { planId: string | null; status: string | null; concurrentCampaignLimit: number };
	defaultWorkspaceId: string;
}

export const ACCOUNT_SEEDS: AccountSeed[] = [
	{
		...PRESETS.accounts.demo,
		shouldMaskEmail: false,
		emailRevealUsage: { used: 12, limit: 1000 },
		subscription: { planId: 'growth_monthly', status: 'active', concurrentCampaignLimit: 20 },
		defaultWorkspaceId: PRESETS.workspaces.main,
	},
	{
		...PRESETS.accounts.free,
		shouldMaskEmail: true,
		emailRevealUsage: { used: 3, limit: 10 },
		subscription: { planId: 'free', status: 'active', concurrentCampaignLimit: 1 },
		defaultWorkspaceId: PRESETS.workspaces.free,
	},
	{
		...PRESETS.accounts.stranger,
		shouldMaskEmail: false,
		emailRevealUsage: { used: 0, limit: 500 },
		subscription: { planId: 'starter_monthly', status: 'active', concurrentCampaignLimit: 5 },
		defaultWorkspaceId: PRESETS.workspaces.other,
	},
];

export interface WorkspaceSeed {
	id: string;
	name: string;
	plan: WorkspacePlan;
	seatLimit: number;
	/** Seats taken by people who are not sandbox accounts. */
	otherSeats: number;
	members: Array<[accountId: string, role: Role]>;
	largeDataOnly?: boolean;
}

const { demo, free, stranger } = PRESETS.accounts;
const W = PRESETS.workspaces;

export const WORKSPACE_SEEDS: WorkspaceSeed[] = [
	{
		id: W.main,
		name: 'Demo Workspace',
		plan: 'paid',
		seatLimit: 10,
		otherSeats: 0,
		members: [[demo.id, 'owner']],
	},
	{
		id: W.team,
		name: 'Growth Team',
		plan: 'paid',
		seatLimit: 10,
		otherSeats: 3,
		members: [[demo.id, 'admin']],
	},
	{
		id: W.member,
		name: 'Partner Agency',
		plan: 'paid',
		seatLimit: 5,
		otherSeats: 2,
		members: [[demo.id, 'member']],
	},
	{
		id: W.viewer,
		name: 'Client Reports',
		plan: 'paid',
		seatLimit: 5,
		otherSeats: 1,
		members: [[demo.id, 'viewer']],
	},
	{
		id: W.free,
		name: 'Free Workspace',
		plan: 'free',
		seatLimit: 1,
		otherSeats: 0,
		members: [[free.id, 'owner']],
	},
	{
		id: W.other,
		name: 'Stranger Co',
		plan: 'paid',
		seatLimit: 5,
		otherSeats: 0,
		members: [[stranger.id, 'owner']],
	},
	{
		id: W.large,
		name: 'Large Data',
		plan: 'paid',
		seatLimit: 25,
		otherSeats: 9,
		members: [[demo.id, 'owner']],
		largeDataOnly: true,
	},
];

/** Extra credentials (not in presets.ts) for tests of rules presets do not cover. */
export const EXTRA_API_KEYS: Array<{ key: string; accountId: string; workspaceId: string | null }> =
	[
		/** Demo key bound to ws_viewer (role viewer): permission tests with a key. */
		{ key: 'sk_live_sandbox_demo_viewer', accountId: demo.id, workspaceId: W.viewer },
	];
export const EXTRA_ACCESS_TOKENS: Array<{ token: string; accountId: string }> = [
	{ token: 'sandbox-access-token-stranger', accountId: stranger.id },
];

export interface SampleCampaignSeed
	extends
		Pick<
			CampaignRecord,
			'id' | 'workspaceId' | 'accountId' | 'title' | 'type' | 'inputs' | 'targetEmails'
		>,
		Partial<Pick<CampaignRecord, 'enableEmailValidation' | 'enableDeepEmailSearch'>> {
	daysAgo: number;
	outcome: 'fully_completed' | 'stopped' | 'failed';
}

export const SAMPLE_CAMPAIGNS: SampleCampaignSeed[] = [
	{
		id: 'cmp_demo_hashtag',
		workspaceId: W.main,
		accountId: demo.id,
		title: 'Sample: design hashtags',
		type: 'INSTAGRAM_HASHTAG',
		inputs: { hashtags: ['designsystems', 'growthops'] },
		targetEmails: 150,
		enableDeepEmailSearch: true,
		daysAgo: 3,
		outcome: 'fully_completed',
	},
	{
		id: 'cmp_demo_maps',
		workspaceId: W.main,
		accountId: demo.id,
		title: 'Sample: cafés in Berlin',
		type: 'GOOGLE_MAPS_SEARCH',
		inputs: { query: 'cafe', country: 'DE', lat: 52.52, lng: 13.405, zoom: 13 },
		targetEmails: 120,
		enableEmailValidation: true,
		daysAgo: 5,
		outcome: 'fully_completed',
	},
	{
		id: 'cmp_demo_youtube',
		workspaceId: W.main,
		accountId: demo.id,
		title: 'Sample: YouTube fitness channels',
		type: 'YOUTUBE_CHANNEL_SEARCH',
		inputs: { keywords: ['home workout', 'mobility'], youtubeDiscoverySource: 'channel' },
		targetEmails: 300,
		daysAgo: 8,
		outcome: 'stopped',
	},
	{
		id: 'cmp_demo_tiktok',
		workspaceId: W.main,
		accountId: demo.id,
		title: 'Sample: TikTok followers (failed)',
		type: 'TIKTOK_USER_FOLLOWERS',
		inputs: { targetUser: 'coffeecreator' },
		targetEmails: 100,
		daysAgo: 10,
		outcome: 'failed',
	},
	{
		id: 'cmp_team_linkedin',
		workspaceId: W.team,
		accountId: demo.id,
		title: 'Sample: LinkedIn founders',
		type: 'LINKEDIN_KEYWORD_SEARCH',
		inputs: { keyword: 'saas founder', countries: ['US', 'GB'] },
		targetEmails: 80,
		daysAgo: 2,
		outcome: 'fully_completed',
	},
	{
		id: 'cmp_member_x',
		workspaceId: W.member,
		accountId: demo.id,
		title: 'Sample: X followers',
		type: 'X_FOLLOWERS',
		inputs: { targetUser: 'designweekly' },
		targetEmails: 60,
		daysAgo: 4,
		outcome: 'fully_completed',
	},
	{
		id: 'cmp_viewer_facebook',
		workspaceId: W.viewer,
		accountId: demo.id,
		title: 'Sample: Facebook bakeries',
		type: 'FACEBOOK_KEYWORD_SEARCH',
		inputs: { keyword: 'bakery' },
		targetEmails: 50,
		daysAgo: 6,
		outcome: 'fully_completed',
	},
	{
		id: 'cmp_free_hashtag',
		workspaceId: W.free,
		accountId: free.id,
		title: 'Sample: coffee hashtag',
		type: 'INSTAGRAM_HASHTAG',
		inputs: { hashtag: 'coffee' },
		targetEmails: 40,
		daysAgo: 1,
		outcome: 'fully_completed',
	},
	{
		id: 'cmp_other_hashtag',
		workspaceId: W.other,
		accountId: stranger.id,
		title: 'Stranger: private campaign',
		type: 'INSTAGRAM_HASHTAG',
		inputs: { hashtag: 'secret' },
		targetEmails: 70,
		daysAgo: 2,
		outcome: 'fully_completed',
	},
];

/** Minimal valid inputs of a type, for the large-data workspace. */
export function sampleInputsFor(type: CampaignType, n: number): Record<string, unknown> {
	const word = ['design', 'coffee', 'fitness', 'travel', 'saas', 'yoga'][n % 6];
	switch (type) {
		case 'INSTAGRAM_HASHTAG':
			return { hashtag: `${word}${n % 50}` };
		case 'INSTAGRAM_USER_FOLLOWERS':
		case 'INSTAGRAM_USER_FOLLOWING':
		case 'TIKTOK_USER_FOLLOWERS':
		case 'TIKTOK_USER_FOLLOWING':
		case 'X_FOLLOWERS':
		case 'X_FOLLOWING':
			return { targetUser: `${word}_creator${n % 97}` };
		case 'INSTAGRAM_POST_LIKERS':
		case 'INSTAGRAM_POST_COMMENTERS':
			return { mediaUrl: `https://www.instagram.com/p/Sandbox${n}/` };
		case 'TIKTOK_POST_COMMENTERS':
			return { mediaUrl: `https://www.tiktok.com/@${word}/video/${1000 + n}` };
		case 'X_RETWEETS':
		case 'X_REPLIERS':
			return { mediaUrl: `https://x.com/${word}/status/${1000 + n}` };
		case 'INSTAGRAM_PROFILE_LIST':
			return {
				profileTargets: Array.from({ length: 20 + (n % 80) }, (_, i) => `${word}_profile${i}`),
			};
		case 'GOOGLE_MAPS_SEARCH':
			return { query: `${word} shop`, country: 'US', lat: 40.7128, lng: -74.006, zoom: 12 };
		default:
			return { keyword: `${word} ${n % 20}` };
	}
}

export const ALL_TYPES = CAMPAIGN_TYPES;
