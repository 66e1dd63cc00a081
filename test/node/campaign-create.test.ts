/**
 * Campaign "Create" and "Preview Cost" through n8n's real engine against the sandbox: the bodies
 * users' forms turn into, the credit figures, and that every campaign input rule stops a bad item
 * before anything is sent (so no credits are reserved).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { LIMITS } from '../../nodes/api/campaignRules';
import { DEFAULT_READINGS, READING_VALUES } from '../helpers/readings';
import { PRESETS, apiKeyCredential, apiRequests, json, startTestbed, type Testbed } from './setup';

let bed: Testbed;

beforeAll(async () => {
	bed = await startTestbed();
});

afterAll(async () => {
	await bed?.close();
});

beforeEach(async () => {
	await bed.clearRequests();
});

type Operation = 'create' | 'previewCost';

function params(operation: Operation, fields: INodeParameters): INodeParameters {
	return { resource: 'campaign', operation, ...fields };
}

async function runOne(
	operation: Operation,
	fields: INodeParameters,
	credential = apiKeyCredential(bed.apiUrl),
) {
	return await bed.run(params(operation, fields), { credential });
}

/** POSTs that could reserve or estimate credits, from the sandbox's request log. */
async function campaignPosts() {
	const log = apiRequests(await bed.requests());
	return log.filter(
		(entry) =>
			entry.method === 'POST' &&
			(entry.path === '/api/campaigns' || entry.path === '/api/campaigns/reserve-preview'),
	);
}

async function accountCredits(apiKey: string = PRESETS.apiKeys.account): Promise<number> {
	const response = await fetch(`${bed.apiUrl}/auth/me`, { headers: { 'X-API-Key': apiKey } });
	const body = (await response.json()) as IDataObject;
	return body.credits as number;
}

/** Valid settings per type, typed the way users type them (prefixes, separators, text numbers). */
const VALID: Record<string, { fields: INodeParameters; inputs: IDataObject }> = {
	'hashtag list': {
		fields: {
			campaignType: 'INSTAGRAM_HASHTAG',
			hashtags: 'designsystems, #growthops',
			targetEmails: 120,
			additionalFields: { enableEmailValidation: true },
		},
		inputs: { hashtags: ['designsystems', 'growthops'] },
	},
	'single hashtag typed with #': {
		fields: { campaignType: 'INSTAGRAM_HASHTAG', hashtags: '  #designsystems ', targetEmails: 50 },
		inputs: { hashtag: 'designsystems' },
	},
	'Instagram followers typed with @': {
		fields: {
			campaignType: 'INSTAGRAM_USER_FOLLOWERS',
			targetUsers: '@natgeo\n@nasa\n',
			targetEmails: '={{ "200" }}',
			additionalFields: {
				minFollowers: 1000,
				maxFollowers: '={{ "50000" }}',
				scrapeBusinessAccountsOnly: true,
				countries: 'us, gb',
				enrichIgPosts: true,
			},
		},
		inputs: {
			targetUsers: ['natgeo', 'nasa'],
			followerFilter: { min: 1000, max: 50000 },
			scrapeBusinessAccountsOnly: true,
			countries: ['US', 'GB'],
		},
	},
	'profile list': {
		fields: {
			campaignType: 'INSTAGRAM_PROFILE_LIST',
			profileTargets: '@natgeo\nhttps://www.instagram.com/nasa/\n\n  @nike  ',
		},
		inputs: { profileTargets: ['natgeo', 'https://www.instagram.com/nasa/', 'nike'] },
	},
	'Google Maps': {
		fields: {
			campaignType: 'GOOGLE_MAPS_SEARCH',
			query: 'dentists',
			country: 'us',
			latitude: '40.7128',
			longitude: '-74.006',
			targetEmails: 80,
			additionalFields: { zoom: 14 },
		},
		inputs: { query: 'dentists', country: 'US', lat: 40.7128, lng: -74.006, zoom: 14 },
	},
	'X single user': {
		fields: {
			campaignType: 'X_FOLLOWERS',
			targetUser: '@nasa',
			targetEmails: 60,
			additionalFields: { minFollowers: 10 },
		},
		inputs: { targetUser: 'nasa', followerFilter: { min: 10 } },
	},
	'keyword search': {
		fields: {
			campaignType: 'YOUTUBE_CHANNEL_SEARCH',
			keywords: 'coffee roasters\nespresso',
			targetEmails: 90,
			additionalFields: { youtubeDiscoverySource: 'video', maxCreditCap: 400 },
		},
		inputs: { keywords: ['coffee roasters', 'espresso'], youtubeDiscoverySource: 'video' },
	},
};

describe('valid settings', () => {
	it.each(Object.keys(VALID))(
		'%s: preview and create agree on the credits, and create reserves them',
		async (name) => {
			const { fields, inputs } = VALID[name];
			const preview = json(await runOne('previewCost', fields));
			expect(preview).toHaveLength(1);
			expect(preview[0]).toMatchObject({ type: fields.campaignType });
			expect(typeof preview[0].creditReserved).toBe('number');

			const before = await accountCredits();
			const created = json(
				await runOne('create', {
					...fields,
					additionalFields: { ...(fields.additionalFields as IDataObject), title: `n8n ${name}` },
				}),
			);
			const after = await accountCredits();

			expect(created).toHaveLength(1);
			const campaign = created[0];
			expect(campaign).toMatchObject({
				type: fields.campaignType,
				title: `n8n ${name}`,
				targetMode: preview[0].targetMode,
			});
			expect(typeof campaign.id).toBe('string');
			// What the sandbox stored is what the node sent: normalised inputs, nothing more.
			expect(campaign.inputs).toEqual(inputs);
			expect(campaign.maxCreditCap).toBe(preview[0].maxCreditCap);
			expect(campaign.targetEmails).toBe(preview[0].targetEmails);
			expect(before - after).toBeCloseTo(preview[0].creditReserved as number, 2);

			const posts = await campaignPosts();
			expect(posts.map((entry) => entry.path)).toEqual([
				'/api/campaigns/reserve-preview',
				'/api/campaigns',
			]);
		},
	);

	it('sends numbers typed as text (expressions) as numbers', async () => {
		const [campaign] = json(
			await runOne('create', { ...VALID['Instagram followers typed with @'].fields }),
		);
		expect(campaign.targetEmails).toBe(200);
		expect(campaign.inputs).toMatchObject({ followerFilter: { min: 1000, max: 50000 } });
	});

	it('does not send settings of another type that are still stored in the node', async () => {
		// E.g. the user picked Instagram, filled these in, then switched to TikTok / a profile list.
		const tiktok = json(
			await runOne('create', {
				campaignType: 'TIKTOK_USER_FOLLOWERS',
				targetUser: 'khaby.lame',
				hashtags: 'stale',
				targetEmails: 40,
				additionalFields: { enrichIgPosts: true, countries: 'US', scrapePrivateAccounts: false },
			}),
		);
		expect(tiktok[0].inputs).toEqual({ targetUser: 'khaby.lame' });
		const profiles = json(
			await runOne('create', {
				campaignType: 'INSTAGRAM_PROFILE_LIST',
				profileTargets: 'natgeo',
				targetEmails: 500,
			}),
		);
		expect(profiles[0]).toMatchObject({
			targetMode: 'ITEM_LIMIT',
			targetEmails: null,
			inputs: { profileTargets: ['natgeo'] },
		});
	});
});

/** The settings of a broken item, and the field and API parameter the error must name. */
interface BrokenRule {
	rule: string;
	fields: INodeParameters;
	/** `Field (param): message` start, as the node reports it. */
	error: string;
	operations?: Operation[];
}

const long = (length: number, char = 'a') => char.repeat(length);
const hashtag = (fields: INodeParameters = {}) => ({
	campaignType: 'INSTAGRAM_HASHTAG',
	hashtags: 'design',
	targetEmails: 100,
	...fields,
});
const maps = (fields: INodeParameters = {}) => ({
	campaignType: 'GOOGLE_MAPS_SEARCH',
	query: 'dentists',
	country: 'US',
	latitude: '40.7',
	longitude: '-74',
	targetEmails: 100,
	...fields,
});
const igFollowers = (additionalFields: INodeParameters): INodeParameters => ({
	campaignType: 'INSTAGRAM_USER_FOLLOWERS',
	targetUsers: 'natgeo',
	targetEmails: 100,
	additionalFields,
});

// One case per rule of validateCampaignRequest that a user can break through the form. The rules
// the form cannot break (both single and list field, unknown or foreign fields, backend-controlled
// inputs, targetEmails on a profile list, enrichIgPosts outside Instagram, empty list entries,
// non-array lists) are made impossible by the body builder; see "valid settings" and the form test.
const BROKEN_RULES: BrokenRule[] = [
	{
		rule: 'type is required',
		fields: hashtag({ campaignType: '={{ "" }}' }),
		error: 'Campaign Type (type): Campaign type is required',
	},
	{
		rule: 'type must be known',
		fields: hashtag({ campaignType: '={{ "INSTAGRAM_REELS" }}' }),
		error: 'Campaign Type (type): Campaign type must be one of',
	},
	{
		rule: 'title at most 100 characters',
		fields: hashtag({ additionalFields: { title: long(LIMITS.titleMaxLength + 1) } }),
		error: 'Title (title): Title must be at most 100 characters',
		operations: ['create'],
	},
	{
		rule: 'targetEmails required for lead-target types',
		fields: hashtag({ targetEmails: '={{ "" }}' }),
		error: 'Target Emails (targetEmails): targetEmails is required for INSTAGRAM_HASHTAG campaigns',
	},
	{
		rule: 'targetEmails a whole number of at least 1',
		fields: hashtag({ targetEmails: 0 }),
		error: 'Target Emails (targetEmails): targetEmails must be a whole number of at least 1',
	},
	{
		rule: 'targetEmails whole',
		fields: hashtag({ targetEmails: 12.5 }),
		error: 'Target Emails (targetEmails): targetEmails must be a whole number',
	},
	{
		rule: 'maxCreditCap positive',
		fields: hashtag({ additionalFields: { maxCreditCap: 0 } }),
		error: 'Max Credit Cap (maxCreditCap): maxCreditCap must be a positive number',
	},
	{
		rule: 'enableEmailValidation boolean',
		fields: hashtag({ additionalFields: { enableEmailValidation: '={{ "yes" }}' } }),
		error: 'Validate Emails (enableEmailValidation): enableEmailValidation must be true or false',
	},
	{
		rule: 'enableDeepEmailSearch boolean',
		fields: hashtag({ additionalFields: { enableDeepEmailSearch: '={{ "maybe" }}' } }),
		error: 'Deep Email Search (enableDeepEmailSearch): enableDeepEmailSearch must be true or false',
	},
	{
		rule: 'enrichIgPosts boolean',
		fields: hashtag({ additionalFields: { enrichIgPosts: '={{ "often" }}' } }),
		error: 'Enrich Instagram Posts (enrichIgPosts): enrichIgPosts must be true or false',
	},
	{
		rule: 'target required',
		fields: hashtag({ hashtags: ' , \n' }),
		error:
			'Hashtags (inputs.hashtag): inputs.hashtag or inputs.hashtags is required for INSTAGRAM_HASHTAG campaigns',
	},
	{
		rule: 'single target required',
		fields: { campaignType: 'X_FOLLOWERS', targetUser: '@', targetEmails: 10 },
		error:
			'Target User (inputs.targetUser): inputs.targetUser is required for X_FOLLOWERS campaigns',
	},
	{
		rule: 'hashtag at most 100 characters',
		fields: hashtag({ hashtags: `a, b, c, ${long(101, 'h')}` }),
		error: 'Hashtags (inputs.hashtags[3]): Hashtag must be at most 100 characters',
	},
	{
		rule: 'hashtag without # prefix',
		fields: hashtag({ hashtags: '##design' }),
		error: 'Hashtags (inputs.hashtag): Omit the # prefix from hashtags',
	},
	{
		rule: 'at most 20 list entries',
		fields: hashtag({ hashtags: Array.from({ length: 21 }, (_, i) => `tag${i}`).join(',') }),
		error: 'Hashtags (inputs.hashtags): inputs.hashtags accepts at most 20 values; got 21',
	},
	{
		rule: 'handle at most 100 characters',
		fields: { campaignType: 'TIKTOK_USER_FOLLOWING', targetUser: long(101), targetEmails: 10 },
		error: 'Target User (inputs.targetUser): Target user must be at most 100 characters',
	},
	{
		rule: 'target users at most 100 characters each',
		fields: {
			campaignType: 'INSTAGRAM_USER_FOLLOWING',
			targetUsers: `ok\n${long(101)}`,
			targetEmails: 10,
		},
		error: 'Target Users (inputs.targetUsers[1]): Target user must be at most 100 characters',
	},
	{
		rule: 'post URL must be http(s)',
		fields: { campaignType: 'X_RETWEETS', mediaUrl: 'x.com/nasa/status/1', targetEmails: 10 },
		error: 'Post URL (inputs.mediaUrl): Post URL must be an http(s) URL',
	},
	{
		rule: 'post URLs must be http(s)',
		fields: {
			campaignType: 'INSTAGRAM_POST_LIKERS',
			mediaUrls: 'https://www.instagram.com/p/A1/\nftp://example.com/p',
			targetEmails: 10,
		},
		error: 'Post URLs (inputs.mediaUrls[1]): Post URL must be an http(s) URL',
	},
	{
		rule: 'post URL at most 2048 characters',
		fields: {
			campaignType: 'TIKTOK_POST_COMMENTERS',
			mediaUrl: `https://tiktok.com/${long(2040)}`,
			targetEmails: 10,
		},
		error: 'Post URL (inputs.mediaUrl): Post URL must be at most 2048 characters',
	},
	{
		rule: 'keyword at least 2 characters',
		fields: { campaignType: 'LINKEDIN_KEYWORD_SEARCH', keywords: 'a', targetEmails: 10 },
		error: 'Keywords (inputs.keyword): Keyword must be at least 2 characters',
	},
	{
		rule: 'keyword at most 200 characters',
		fields: {
			campaignType: 'FACEBOOK_KEYWORD_SEARCH',
			keywords: `bakeries\n${long(201)}`,
			targetEmails: 10,
		},
		error: 'Keywords (inputs.keywords[1]): Keyword must be at most 200 characters',
	},
	{
		rule: 'profile list at most 10,000 entries',
		fields: {
			campaignType: 'INSTAGRAM_PROFILE_LIST',
			profileTargets: Array.from(
				{ length: LIMITS.profileTargetsMax + 1 },
				(_, i) => `user${i}`,
			).join('\n'),
		},
		error:
			'Profile Targets (inputs.profileTargets): inputs.profileTargets accepts at most 10000 values; got 10001',
	},
	{
		rule: 'Maps query at most 200 characters',
		fields: maps({ query: long(201) }),
		error: 'Query (inputs.query): Query must be at most 200 characters',
	},
	{
		rule: 'at most 10 countries',
		fields: hashtag({ additionalFields: { countries: 'US,GB,DE,FR,IT,ES,NL,BE,AT,CH,PL' } }),
		error: 'Countries (inputs.countries): inputs.countries accepts at most 10 values',
	},
	{
		rule: 'Maps country at most 2 characters',
		fields: maps({ country: 'USA' }),
		error: 'Country (inputs.country): inputs.country must be at most 2 characters',
	},
	{
		rule: 'Maps needs a country',
		fields: maps({ country: '' }),
		error: 'Country (inputs.country): GOOGLE_MAPS_SEARCH needs exactly one country value',
	},
	{
		rule: 'Maps takes exactly one country',
		fields: maps({ country: 'US, CA' }),
		error: 'Country (inputs.country): GOOGLE_MAPS_SEARCH needs exactly one country value',
	},
	{
		rule: 'min followers a whole number of at least 0',
		fields: igFollowers({ minFollowers: -1 }),
		error:
			'Min Followers (inputs.followerFilter.min): Minimum followers must be a whole number of at least 0',
	},
	{
		rule: 'max followers a whole number',
		fields: igFollowers({ maxFollowers: 10.5 }),
		error:
			'Max Followers (inputs.followerFilter.max): Maximum followers must be a whole number of at least 0',
	},
	{
		rule: 'min followers not above max',
		fields: igFollowers({ minFollowers: 5000, maxFollowers: 100 }),
		error:
			'Min Followers (inputs.followerFilter.min): Minimum followers must not be greater than maximum followers',
	},
	{
		rule: 'Instagram business filter boolean',
		fields: igFollowers({ scrapeBusinessAccountsOnly: '={{ "sometimes" }}' }),
		error:
			'Business Accounts Only (inputs.scrapeBusinessAccountsOnly): inputs.scrapeBusinessAccountsOnly must be true or false',
	},
	{
		rule: 'Instagram private filter boolean',
		fields: igFollowers({ scrapePrivateAccounts: '={{ "some" }}' }),
		error:
			'Include Private Accounts (inputs.scrapePrivateAccounts): inputs.scrapePrivateAccounts must be true or false',
	},
	{
		rule: 'YouTube discovery source channel or video',
		fields: {
			campaignType: 'YOUTUBE_CHANNEL_SEARCH',
			keywords: 'coffee',
			targetEmails: 10,
			additionalFields: { youtubeDiscoverySource: '={{ "playlist" }}' },
		},
		error:
			'YouTube Discovery Source (inputs.youtubeDiscoverySource): inputs.youtubeDiscoverySource must be "channel" or "video"',
	},
	{
		rule: 'Maps latitude required',
		fields: maps({ latitude: '' }),
		error: 'Latitude (inputs.lat): inputs.lat is required for GOOGLE_MAPS_SEARCH campaigns',
	},
	{
		rule: 'Maps longitude required',
		fields: maps({ longitude: ' ' }),
		error: 'Longitude (inputs.lng): inputs.lng is required for GOOGLE_MAPS_SEARCH campaigns',
	},
	{
		rule: 'Maps longitude a number',
		fields: maps({ longitude: 'east' }),
		error: 'Longitude (inputs.lng): inputs.lng must be a number',
	},
	{
		rule: 'Maps zoom 1 to 21',
		fields: maps({ additionalFields: { zoom: 22 } }),
		error: 'Zoom (inputs.zoom): inputs.zoom must be a whole number from 1 to 21',
	},
	{
		rule: 'Maps zoom whole',
		fields: maps({ additionalFields: { zoom: 3.5 } }),
		error: 'Zoom (inputs.zoom): inputs.zoom must be a whole number from 1 to 21',
	},
];

describe('a broken campaign input rule', () => {
	const cases = BROKEN_RULES.flatMap((entry) =>
		(entry.operations ?? (['previewCost', 'create'] as Operation[])).map((operation) => ({
			...entry,
			operation,
		})),
	);

	it.each(cases)(
		'$operation: $rule → error naming the field, nothing sent',
		async ({ operation, fields, error }) => {
			const before = await accountCredits();
			const result = await runOne(operation, fields);
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error?.message).toContain(error);
			expect(result.error?.description).toContain('no credits were reserved');
			expect(await campaignPosts()).toEqual([]);
			expect(await accountCredits()).toBe(before);
		},
	);
});

/**
 * "Paid workspaces support up to 20 targets; free and Project Pass workspaces support up to 2."
 * (reference, POST /campaigns). The limit belongs to the workspace, which the node cannot see, so
 * the node never refuses 3 targets from the account's plan: it sends them and the API judges, under
 * either reading of whose plan counts (sandbox reading planLimitsFrom).
 */
describe.each(READING_VALUES.planLimitsFrom)(
	'the plan limit, with plan limits taken from the %s',
	(planLimitsFrom) => {
		const freeCredential = () => apiKeyCredential(bed.apiUrl, PRESETS.apiKeys.free);
		beforeAll(async () => await bed.admin('PATCH', '/readings', { planLimitsFrom }));
		afterAll(async () => {
			await bed.admin('PATCH', '/readings', DEFAULT_READINGS);
			await bed.admin('PATCH', `/accounts/${PRESETS.accounts.demo.id}`, {
				planId: 'growth_monthly',
			});
		});

		it.each([
			['INSTAGRAM_USER_FOLLOWERS', { targetUsers: 'natgeo, nasa, nike' }, 'inputs.targetUsers'],
			[
				'INSTAGRAM_POST_COMMENTERS',
				{
					mediaUrls:
						'https://www.instagram.com/p/A1/\nhttps://www.instagram.com/p/B2/\nhttps://www.instagram.com/p/C3/',
				},
				'inputs.mediaUrls',
			],
		])(
			'3 %s targets from the free account in its free workspace: sent, refused by the API naming the field, nothing reserved',
			async (campaignType, target, param) => {
				const before = await accountCredits(PRESETS.apiKeys.free);
				for (const operation of ['previewCost', 'create'] as const) {
					await bed.clearRequests();
					const result = await runOne(
						operation,
						{ campaignType, ...target, targetEmails: 10 },
						freeCredential(),
					);
					expect(result.error?.name).toBe('NodeApiError');
					expect((result.error as { httpCode?: string }).httpCode).toBe('400');
					expect(`${result.error?.message}\n${result.error?.description}`).toContain(param);
					const log = apiRequests(await bed.requests());
					expect(log.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
						`POST /api/campaigns${operation === 'create' ? '' : '/reserve-preview'} 400`,
					]);
				}
				expect(await accountCredits(PRESETS.apiKeys.free)).toBe(before);
			},
		);

		it('2 targets from the free account pass', async () => {
			const [preview] = json(
				await runOne(
					'previewCost',
					{
						campaignType: 'INSTAGRAM_USER_FOLLOWERS',
						targetUsers: '@natgeo, @nasa',
						targetEmails: 10,
					},
					freeCredential(),
				),
			);
			expect(preview.type).toBe('INSTAGRAM_USER_FOLLOWERS');
			const log = apiRequests(await bed.requests());
			expect(log.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
				'POST /api/campaigns/reserve-preview',
			]);
		});

		it('a paid account in its paid workspace uses 3 targets', async () => {
			const [preview] = json(
				await runOne('previewCost', {
					campaignType: 'INSTAGRAM_USER_FOLLOWERS',
					targetUsers: 'natgeo, nasa, nike',
					targetEmails: 10,
				}),
			);
			expect(preview.type).toBe('INSTAGRAM_USER_FOLLOWERS');
			const log = apiRequests(await bed.requests());
			expect(log.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
				'POST /api/campaigns/reserve-preview',
			]);
		});

		it('an account on a free plan in a paid workspace is not refused locally: the API answers', async () => {
			await bed.admin('PATCH', `/accounts/${PRESETS.accounts.demo.id}`, { planId: 'free' });
			await bed.clearRequests();
			const result = await runOne('previewCost', {
				campaignType: 'INSTAGRAM_USER_FOLLOWERS',
				targetUsers: 'natgeo, nasa, nike',
				targetEmails: 10,
			});
			const log = apiRequests(await bed.requests());
			expect(log.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
				'POST /api/campaigns/reserve-preview',
			]);
			if (planLimitsFrom === 'workspace')
				expect(json(result)[0].type).toBe('INSTAGRAM_USER_FOLLOWERS');
			else {
				expect(result.error?.name).toBe('NodeApiError');
				expect(log[0].status).toBe(400);
			}
		});
	},
);

describe('Continue On Fail', () => {
	it('turns a bad item into an error item paired with it, while the good items are created', async () => {
		const result = await bed.run(
			params('create', {
				campaignType: 'INSTAGRAM_HASHTAG',
				hashtags: '={{ $json.tag }}',
				targetEmails: 25,
			}),
			{
				items: [
					{ json: { tag: '#design' } },
					{ json: { tag: long(101, 'x') } },
					{ json: { tag: 'growth, ops' } },
				],
				continueOnFail: true,
			},
		);
		expect(result.error).toBeUndefined();
		const output = result.outputs[0];
		expect(output).toHaveLength(3);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toMatchObject({
			type: 'INSTAGRAM_HASHTAG',
			inputs: { hashtag: 'design' },
		});
		expect(output[1].json.error).toContain(
			'Hashtags (inputs.hashtag): Hashtag must be at most 100 characters',
		);
		expect(output[1].json).not.toHaveProperty('id');
		expect(output[2].json).toMatchObject({ inputs: { hashtags: ['growth', 'ops'] } });
		expect((await campaignPosts()).map((entry) => entry.path)).toEqual([
			'/api/campaigns',
			'/api/campaigns',
		]);
	});

	it('without Continue On Fail, checks every item first: one bad item stops the run before anything is sent', async () => {
		const before = await accountCredits();
		const result = await bed.run(
			params('create', {
				campaignType: 'INSTAGRAM_HASHTAG',
				hashtags: '={{ $json.tag }}',
				targetEmails: 25,
			}),
			{ items: [{ json: { tag: 'design' } }, { json: { tag: '' } }, { json: { tag: 'growth' } }] },
		);
		expect(result.error?.message).toContain(
			'Hashtags (inputs.hashtag): inputs.hashtag or inputs.hashtags is required',
		);
		expect(result.error?.description).toContain(
			'Nothing that reserves credits was sent to Scravio in this execution, so no credits were reserved.',
		);
		expect(await campaignPosts()).toEqual([]);
		expect(await accountCredits()).toBe(before);
	});
});
