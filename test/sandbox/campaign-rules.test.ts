/** Every campaign input rule (from the shared table) answers 400 VALIDATION_ERROR naming the param. */
import { LIMITS } from '../../nodes/api/campaignRules';
import { expectError, paramsOf, PRESETS, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
	h = await startHarness();
});
afterAll(async () => h.sandbox.close());

const many = (n: number, make: (i: number) => string) =>
	Array.from({ length: n }, (_, i) => make(i));
const MAPS = { query: 'cafe', country: 'DE', lat: 52.5, lng: 13.4 };

const CASES: Array<[rule: string, body: Record<string, unknown>, param: string]> = [
	['type is required', { inputs: { hashtag: 'x' }, targetEmails: 10 }, 'type'],
	['type must be known', { type: 'MYSPACE', inputs: {}, targetEmails: 10 }, 'type'],
	['inputs is required', { type: 'INSTAGRAM_HASHTAG', targetEmails: 10 }, 'inputs'],
	[
		'hashtag or hashtags is required',
		{ type: 'INSTAGRAM_HASHTAG', inputs: {}, targetEmails: 10 },
		'inputs.hashtag',
	],
	[
		'not both hashtag and hashtags',
		{ type: 'INSTAGRAM_HASHTAG', inputs: { hashtag: 'a', hashtags: ['b'] }, targetEmails: 10 },
		'inputs.hashtags',
	],
	[
		'at most 20 hashtags',
		{
			type: 'INSTAGRAM_HASHTAG',
			inputs: { hashtags: many(21, (i) => `tag${i}`) },
			targetEmails: 10,
		},
		'inputs.hashtags',
	],
	[
		'hashtag at most 100 chars',
		{
			type: 'INSTAGRAM_HASHTAG',
			inputs: { hashtag: 'a'.repeat(LIMITS.hashtagMaxLength + 1) },
			targetEmails: 10,
		},
		'inputs.hashtag',
	],
	[
		'hashtag without #',
		{ type: 'INSTAGRAM_HASHTAG', inputs: { hashtags: ['ok', '#bad'] }, targetEmails: 10 },
		'inputs.hashtags[1]',
	],
	[
		'at most 20 target users (paid)',
		{
			type: 'INSTAGRAM_USER_FOLLOWERS',
			inputs: { targetUsers: many(21, (i) => `u${i}`) },
			targetEmails: 10,
		},
		'inputs.targetUsers',
	],
	[
		'post URLs must be URLs',
		{ type: 'INSTAGRAM_POST_LIKERS', inputs: { mediaUrls: ['not a url'] }, targetEmails: 10 },
		'inputs.mediaUrls[0]',
	],
	[
		'at most 20 post URLs (paid)',
		{
			type: 'INSTAGRAM_POST_COMMENTERS',
			inputs: { mediaUrls: many(21, (i) => `https://instagram.com/p/${i}`) },
			targetEmails: 10,
		},
		'inputs.mediaUrls',
	],
	[
		'profile list needs profileTargets',
		{ type: 'INSTAGRAM_PROFILE_LIST', inputs: {} },
		'inputs.profileTargets',
	],
	[
		'profile list at most 10000',
		{ type: 'INSTAGRAM_PROFILE_LIST', inputs: { profileTargets: many(10001, (i) => `p${i}`) } },
		'inputs.profileTargets',
	],
	[
		'profile list takes no targetEmails',
		{ type: 'INSTAGRAM_PROFILE_LIST', inputs: { profileTargets: ['a'] }, targetEmails: 10 },
		'targetEmails',
	],
	[
		'keyword or keywords is required',
		{ type: 'LINKEDIN_KEYWORD_SEARCH', inputs: {}, targetEmails: 10 },
		'inputs.keyword',
	],
	[
		'keyword at least 2 chars',
		{ type: 'TIKTOK_SEARCH_USERS', inputs: { keyword: 'a' }, targetEmails: 10 },
		'inputs.keyword',
	],
	[
		'keywords at most 200 chars each',
		{
			type: 'YOUTUBE_KEYWORD_SEARCH',
			inputs: { keywords: ['ok', 'k'.repeat(201)] },
			targetEmails: 10,
		},
		'inputs.keywords[1]',
	],
	[
		'at most 20 keywords',
		{ type: 'X_KEYWORD_SEARCH', inputs: { keywords: many(21, (i) => `kw${i}`) }, targetEmails: 10 },
		'inputs.keywords',
	],
	[
		'youtubeDiscoverySource channel or video',
		{
			type: 'YOUTUBE_CHANNEL_SEARCH',
			inputs: { keyword: 'gym', youtubeDiscoverySource: 'shorts' },
			targetEmails: 10,
		},
		'inputs.youtubeDiscoverySource',
	],
	[
		'youtubeDiscoverySource only for YouTube channel search',
		{
			type: 'YOUTUBE_KEYWORD_SEARCH',
			inputs: { keyword: 'gym', youtubeDiscoverySource: 'video' },
			targetEmails: 10,
		},
		'inputs.youtubeDiscoverySource',
	],
	[
		'maps needs query',
		{ type: 'GOOGLE_MAPS_SEARCH', inputs: { country: 'DE', lat: 1, lng: 1 }, targetEmails: 10 },
		'inputs.query',
	],
	[
		'maps needs lat',
		{
			type: 'GOOGLE_MAPS_SEARCH',
			inputs: { query: 'cafe', country: 'DE', lng: 1 },
			targetEmails: 10,
		},
		'inputs.lat',
	],
	[
		'maps needs lng',
		{
			type: 'GOOGLE_MAPS_SEARCH',
			inputs: { query: 'cafe', country: 'DE', lat: 1 },
			targetEmails: 10,
		},
		'inputs.lng',
	],
	[
		'maps needs one country',
		{ type: 'GOOGLE_MAPS_SEARCH', inputs: { query: 'cafe', lat: 1, lng: 1 }, targetEmails: 10 },
		'inputs.country',
	],
	[
		'maps exactly one country',
		{
			type: 'GOOGLE_MAPS_SEARCH',
			inputs: { query: 'cafe', countries: ['DE', 'FR'], lat: 1, lng: 1 },
			targetEmails: 10,
		},
		'inputs.country',
	],
	[
		'maps not country and countries',
		{ type: 'GOOGLE_MAPS_SEARCH', inputs: { ...MAPS, countries: ['FR'] }, targetEmails: 10 },
		'inputs.country',
	],
	[
		'maps zoom 1..21',
		{ type: 'GOOGLE_MAPS_SEARCH', inputs: { ...MAPS, zoom: 22 }, targetEmails: 10 },
		'inputs.zoom',
	],
	[
		'maps lang is backend-controlled',
		{ type: 'GOOGLE_MAPS_SEARCH', inputs: { ...MAPS, lang: 'de' }, targetEmails: 10 },
		'inputs.lang',
	],
	[
		'X followers use targetUser only',
		{ type: 'X_FOLLOWERS', inputs: { targetUsers: ['a'] }, targetEmails: 10 },
		'inputs.targetUsers',
	],
	[
		'TikTok commenters need mediaUrl',
		{ type: 'TIKTOK_POST_COMMENTERS', inputs: {}, targetEmails: 10 },
		'inputs.mediaUrl',
	],
	[
		'countries at most 10',
		{
			type: 'INSTAGRAM_HASHTAG',
			inputs: { hashtag: 'a', countries: many(11, () => 'US') },
			targetEmails: 10,
		},
		'inputs.countries',
	],
	[
		'countries not accepted by TIKTOK_SEARCH_USERS',
		{ type: 'TIKTOK_SEARCH_USERS', inputs: { keyword: 'ab', countries: ['US'] }, targetEmails: 10 },
		'inputs.countries',
	],
	[
		'followerFilter not for hashtag campaigns',
		{
			type: 'INSTAGRAM_HASHTAG',
			inputs: { hashtag: 'a', followerFilter: { min: 1 } },
			targetEmails: 10,
		},
		'inputs.followerFilter',
	],
	[
		'followerFilter min <= max',
		{
			type: 'X_FOLLOWERS',
			inputs: { targetUser: 'a', followerFilter: { min: 10, max: 5 } },
			targetEmails: 10,
		},
		'inputs.followerFilter.min',
	],
	[
		'Instagram filters not for keyword search',
		{
			type: 'INSTAGRAM_KEYWORD_SEARCH',
			inputs: { keyword: 'ab', scrapeBusinessAccountsOnly: true },
			targetEmails: 10,
		},
		'inputs.scrapeBusinessAccountsOnly',
	],
	[
		'targetEmails required for lead-target types',
		{ type: 'INSTAGRAM_HASHTAG', inputs: { hashtag: 'a' } },
		'targetEmails',
	],
	[
		'targetEmails a whole number >= 1',
		{ type: 'INSTAGRAM_HASHTAG', inputs: { hashtag: 'a' }, targetEmails: 0 },
		'targetEmails',
	],
	[
		'maxCreditCap positive',
		{ type: 'INSTAGRAM_HASHTAG', inputs: { hashtag: 'a' }, targetEmails: 10, maxCreditCap: 0 },
		'maxCreditCap',
	],
	[
		'enrichIgPosts is Instagram-only',
		{ type: 'X_FOLLOWERS', inputs: { targetUser: 'a' }, targetEmails: 10, enrichIgPosts: true },
		'enrichIgPosts',
	],
	[
		'unknown top-level field',
		{ type: 'INSTAGRAM_HASHTAG', inputs: { hashtag: 'a' }, targetEmails: 10, colour: 'red' },
		'colour',
	],
];

describe.each(['/campaigns', '/campaigns/reserve-preview'])('%s', (path) => {
	test.each(CASES)('%s', async (_rule, body, param) => {
		const result = await h.call('POST', path, { body });
		expectError(result, 400, 'VALIDATION_ERROR');
		expect(paramsOf(result)).toContain(param);
		expect(
			result.body.errors.every((e: { location: string }) =>
				['body', 'query', 'params', 'headers'].includes(e.location),
			),
		).toBe(true);
	});
});

test('title at most 100 characters on create; title is unknown to reserve-preview', async () => {
	const body = { type: 'INSTAGRAM_HASHTAG', inputs: { hashtag: 'a' }, targetEmails: 10 };
	expect(
		paramsOf(await h.call('POST', '/campaigns', { body: { ...body, title: 't'.repeat(101) } })),
	).toEqual(['title']);
	expect(
		paramsOf(await h.call('POST', '/campaigns/reserve-preview', { body: { ...body, title: 'x' } })),
	).toEqual(['title']);
});

test('free and Project Pass workspaces allow 2 user or post targets', async () => {
	const body = {
		type: 'INSTAGRAM_USER_FOLLOWERS',
		inputs: { targetUsers: ['a', 'b', 'c'] },
		targetEmails: 10,
	};
	const free = await h.call('POST', '/campaigns/reserve-preview', {
		key: PRESETS.apiKeys.free,
		body,
	});
	expect(paramsOf(free)).toEqual(['inputs.targetUsers']);
	expect(free.body.errors[0].msg).toMatch(/at most 2/);
	expect((await h.call('POST', '/campaigns/reserve-preview', { body })).status).toBe(200);
	await h.admin('PATCH', `/workspaces/${PRESETS.workspaces.team}`, { plan: 'project_pass' });
	expect(
		paramsOf(
			await h.call('POST', '/campaigns/reserve-preview', {
				workspace: PRESETS.workspaces.team,
				body,
			}),
		),
	).toEqual(['inputs.targetUsers']);
});

test('a body that is not JSON, or missing, answers 400 naming body', async () => {
	const broken = await h.call('POST', '/campaigns', {
		headers: { 'content-type': 'application/json', 'x-api-key': PRESETS.apiKeys.account },
		body: undefined,
	});
	expect(paramsOf(broken)).toContain('body');
	const response = await fetch(`${h.sandbox.apiUrl}/campaigns`, {
		method: 'POST',
		headers: { 'x-api-key': PRESETS.apiKeys.account, 'content-type': 'application/json' },
		body: '{"type":',
	});
	const json = await response.json();
	expect(response.status).toBe(400);
	expect(json).toMatchObject({
		code: 'VALIDATION_ERROR',
		errors: [{ param: 'body', location: 'body' }],
	});
});
