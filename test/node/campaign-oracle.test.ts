/**
 * An oracle for the campaign input rules that does NOT come from nodes/api/campaignRules.ts
 * (the node and the sandbox share that table, so a misreading there would pass every other test).
 * Each case below is written from one sentence of the API reference (POST /campaigns, "Campaign
 * input rules" and the request body table), cites it (line of scravio-api-reference.txt + quote)
 * and runs the node through n8n's engine against the sandbox:
 *  - `local`:    the reference states the limit and the value breaks it: the node refuses it
 *                before sending anything, naming the API field;
 *  - `accepted`: the value is within what the reference states: the node sends it and the
 *                sandbox accepts it;
 *  - `api`:      the reference states no such limit: the node must not refuse locally; it sends the
 *                request and the API judges (whatever the answer, it came from the API).
 * Nothing here imports the rules table or its LIMITS; numbers are typed from the reference.
 */
import { existsSync, readFileSync } from 'fs';
import type { INodeParameters } from 'n8n-workflow';

import { apiRequests, startTestbed, type Testbed } from './setup';

let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed({ clockSpeed: 0 });
});
afterAll(async () => await bed.close());
beforeEach(async () => await bed.clearRequests());

interface Case {
	/** Line of /work/shared/scravio-api-reference.txt and words quoted from it. */
	line: number;
	quote: string;
	what: string;
	fields: INodeParameters;
	expect: 'local' | 'accepted' | 'api';
	/** The API field the refusal names (`local`). */
	param?: string;
	operation?: 'previewCost' | 'create';
}

const x = (n: number, c = 'a') => c.repeat(n);
const list = (n: number, prefix: string) =>
	Array.from({ length: n }, (_, i) => `${prefix}${i}`).join('\n');
const maps = (fields: INodeParameters = {}): INodeParameters => ({
	campaignType: 'GOOGLE_MAPS_SEARCH',
	query: 'dentists',
	country: 'US',
	latitude: '40.7',
	longitude: '-74',
	targetEmails: 10,
	...fields,
});
const RULES = 405; // POST /campaigns: "Campaign input rules: ..."

const CASES: Case[] = [
	// "INSTAGRAM_HASHTAG accepts inputs.hashtag or inputs.hashtags (max 20)."
	{
		line: RULES,
		quote: 'INSTAGRAM_HASHTAG accepts inputs.hashtag or inputs.hashtags (max 20)',
		what: '20 hashtags',
		fields: { campaignType: 'INSTAGRAM_HASHTAG', hashtags: list(20, 'tag'), targetEmails: 10 },
		expect: 'accepted',
	},
	{
		line: RULES,
		quote: 'INSTAGRAM_HASHTAG accepts inputs.hashtag or inputs.hashtags (max 20)',
		what: '21 hashtags',
		fields: { campaignType: 'INSTAGRAM_HASHTAG', hashtags: list(21, 'tag'), targetEmails: 10 },
		expect: 'local',
		param: 'inputs.hashtags',
	},
	{
		line: 421,
		quote: 'Single hashtag for INSTAGRAM_HASHTAG campaigns. Omit the # prefix.(max 100 chars)',
		what: 'a 100-character hashtag',
		fields: { campaignType: 'INSTAGRAM_HASHTAG', hashtags: x(100), targetEmails: 10 },
		expect: 'accepted',
	},
	{
		line: 421,
		quote: 'Single hashtag for INSTAGRAM_HASHTAG campaigns. Omit the # prefix.(max 100 chars)',
		what: 'a 101-character hashtag',
		fields: { campaignType: 'INSTAGRAM_HASHTAG', hashtags: x(101), targetEmails: 10 },
		expect: 'local',
		param: 'inputs.hashtag',
	},
	// "Paid workspaces support up to 20 targets; free and Project Pass workspaces support up to 2."
	{
		line: RULES,
		quote: 'Paid workspaces support up to 20 targets',
		what: '20 target users in a paid workspace',
		fields: {
			campaignType: 'INSTAGRAM_USER_FOLLOWERS',
			targetUsers: list(20, 'user'),
			targetEmails: 10,
		},
		expect: 'accepted',
	},
	{
		line: 427,
		quote: 'Multiple profile handles for supported Instagram user campaigns.(max 20 items)',
		what: '21 target users',
		fields: {
			campaignType: 'INSTAGRAM_USER_FOLLOWERS',
			targetUsers: list(21, 'user'),
			targetEmails: 10,
		},
		expect: 'local',
		param: 'inputs.targetUsers',
	},
	{
		line: 431,
		quote: 'Multiple public post URLs for supported Instagram post campaigns.(max 20 items)',
		what: '21 post URLs',
		fields: {
			campaignType: 'INSTAGRAM_POST_LIKERS',
			mediaUrls: list(21, 'https://www.instagram.com/p/'),
			targetEmails: 10,
		},
		expect: 'local',
		param: 'inputs.mediaUrls',
	},
	{
		line: 425,
		quote: 'Single profile handle for user-based campaigns.(max 100 chars)',
		what: 'a 101-character handle',
		fields: { campaignType: 'X_FOLLOWERS', targetUser: x(101), targetEmails: 10 },
		expect: 'local',
		param: 'inputs.targetUser',
	},
	{
		line: 429,
		quote: 'Single public post URL for post-based campaigns.(max 2048 chars)',
		what: 'a 2049-character post URL',
		fields: {
			campaignType: 'X_RETWEETS',
			mediaUrl: `https://x.com/${x(2049 - 14)}`,
			targetEmails: 10,
		},
		expect: 'local',
		param: 'inputs.mediaUrl',
	},
	{
		line: 429,
		quote: 'Single public post URL for post-based campaigns.(max 2048 chars)',
		what: 'a 2048-character post URL',
		fields: {
			campaignType: 'X_RETWEETS',
			mediaUrl: `https://x.com/${x(2048 - 14)}`,
			targetEmails: 10,
		},
		expect: 'accepted',
	},
	// "INSTAGRAM_PROFILE_LIST accepts inputs.profileTargets (max 10000) and does not use targetEmails."
	{
		line: RULES,
		quote: 'INSTAGRAM_PROFILE_LIST accepts inputs.profileTargets (max 10000)',
		what: '10,001 profile targets',
		fields: { campaignType: 'INSTAGRAM_PROFILE_LIST', profileTargets: list(10001, 'p') },
		expect: 'local',
		param: 'inputs.profileTargets',
	},
	{
		line: RULES,
		quote:
			'INSTAGRAM_PROFILE_LIST accepts inputs.profileTargets (max 10000) and does not use targetEmails',
		what: 'a profile list without target emails',
		fields: { campaignType: 'INSTAGRAM_PROFILE_LIST', profileTargets: 'natgeo\nnasa' },
		expect: 'accepted',
	},
	{
		line: 433,
		quote: 'Profile handles or URLs for INSTAGRAM_PROFILE_LIST campaigns.(max 10000 items)',
		what: 'a 2,049-character profile target (no length stated)',
		fields: {
			campaignType: 'INSTAGRAM_PROFILE_LIST',
			profileTargets: `natgeo\nhttps://www.instagram.com/${x(2049 - 26)}`,
		},
		expect: 'api',
	},
	// "Keyword search types, TIKTOK_SEARCH_USERS, and YOUTUBE_CHANNEL_SEARCH accept inputs.keyword or inputs.keywords (max 20, 2-200 characters each)."
	{
		line: RULES,
		quote: 'accept inputs.keyword or inputs.keywords (max 20, 2-200 characters each)',
		what: 'a 1-character keyword',
		fields: { campaignType: 'TIKTOK_SEARCH_USERS', keywords: 'a', targetEmails: 10 },
		expect: 'local',
		param: 'inputs.keyword',
	},
	{
		line: RULES,
		quote: 'accept inputs.keyword or inputs.keywords (max 20, 2-200 characters each)',
		what: 'keywords of 2 and 200 characters',
		fields: { campaignType: 'YOUTUBE_CHANNEL_SEARCH', keywords: `ab\n${x(200)}`, targetEmails: 10 },
		expect: 'accepted',
	},
	{
		line: RULES,
		quote: 'accept inputs.keyword or inputs.keywords (max 20, 2-200 characters each)',
		what: 'a 201-character keyword',
		fields: {
			campaignType: 'LINKEDIN_KEYWORD_SEARCH',
			keywords: `coffee\n${x(201)}`,
			targetEmails: 10,
		},
		expect: 'local',
		param: 'inputs.keywords[1]',
	},
	{
		line: RULES,
		quote: 'accept inputs.keyword or inputs.keywords (max 20, 2-200 characters each)',
		what: '21 keywords',
		fields: { campaignType: 'X_KEYWORD_SEARCH', keywords: list(21, 'kw'), targetEmails: 10 },
		expect: 'local',
		param: 'inputs.keywords',
	},
	// "GOOGLE_MAPS_SEARCH requires inputs.query, one country or countries value, lat, lng, and optional zoom from 1 to 21."
	{
		line: RULES,
		quote:
			'GOOGLE_MAPS_SEARCH requires inputs.query, one country or countries value, lat, lng, and optional zoom from 1 to 21',
		what: 'a complete Maps search with zoom 21',
		fields: maps({ additionalFields: { zoom: 21 } }),
		expect: 'accepted',
	},
	{
		line: RULES,
		quote: 'GOOGLE_MAPS_SEARCH requires inputs.query',
		what: 'a Maps search without query',
		fields: maps({ query: '' }),
		expect: 'local',
		param: 'inputs.query',
	},
	{
		line: RULES,
		quote: 'optional zoom from 1 to 21',
		what: 'zoom 22',
		fields: maps({ additionalFields: { zoom: 22 } }),
		expect: 'local',
		param: 'inputs.zoom',
	},
	{
		line: RULES,
		quote: 'one country or countries value, lat, lng',
		what: 'no latitude',
		fields: maps({ latitude: '' }),
		expect: 'local',
		param: 'inputs.lat',
	},
	{
		line: 444,
		quote: 'Send exactly one country or countries value.(max 2 chars)',
		what: 'two countries',
		fields: maps({ country: 'US, CA' }),
		expect: 'local',
		param: 'inputs.country',
	},
	{
		line: 444,
		quote:
			'Country code for GOOGLE_MAPS_SEARCH. Send exactly one country or countries value.(max 2 chars)',
		what: 'a 3-character country',
		fields: maps({ country: 'USA' }),
		expect: 'local',
		param: 'inputs.country',
	},
	{
		line: 444,
		quote:
			'Country code for GOOGLE_MAPS_SEARCH. Send exactly one country or countries value.(max 2 chars)',
		what: 'a 2-character country that is not two letters (format not stated)',
		fields: maps({ country: 'U1' }),
		expect: 'api',
	},
	{
		line: 448,
		quote: 'numberLatitude for GOOGLE_MAPS_SEARCH.',
		what: 'latitude 95 (no range stated)',
		fields: maps({ latitude: '95' }),
		expect: 'api',
	},
	{
		line: 450,
		quote: 'numberLongitude for GOOGLE_MAPS_SEARCH.',
		what: 'longitude -200 (no range stated)',
		fields: maps({ longitude: '-200' }),
		expect: 'api',
	},
	{
		line: 446,
		quote:
			'Optional country filters. For GOOGLE_MAPS_SEARCH, send exactly one value.(max 10 items)',
		what: '11 country filters',
		fields: {
			campaignType: 'X_KEYWORD_SEARCH',
			keywords: 'rockets',
			targetEmails: 10,
			additionalFields: { countries: 'US,GB,DE,FR,IT,ES,NL,BE,AT,CH,PL' },
		},
		expect: 'local',
		param: 'inputs.countries',
	},
	{
		line: 446,
		quote:
			'Optional country filters. For GOOGLE_MAPS_SEARCH, send exactly one value.(max 10 items)',
		what: 'a 3-letter country filter (no format stated)',
		fields: {
			campaignType: 'X_KEYWORD_SEARCH',
			keywords: 'rockets',
			targetEmails: 10,
			additionalFields: { countries: 'US, USA' },
		},
		expect: 'api',
	},
	// "targetEmails is required for new lead-target campaigns except INSTAGRAM_PROFILE_LIST."
	{
		line: RULES,
		quote: 'targetEmails is required for new lead-target campaigns except INSTAGRAM_PROFILE_LIST',
		what: 'a hashtag campaign without target emails',
		fields: { campaignType: 'INSTAGRAM_HASHTAG', hashtags: 'design', targetEmails: '={{ "" }}' },
		expect: 'local',
		param: 'targetEmails',
	},
	// "maxCreditCap is optional and must be positive when provided."
	{
		line: RULES,
		quote: 'maxCreditCap is optional and must be positive when provided',
		what: 'a credit cap of 0',
		fields: {
			campaignType: 'INSTAGRAM_HASHTAG',
			hashtags: 'design',
			targetEmails: 10,
			additionalFields: { maxCreditCap: 0 },
		},
		expect: 'local',
		param: 'maxCreditCap',
	},
	{
		line: RULES,
		quote: 'maxCreditCap is optional and must be positive when provided',
		what: 'a credit cap of 5',
		fields: {
			campaignType: 'INSTAGRAM_HASHTAG',
			hashtags: 'design',
			targetEmails: 10,
			additionalFields: { maxCreditCap: 5 },
		},
		expect: 'accepted',
	},
	// Title: "Human-readable campaign name. Auto-generated if omitted.(max 100 chars)" (create only).
	{
		line: 414,
		quote: 'Human-readable campaign name. Auto-generated if omitted.(max 100 chars)',
		what: 'a 101-character title',
		fields: {
			campaignType: 'INSTAGRAM_HASHTAG',
			hashtags: 'design',
			targetEmails: 10,
			additionalFields: { title: x(101) },
		},
		expect: 'local',
		param: 'title',
		operation: 'create',
	},
];

const REFERENCE = process.env.SCRAVIO_API_REFERENCE ?? '/work/shared/scravio-api-reference.txt';
const referenceLines = existsSync(REFERENCE)
	? readFileSync(REFERENCE, 'utf8').split('\n')
	: undefined;

(referenceLines ? it : it.skip)('every case quotes its line of the reference word for word', () => {
	for (const entry of CASES) {
		expect({ line: entry.line, text: referenceLines![entry.line - 1] }).toEqual({
			line: entry.line,
			text: expect.stringContaining(entry.quote),
		});
	}
});

describe('campaign input rules, from the reference sentences', () => {
	it.each(CASES)(
		'line $line "$quote": $what → $expect',
		async ({ fields, expect: outcome, param, operation = 'previewCost' }) => {
			const result = await bed.run({ resource: 'campaign', operation, ...fields });
			const posts = apiRequests(await bed.requests()).filter((entry) => entry.method === 'POST');
			if (outcome === 'local') {
				expect(result.error?.name).toBe('NodeOperationError');
				expect(result.error?.message).toContain(`(${param})`);
				expect(posts).toEqual([]);
			} else if (outcome === 'accepted') {
				expect(result.error).toBeUndefined();
				expect(posts.map((entry) => entry.status)).toEqual([operation === 'create' ? 201 : 200]);
			} else {
				// Not refused by the node: the request went out, and any refusal is the API's own answer.
				expect(posts).toHaveLength(1);
				if (result.error) {
					expect(result.error.name).toBe('NodeApiError');
					expect(posts[0].status).toBe(400);
				}
			}
		},
	);
});
