/**
 * The campaign input rules of the Scravio API reference ("Campaign input rules" on
 * POST /campaigns and POST /campaigns/reserve-preview), as one table.
 *
 * Both the n8n node (to refuse bad input before any credit is reserved) and the sandbox
 * (to answer VALIDATION_ERROR like the real API) use this file, so it must not import
 * anything: no n8n-workflow, no Node built-ins.
 */

export const CAMPAIGN_TYPES = [
	'INSTAGRAM_HASHTAG',
	'INSTAGRAM_USER_FOLLOWERS',
	'INSTAGRAM_USER_FOLLOWING',
	'INSTAGRAM_POST_LIKERS',
	'INSTAGRAM_POST_COMMENTERS',
	'INSTAGRAM_PROFILE_LIST',
	'INSTAGRAM_KEYWORD_SEARCH',
	'YOUTUBE_KEYWORD_SEARCH',
	'YOUTUBE_CHANNEL_SEARCH',
	'FACEBOOK_KEYWORD_SEARCH',
	'LINKEDIN_KEYWORD_SEARCH',
	'TWITTER_KEYWORD_SEARCH',
	'TIKTOK_KEYWORD_SEARCH',
	'TIKTOK_SEARCH_USERS',
	'TIKTOK_USER_FOLLOWERS',
	'TIKTOK_USER_FOLLOWING',
	'TIKTOK_POST_COMMENTERS',
	'X_KEYWORD_SEARCH',
	'X_FOLLOWERS',
	'X_FOLLOWING',
	'X_RETWEETS',
	'X_REPLIERS',
	'GOOGLE_MAPS_SEARCH',
] as const;

export type CampaignType = (typeof CAMPAIGN_TYPES)[number];

export type Platform =
	'instagram' | 'youtube' | 'linkedin' | 'facebook' | 'tiktok' | 'x' | 'google_maps';

/** Plans that matter to the rules: free and Project Pass workspaces get fewer targets. */
export type WorkspacePlan = 'paid' | 'free' | 'project_pass';

/** What a campaign type is aimed at, and which `inputs` fields carry it. */
export interface TargetRule {
	kind: 'hashtag' | 'user' | 'media' | 'profileList' | 'keyword' | 'mapsQuery';
	/** Field for one value (`inputs.hashtag`), when the type takes one. */
	single?: string;
	/** Field for several values (`inputs.hashtags`), when the type takes a list. */
	list?: string;
	/** Most list entries on a paid plan. */
	listMax?: number;
	/** Most list entries (single + list together) on free and Project Pass plans. */
	restrictedPlanMax?: number;
	minLength?: number;
	/** Longest value, where the reference states one (it states none for profile targets). */
	maxLength?: number;
	/** Values must be http(s) URLs. */
	url?: boolean;
	/** A prefix users often type that the API wants left off ('#' for hashtags, '@' for handles). */
	strippablePrefix?: '#' | '@';
	/** Human name for messages: "Hashtag", "Target user", ... */
	label: string;
}

export interface CampaignTypeRule {
	type: CampaignType;
	platform: Platform;
	/** Display name for the n8n form. */
	displayName: string;
	/** LEAD_TARGET campaigns need `targetEmails`; ITEM_LIMIT ones (profile lists) must not send it. */
	targetMode: 'LEAD_TARGET' | 'ITEM_LIMIT';
	target: TargetRule;
	/** `inputs.countries`: not accepted, optional, or exactly one value (Google Maps, with `country`). */
	countries: 'none' | 'optional' | 'exactlyOne';
	followerFilter: boolean;
	/** scrapeBusinessAccountsOnly and scrapePrivateAccounts. */
	instagramFilters: boolean;
	enrichIgPosts: boolean;
	youtubeDiscoverySource: boolean;
	/** lat, lng and zoom. */
	mapLocation: boolean;
}

export const LIMITS = {
	titleMaxLength: 100,
	hashtagMaxLength: 100,
	handleMaxLength: 100,
	mediaUrlMaxLength: 2048,
	keywordMinLength: 2,
	keywordMaxLength: 200,
	mapsQueryMaxLength: 200,
	listMax: 20,
	restrictedPlanListMax: 2,
	profileTargetsMax: 10000,
	/** "Country code for GOOGLE_MAPS_SEARCH. ... (max 2 chars)": a maximum, not "exactly two letters". */
	countryMaxLength: 2,
	countriesMax: 10,
	zoomMin: 1,
	zoomMax: 21,
	zoomDefault: 12,
	stopReasonMaxLength: 500,
	validationJobMaxEmails: 5000,
} as const;

const hashtagTarget: TargetRule = {
	kind: 'hashtag',
	single: 'hashtag',
	list: 'hashtags',
	listMax: LIMITS.listMax,
	maxLength: LIMITS.hashtagMaxLength,
	strippablePrefix: '#',
	label: 'Hashtag',
};
const instagramUsersTarget: TargetRule = {
	kind: 'user',
	single: 'targetUser',
	list: 'targetUsers',
	listMax: LIMITS.listMax,
	restrictedPlanMax: LIMITS.restrictedPlanListMax,
	maxLength: LIMITS.handleMaxLength,
	strippablePrefix: '@',
	label: 'Target user',
};
const instagramPostsTarget: TargetRule = {
	kind: 'media',
	single: 'mediaUrl',
	list: 'mediaUrls',
	listMax: LIMITS.listMax,
	restrictedPlanMax: LIMITS.restrictedPlanListMax,
	maxLength: LIMITS.mediaUrlMaxLength,
	url: true,
	label: 'Post URL',
};
const profileListTarget: TargetRule = {
	kind: 'profileList',
	list: 'profileTargets',
	listMax: LIMITS.profileTargetsMax,
	// "Profile handles or URLs ... (max 10000 items)": no length per entry is stated, the API judges.
	strippablePrefix: '@',
	label: 'Profile target',
};
const keywordTarget: TargetRule = {
	kind: 'keyword',
	single: 'keyword',
	list: 'keywords',
	listMax: LIMITS.listMax,
	minLength: LIMITS.keywordMinLength,
	maxLength: LIMITS.keywordMaxLength,
	label: 'Keyword',
};
const singleUserTarget: TargetRule = {
	kind: 'user',
	single: 'targetUser',
	maxLength: LIMITS.handleMaxLength,
	strippablePrefix: '@',
	label: 'Target user',
};
const singlePostTarget: TargetRule = {
	kind: 'media',
	single: 'mediaUrl',
	maxLength: LIMITS.mediaUrlMaxLength,
	url: true,
	label: 'Post URL',
};
const mapsTarget: TargetRule = {
	kind: 'mapsQuery',
	single: 'query',
	maxLength: LIMITS.mapsQueryMaxLength,
	label: 'Query',
};

function rule(
	type: CampaignType,
	platform: Platform,
	displayName: string,
	target: TargetRule,
	options: Partial<Omit<CampaignTypeRule, 'type' | 'platform' | 'displayName' | 'target'>> = {},
): CampaignTypeRule {
	return {
		type,
		platform,
		displayName,
		target,
		targetMode: 'LEAD_TARGET',
		countries: 'none',
		followerFilter: false,
		instagramFilters: false,
		enrichIgPosts: false,
		youtubeDiscoverySource: false,
		mapLocation: false,
		...options,
	};
}

// "Optional Instagram filters ... apply to non-keyword Instagram campaigns"; "countries applies to
// Instagram, X, YouTube channel search, and keyword search"; "followerFilter applies to supported
// profile, list, post, TikTok, X, and YouTube channel campaigns".
const instagram = { countries: 'optional', instagramFilters: true, enrichIgPosts: true } as const;
const keywordSearch = { countries: 'optional' } as const;
/** An audience with an optional country and the follower filter (the X audience types). */
const withFollowerFilter = { countries: 'optional', followerFilter: true } as const;

export const CAMPAIGN_TYPE_RULES: Record<CampaignType, CampaignTypeRule> = {
	INSTAGRAM_HASHTAG: rule(
		'INSTAGRAM_HASHTAG',
		'instagram',
		'Instagram Hashtag',
		hashtagTarget,
		instagram,
	),
	INSTAGRAM_USER_FOLLOWERS: rule(
		'INSTAGRAM_USER_FOLLOWERS',
		'instagram',
		'Instagram User Followers',
		instagramUsersTarget,
		{ ...instagram, followerFilter: true },
	),
	INSTAGRAM_USER_FOLLOWING: rule(
		'INSTAGRAM_USER_FOLLOWING',
		'instagram',
		'Instagram User Following',
		instagramUsersTarget,
		{ ...instagram, followerFilter: true },
	),
	INSTAGRAM_POST_LIKERS: rule(
		'INSTAGRAM_POST_LIKERS',
		'instagram',
		'Instagram Post Likers',
		instagramPostsTarget,
		{ ...instagram, followerFilter: true },
	),
	INSTAGRAM_POST_COMMENTERS: rule(
		'INSTAGRAM_POST_COMMENTERS',
		'instagram',
		'Instagram Post Commenters',
		instagramPostsTarget,
		{ ...instagram, followerFilter: true },
	),
	INSTAGRAM_PROFILE_LIST: rule(
		'INSTAGRAM_PROFILE_LIST',
		'instagram',
		'Instagram Profile List',
		profileListTarget,
		{ ...instagram, followerFilter: true, targetMode: 'ITEM_LIMIT' },
	),
	INSTAGRAM_KEYWORD_SEARCH: rule(
		'INSTAGRAM_KEYWORD_SEARCH',
		'instagram',
		'Instagram Keyword Search',
		keywordTarget,
		{ ...keywordSearch, enrichIgPosts: true },
	),
	YOUTUBE_KEYWORD_SEARCH: rule(
		'YOUTUBE_KEYWORD_SEARCH',
		'youtube',
		'YouTube Keyword Search',
		keywordTarget,
		keywordSearch,
	),
	YOUTUBE_CHANNEL_SEARCH: rule(
		'YOUTUBE_CHANNEL_SEARCH',
		'youtube',
		'YouTube Channel Search',
		keywordTarget,
		{ countries: 'optional', followerFilter: true, youtubeDiscoverySource: true },
	),
	FACEBOOK_KEYWORD_SEARCH: rule(
		'FACEBOOK_KEYWORD_SEARCH',
		'facebook',
		'Facebook Keyword Search',
		keywordTarget,
		keywordSearch,
	),
	LINKEDIN_KEYWORD_SEARCH: rule(
		'LINKEDIN_KEYWORD_SEARCH',
		'linkedin',
		'LinkedIn Keyword Search',
		keywordTarget,
		keywordSearch,
	),
	TWITTER_KEYWORD_SEARCH: rule(
		'TWITTER_KEYWORD_SEARCH',
		'x',
		'Twitter Keyword Search',
		keywordTarget,
		{ ...keywordSearch, followerFilter: true },
	),
	TIKTOK_KEYWORD_SEARCH: rule(
		'TIKTOK_KEYWORD_SEARCH',
		'tiktok',
		'TikTok Keyword Search',
		keywordTarget,
		{ ...keywordSearch, followerFilter: true },
	),
	TIKTOK_SEARCH_USERS: rule('TIKTOK_SEARCH_USERS', 'tiktok', 'TikTok Search Users', keywordTarget, {
		followerFilter: true,
	}),
	TIKTOK_USER_FOLLOWERS: rule(
		'TIKTOK_USER_FOLLOWERS',
		'tiktok',
		'TikTok User Followers',
		singleUserTarget,
		{ followerFilter: true },
	),
	TIKTOK_USER_FOLLOWING: rule(
		'TIKTOK_USER_FOLLOWING',
		'tiktok',
		'TikTok User Following',
		singleUserTarget,
		{ followerFilter: true },
	),
	TIKTOK_POST_COMMENTERS: rule(
		'TIKTOK_POST_COMMENTERS',
		'tiktok',
		'TikTok Post Commenters',
		singlePostTarget,
		{ followerFilter: true },
	),
	X_KEYWORD_SEARCH: rule('X_KEYWORD_SEARCH', 'x', 'X Keyword Search', keywordTarget, {
		...keywordSearch,
		followerFilter: true,
	}),
	X_FOLLOWERS: rule('X_FOLLOWERS', 'x', 'X Followers', singleUserTarget, withFollowerFilter),
	X_FOLLOWING: rule('X_FOLLOWING', 'x', 'X Following', singleUserTarget, withFollowerFilter),
	X_RETWEETS: rule('X_RETWEETS', 'x', 'X Retweets', singlePostTarget, withFollowerFilter),
	X_REPLIERS: rule('X_REPLIERS', 'x', 'X Repliers', singlePostTarget, withFollowerFilter),
	GOOGLE_MAPS_SEARCH: rule('GOOGLE_MAPS_SEARCH', 'google_maps', 'Google Maps Search', mapsTarget, {
		countries: 'exactlyOne',
		mapLocation: true,
	}),
};

/**
 * The campaign types as the options of an n8n selector, sorted by display name: the one list (and
 * order) behind every campaign-type parameter of both nodes (the campaign form, the Get Many
 * filter, the trigger's filter).
 */
export function campaignTypeOptions(): Array<{ name: string; value: CampaignType }> {
	return CAMPAIGN_TYPES.map((type) => ({
		name: CAMPAIGN_TYPE_RULES[type].displayName,
		value: type,
	})).sort((a, b) => a.name.localeCompare(b.name));
}

/** Every `inputs` field the API knows, for "does not apply to this type" messages. */
export const INPUT_FIELDS = [
	'hashtag',
	'hashtags',
	'targetUser',
	'targetUsers',
	'mediaUrl',
	'mediaUrls',
	'profileTargets',
	'keyword',
	'keywords',
	'youtubeDiscoverySource',
	'query',
	'country',
	'countries',
	'lat',
	'lng',
	'zoom',
	'followerFilter',
	'scrapeBusinessAccountsOnly',
	'scrapePrivateAccounts',
] as const;

/** Set by the backend for Google Maps campaigns; clients may not send them. */
export const BACKEND_CONTROLLED_INPUTS = ['lang', 'limit', 'offset'] as const;

export const YOUTUBE_DISCOVERY_SOURCES = ['channel', 'video'] as const;

export interface RuleViolation {
	/** Dotted path as the API names it: `inputs.hashtags[2]`, `targetEmails`. */
	param: string;
	msg: string;
}

export interface ValidateOptions {
	/** Free and Project Pass workspaces allow fewer targets. Unknown: the paid limits apply. */
	plan?: WorkspacePlan;
	/** `create` also accepts `title`. */
	operation: 'create' | 'preview';
}

export function isCampaignType(value: unknown): value is CampaignType {
	return typeof value === 'string' && (CAMPAIGN_TYPES as readonly string[]).includes(value);
}

/** Which `inputs` fields a campaign type accepts. The node builds its form from this too. */
export function allowedInputFields(typeRule: CampaignTypeRule): Set<string> {
	const fields = new Set<string>();
	const { target } = typeRule;
	if (target.single) fields.add(target.single);
	if (target.list) fields.add(target.list);
	if (typeRule.countries !== 'none') fields.add('countries');
	if (typeRule.countries === 'exactlyOne') fields.add('country');
	if (typeRule.followerFilter) fields.add('followerFilter');
	if (typeRule.instagramFilters) {
		fields.add('scrapeBusinessAccountsOnly');
		fields.add('scrapePrivateAccounts');
	}
	if (typeRule.youtubeDiscoverySource) fields.add('youtubeDiscoverySource');
	if (typeRule.mapLocation) {
		fields.add('lat');
		fields.add('lng');
		fields.add('zoom');
	}
	return fields;
}

const TOP_LEVEL_FIELDS = [
	'type',
	'inputs',
	'targetEmails',
	'maxCreditCap',
	'enableEmailValidation',
	'enableDeepEmailSearch',
	'enrichIgPosts',
];

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: string): boolean {
	if (!/^https?:\/\//i.test(value)) return false;
	try {
		return Boolean(new URL(value).hostname);
	} catch {
		return false;
	}
}

function describeType(value: unknown): string {
	if (value === null) return 'null';
	return Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Checks a campaign create or reserve-preview body against every documented input rule.
 * Returns all violations (empty when the body is valid); it never throws.
 */
export function validateCampaignRequest(body: unknown, options: ValidateOptions): RuleViolation[] {
	const violations: RuleViolation[] = [];
	const fail = (param: string, msg: string) => violations.push({ param, msg });

	if (!isPlainObject(body)) {
		fail('body', 'Request body must be a JSON object');
		return violations;
	}

	const allowedTopLevel =
		options.operation === 'create' ? [...TOP_LEVEL_FIELDS, 'title'] : TOP_LEVEL_FIELDS;
	for (const key of Object.keys(body)) {
		if (!allowedTopLevel.includes(key)) fail(key, `Unknown field "${key}"`);
	}

	if (body.title !== undefined) {
		if (typeof body.title !== 'string') fail('title', 'Title must be a string');
		else if (body.title.length > LIMITS.titleMaxLength)
			fail('title', `Title must be at most ${LIMITS.titleMaxLength} characters`);
	}

	const { type } = body;
	if (type === undefined || type === null || type === '') {
		fail('type', 'Campaign type is required');
		return violations;
	}
	if (!isCampaignType(type)) {
		fail('type', `Campaign type must be one of: ${CAMPAIGN_TYPES.join(', ')}`);
		return violations;
	}
	const typeRule = CAMPAIGN_TYPE_RULES[type];

	checkTopLevelSettings(body, typeRule, fail);

	const inputs = body.inputs;
	if (inputs === undefined || inputs === null) {
		fail('inputs', 'inputs is required');
		return violations;
	}
	if (!isPlainObject(inputs)) {
		fail('inputs', `inputs must be an object, not ${describeType(inputs)}`);
		return violations;
	}

	const allowed = allowedInputFields(typeRule);
	for (const key of Object.keys(inputs)) {
		if ((BACKEND_CONTROLLED_INPUTS as readonly string[]).includes(key)) {
			fail(`inputs.${key}`, `inputs.${key} is controlled by Scravio and cannot be sent`);
		} else if (!allowed.has(key)) {
			fail(`inputs.${key}`, `inputs.${key} does not apply to ${type} campaigns`);
		}
	}

	checkTarget(inputs, typeRule, options.plan ?? 'paid', fail);
	checkCountries(inputs, typeRule, fail);
	if (typeRule.followerFilter) checkFollowerFilter(inputs, fail);
	if (typeRule.instagramFilters) {
		for (const flag of ['scrapeBusinessAccountsOnly', 'scrapePrivateAccounts']) {
			if (inputs[flag] !== undefined && typeof inputs[flag] !== 'boolean')
				fail(`inputs.${flag}`, `inputs.${flag} must be true or false`);
		}
	}
	if (typeRule.youtubeDiscoverySource && inputs.youtubeDiscoverySource !== undefined) {
		if (
			!(YOUTUBE_DISCOVERY_SOURCES as readonly unknown[]).includes(inputs.youtubeDiscoverySource)
		) {
			fail(
				'inputs.youtubeDiscoverySource',
				'inputs.youtubeDiscoverySource must be "channel" or "video"',
			);
		}
	}
	if (typeRule.mapLocation) checkMapLocation(inputs, fail);

	return violations;
}

type Fail = (param: string, msg: string) => void;

function checkTopLevelSettings(
	body: Record<string, unknown>,
	typeRule: CampaignTypeRule,
	fail: Fail,
) {
	const { targetEmails, maxCreditCap } = body;
	if (typeRule.targetMode === 'ITEM_LIMIT') {
		if (targetEmails !== undefined && targetEmails !== null) {
			fail('targetEmails', `targetEmails is not used by ${typeRule.type} campaigns; leave it out`);
		}
	} else if (targetEmails === undefined || targetEmails === null) {
		fail('targetEmails', `targetEmails is required for ${typeRule.type} campaigns`);
	} else if (
		typeof targetEmails !== 'number' ||
		!Number.isInteger(targetEmails) ||
		targetEmails < 1
	) {
		fail('targetEmails', 'targetEmails must be a whole number of at least 1');
	}

	if (maxCreditCap !== undefined && maxCreditCap !== null) {
		if (typeof maxCreditCap !== 'number' || !Number.isFinite(maxCreditCap) || maxCreditCap <= 0) {
			fail('maxCreditCap', 'maxCreditCap must be a positive number');
		}
	}

	for (const flag of ['enableEmailValidation', 'enableDeepEmailSearch', 'enrichIgPosts']) {
		if (body[flag] !== undefined && typeof body[flag] !== 'boolean')
			fail(flag, `${flag} must be true or false`);
	}
	if (body.enrichIgPosts === true && !typeRule.enrichIgPosts) {
		fail(
			'enrichIgPosts',
			`enrichIgPosts is Instagram-only and does not apply to ${typeRule.type} campaigns`,
		);
	}
}

function checkTargetValue(value: unknown, param: string, target: TargetRule, fail: Fail) {
	if (typeof value !== 'string') {
		fail(param, `${target.label} must be a string`);
		return;
	}
	const trimmed = value.trim();
	if (trimmed === '') {
		fail(param, `${target.label} must not be empty`);
		return;
	}
	if (target.minLength !== undefined && trimmed.length < target.minLength) {
		fail(param, `${target.label} must be at least ${target.minLength} characters`);
	}
	if (target.maxLength !== undefined && trimmed.length > target.maxLength) {
		fail(param, `${target.label} must be at most ${target.maxLength} characters`);
	}
	if (target.url && !isHttpUrl(trimmed)) fail(param, `${target.label} must be an http(s) URL`);
	if (target.kind === 'hashtag' && trimmed.startsWith('#'))
		fail(param, 'Omit the # prefix from hashtags');
}

function checkTarget(
	inputs: Record<string, unknown>,
	typeRule: CampaignTypeRule,
	plan: WorkspacePlan,
	fail: Fail,
) {
	const { target, type } = typeRule;
	const single = target.single ? inputs[target.single] : undefined;
	const list = target.list ? inputs[target.list] : undefined;
	const hasSingle = single !== undefined && single !== null;
	const hasList = list !== undefined && list !== null;
	const primaryParam = `inputs.${target.single ?? target.list}`;
	const either = [target.single, target.list]
		.filter(Boolean)
		.map((f) => `inputs.${f}`)
		.join(' or ');

	if (!hasSingle && !hasList) {
		fail(primaryParam, `${either} is required for ${type} campaigns`);
		return;
	}
	if (hasSingle && hasList) {
		fail(
			`inputs.${target.list}`,
			`Send either inputs.${target.single} or inputs.${target.list}, not both`,
		);
		return;
	}
	if (hasSingle) {
		checkTargetValue(single, `inputs.${target.single}`, target, fail);
		return;
	}
	const listParam = `inputs.${target.list}`;
	if (!Array.isArray(list)) {
		fail(listParam, `${listParam} must be an array`);
		return;
	}
	if (list.length === 0) {
		fail(listParam, `${listParam} must contain at least one value`);
		return;
	}
	const max =
		plan !== 'paid' && target.restrictedPlanMax !== undefined
			? target.restrictedPlanMax
			: (target.listMax ?? 1);
	if (list.length > max) {
		const planNote =
			plan !== 'paid' && target.restrictedPlanMax !== undefined
				? ' on free and Project Pass workspaces'
				: '';
		fail(listParam, `${listParam} accepts at most ${max} values${planNote}; got ${list.length}`);
	}
	list.forEach((value, index) => checkTargetValue(value, `${listParam}[${index}]`, target, fail));
}

/**
 * Countries: the reference states "(max 10 items)" for `countries`, "(max 2 chars)" for
 * `country` and "Send exactly one country or countries value" for Google Maps. It states no
 * format for a code (two letters, case) and no length for a `countries` entry, so those are
 * left to the API.
 */
function checkCountries(inputs: Record<string, unknown>, typeRule: CampaignTypeRule, fail: Fail) {
	if (typeRule.countries === 'none') return;
	const { country, countries } = inputs;

	if (countries !== undefined && countries !== null) {
		if (!Array.isArray(countries)) {
			fail('inputs.countries', 'inputs.countries must be an array of country codes');
		} else {
			if (countries.length > LIMITS.countriesMax) {
				fail('inputs.countries', `inputs.countries accepts at most ${LIMITS.countriesMax} values`);
			}
			countries.forEach((code, index) => {
				if (typeof code !== 'string' || code.trim() === '')
					fail(`inputs.countries[${index}]`, 'Country must be a country code (text)');
			});
		}
	}
	if (typeRule.countries !== 'exactlyOne') return;

	if (country !== undefined && country !== null) {
		if (typeof country !== 'string' || country.trim() === '')
			fail('inputs.country', 'inputs.country must be a country code (text)');
		else if (country.length > LIMITS.countryMaxLength)
			fail(
				'inputs.country',
				`inputs.country must be at most ${LIMITS.countryMaxLength} characters`,
			);
	}
	const hasCountry = country !== undefined && country !== null;
	const countriesCount = Array.isArray(countries) ? countries.length : 0;
	if (hasCountry && countriesCount > 0) {
		fail(
			'inputs.country',
			`${typeRule.type} needs exactly one country: send inputs.country or inputs.countries, not both`,
		);
	} else if (!hasCountry && countriesCount !== 1) {
		fail(
			'inputs.country',
			`${typeRule.type} needs exactly one country value (inputs.country or a one-value inputs.countries)`,
		);
	}
}

function checkFollowerFilter(inputs: Record<string, unknown>, fail: Fail) {
	const filter = inputs.followerFilter;
	if (filter === undefined || filter === null) return;
	if (!isPlainObject(filter)) {
		fail('inputs.followerFilter', 'inputs.followerFilter must be an object with min and/or max');
		return;
	}
	for (const key of Object.keys(filter)) {
		if (key !== 'min' && key !== 'max')
			fail(`inputs.followerFilter.${key}`, `Unknown follower filter field "${key}"`);
	}
	const { min, max } = filter;
	const isCount = (value: unknown) =>
		typeof value === 'number' && Number.isInteger(value) && value >= 0;
	if (min !== undefined && min !== null && !isCount(min))
		fail('inputs.followerFilter.min', 'Minimum followers must be a whole number of at least 0');
	if (max !== undefined && max !== null && !isCount(max))
		fail('inputs.followerFilter.max', 'Maximum followers must be a whole number of at least 0');
	if ((min === undefined || min === null) && (max === undefined || max === null)) {
		fail('inputs.followerFilter', 'inputs.followerFilter needs min, max or both');
	}
	if (isCount(min) && isCount(max) && (min as number) > (max as number)) {
		fail(
			'inputs.followerFilter.min',
			'Minimum followers must not be greater than maximum followers',
		);
	}
}

/** lat and lng: "number Latitude/Longitude for GOOGLE_MAPS_SEARCH"; the reference states no range, the API judges it. */
function checkMapLocation(inputs: Record<string, unknown>, fail: Fail) {
	const coordinate = (name: 'lat' | 'lng') => {
		const value = inputs[name];
		if (value === undefined || value === null) {
			fail(`inputs.${name}`, `inputs.${name} is required for GOOGLE_MAPS_SEARCH campaigns`);
		} else if (typeof value !== 'number' || !Number.isFinite(value)) {
			fail(`inputs.${name}`, `inputs.${name} must be a number`);
		}
	};
	coordinate('lat');
	coordinate('lng');
	const { zoom } = inputs;
	if (zoom !== undefined && zoom !== null) {
		if (
			typeof zoom !== 'number' ||
			!Number.isInteger(zoom) ||
			zoom < LIMITS.zoomMin ||
			zoom > LIMITS.zoomMax
		) {
			fail(
				'inputs.zoom',
				`inputs.zoom must be a whole number from ${LIMITS.zoomMin} to ${LIMITS.zoomMax}`,
			);
		}
	}
}
