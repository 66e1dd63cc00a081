/**
 * The campaign form of "Create" and "Preview Cost" is generated from the shared rules table:
 * every type shows a field for every input it accepts, nothing else, and a form filled in for
 * any type produces a body the rules accept.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import {
	CAMPAIGN_FORM_FIELDS,
	buildCampaignBody,
	splitList,
	targetParameterName,
} from '../../nodes/Scravio/actions/campaign/campaignForm';
import { Scravio } from '../../nodes/Scravio/Scravio.node';
import { ScravioTrigger } from '../../nodes/ScravioTrigger/ScravioTrigger.node';
import {
	CAMPAIGN_TYPES,
	CAMPAIGN_TYPE_RULES,
	allowedInputFields,
	campaignTypeOptions,
	validateCampaignRequest,
} from '../../nodes/api/campaignRules';
import type { CampaignType } from '../../nodes/api/campaignRules';

const properties = new Scravio().description.properties;

/** The parameters the editor shows for an operation and a campaign type, collection children included. */
function visibleParameters(
	operation: 'create' | 'previewCost',
	type: CampaignType,
): Array<{ property: INodeProperties; inCollection: boolean }> {
	const root = { resource: 'campaign', operation, campaignType: type, additionalFields: {} };
	const shown: Array<{ property: INodeProperties; inCollection: boolean }> = [];
	for (const property of properties) {
		if (!NodeHelpers.displayParameter(root, property, null, null)) continue;
		shown.push({ property, inCollection: false });
		if (property.name === 'additionalFields') {
			for (const child of (property.options ?? []) as INodeProperties[]) {
				if (NodeHelpers.displayParameter({}, child, null, null, root))
					shown.push({ property: child, inCollection: true });
			}
		}
	}
	return shown;
}

/** API paths a visible form field fills (from the form's own field table). */
function apiPathsOf(name: string): string[] {
	return CAMPAIGN_FORM_FIELDS.find((field) => field.property.name === name)?.api ?? [];
}

describe.each(['create', 'previewCost'] as const)('the %s form', (operation) => {
	it.each([...CAMPAIGN_TYPES])('shows a field for every input %s accepts', (type) => {
		const visible = visibleParameters(operation, type);
		const covered = new Set(visible.flatMap(({ property }) => apiPathsOf(property.name)));
		for (const field of allowedInputFields(CAMPAIGN_TYPE_RULES[type])) {
			expect({ field, covered: covered.has(`inputs.${field}`) }).toEqual({ field, covered: true });
		}
	});

	it.each([...CAMPAIGN_TYPES])('shows no input field that %s does not accept', (type) => {
		const allowed = allowedInputFields(CAMPAIGN_TYPE_RULES[type]);
		const inputPaths = visibleParameters(operation, type)
			.flatMap(({ property }) => apiPathsOf(property.name))
			.filter((path) => path.startsWith('inputs.'));
		for (const path of inputPaths) {
			const field = path.slice('inputs.'.length).split('.')[0];
			expect({ path, allowed: allowed.has(field) }).toEqual({ path, allowed: true });
		}
	});

	it('shows Target Emails exactly for lead-target types and Enrich Instagram Posts only for Instagram', () => {
		for (const type of CAMPAIGN_TYPES) {
			const names = visibleParameters(operation, type).map(({ property }) => property.name);
			const rule = CAMPAIGN_TYPE_RULES[type];
			expect({ type, targetEmails: names.includes('targetEmails') }).toEqual({
				type,
				targetEmails: rule.targetMode === 'LEAD_TARGET',
			});
			expect({ type, enrichIgPosts: names.includes('enrichIgPosts') }).toEqual({
				type,
				enrichIgPosts: rule.enrichIgPosts,
			});
			expect(names).toEqual(
				expect.arrayContaining(['maxCreditCap', 'enableEmailValidation', 'enableDeepEmailSearch']),
			);
		}
	});
});

it('offers Title on create only', () => {
	expect(
		visibleParameters('create', 'INSTAGRAM_HASHTAG').map(({ property }) => property.name),
	).toContain('title');
	expect(
		visibleParameters('previewCost', 'INSTAGRAM_HASHTAG').map(({ property }) => property.name),
	).not.toContain('title');
});

it('uses one list field where a type accepts a list and a single-value field where it does not', () => {
	for (const type of CAMPAIGN_TYPES) {
		const { target } = CAMPAIGN_TYPE_RULES[type];
		const name = targetParameterName(CAMPAIGN_TYPE_RULES[type]);
		const targetFields = visibleParameters('create', type).filter(({ property }) =>
			apiPathsOf(property.name).some((path) =>
				[target.single, target.list].includes(path.slice('inputs.'.length)),
			),
		);
		expect(targetFields.map(({ property }) => property.name)).toEqual([name]);
		expect(name).toBe(target.list ?? target.single);
	}
	const label = (type: CampaignType) =>
		visibleParameters('create', type).find(
			({ property }) => property.name === targetParameterName(CAMPAIGN_TYPE_RULES[type]),
		)?.property.displayName;
	expect(label('INSTAGRAM_HASHTAG')).toBe('Hashtags');
	expect(label('INSTAGRAM_USER_FOLLOWERS')).toBe('Target Users');
	expect(label('INSTAGRAM_POST_LIKERS')).toBe('Post URLs');
	expect(label('YOUTUBE_KEYWORD_SEARCH')).toBe('Keywords');
	expect(label('INSTAGRAM_PROFILE_LIST')).toBe('Profile Targets');
	expect(label('X_FOLLOWERS')).toBe('Target User');
	expect(label('X_RETWEETS')).toBe('Post URL');
	expect(label('GOOGLE_MAPS_SEARCH')).toBe('Query');
});

/** A valid value for every form field, as a user would type it. */
function filledForm(type: CampaignType): IDataObject {
	const rule = CAMPAIGN_TYPE_RULES[type];
	const targetValue: Record<string, string> = {
		hashtag: '#design, growth',
		user: rule.target.list ? '@natgeo\nnasa' : '@natgeo',
		media: rule.target.list
			? 'https://www.instagram.com/p/A1/\nhttps://www.instagram.com/p/B2/'
			: 'https://x.com/nasa/status/1',
		profileList: '@natgeo, https://www.instagram.com/nasa/',
		keyword: 'coffee roasters, tea',
		mapsQuery: 'dentists',
	};
	return {
		campaignType: type,
		[targetParameterName(rule)]: targetValue[rule.target.kind],
		country: 'us',
		latitude: '40.7128',
		longitude: -74.006,
		targetEmails: '250',
		additionalFields: {
			countries: 'US\nGB',
			minFollowers: '1000',
			maxFollowers: 50000,
			scrapeBusinessAccountsOnly: true,
			scrapePrivateAccounts: false,
			youtubeDiscoverySource: 'video',
			zoom: 14,
			maxCreditCap: 900,
			enableEmailValidation: true,
			enableDeepEmailSearch: false,
			enrichIgPosts: true,
			title: 'June prospecting',
		},
	};
}

describe('the body builder', () => {
	it.each([...CAMPAIGN_TYPES])(
		'turns a filled-in %s form into a body the rules accept, for create and preview',
		(type) => {
			const visible = new Set(
				visibleParameters('create', type).map(({ property }) => property.name),
			);
			// Only what the editor shows for the type: what n8n stores for the item.
			const form = filledForm(type);
			const shownForm: IDataObject = { campaignType: type, additionalFields: {} };
			for (const [key, value] of Object.entries(form)) if (visible.has(key)) shownForm[key] = value;
			for (const [key, value] of Object.entries(form.additionalFields as IDataObject)) {
				if (visible.has(key)) (shownForm.additionalFields as IDataObject)[key] = value;
			}
			for (const operation of ['create', 'preview'] as const) {
				const body = buildCampaignBody(shownForm, operation);
				expect(validateCampaignRequest(body, { operation })).toEqual([]);
				expect('title' in body).toBe(operation === 'create');
			}
		},
	);

	it('normalises prefixes, separators, case and numbers typed as text', () => {
		const body = buildCampaignBody(filledForm('INSTAGRAM_HASHTAG'), 'create');
		expect(body).toMatchObject({
			type: 'INSTAGRAM_HASHTAG',
			title: 'June prospecting',
			targetEmails: 250,
			inputs: { hashtags: ['design', 'growth'], countries: ['US', 'GB'] },
		});
		const maps = buildCampaignBody(filledForm('GOOGLE_MAPS_SEARCH'), 'preview');
		expect(maps.inputs).toEqual({
			query: 'dentists',
			country: 'US',
			lat: 40.7128,
			lng: -74.006,
			zoom: 14,
		});
		const followers = buildCampaignBody(filledForm('INSTAGRAM_USER_FOLLOWERS'), 'preview');
		expect(followers.inputs).toMatchObject({
			targetUsers: ['natgeo', 'nasa'],
			followerFilter: { min: 1000, max: 50000 },
		});
	});

	it('sends one value in the single field and several in the list field, never both', () => {
		const one = buildCampaignBody(
			{ campaignType: 'INSTAGRAM_HASHTAG', hashtags: ' #design ', targetEmails: 10 },
			'preview',
		);
		expect(one.inputs).toEqual({ hashtag: 'design' });
		const two = buildCampaignBody(
			{ campaignType: 'INSTAGRAM_HASHTAG', hashtags: ['design', ' #growth', ''], targetEmails: 10 },
			'preview',
		);
		expect(two.inputs).toEqual({ hashtags: ['design', 'growth'] });
		const profiles = buildCampaignBody(
			{ campaignType: 'INSTAGRAM_PROFILE_LIST', profileTargets: '@natgeo' },
			'preview',
		);
		expect(profiles).toEqual({
			type: 'INSTAGRAM_PROFILE_LIST',
			inputs: { profileTargets: ['natgeo'] },
		});
	});

	it('leaves out optional settings left empty and settings that do not apply to the type', () => {
		const body = buildCampaignBody(
			{
				campaignType: 'TIKTOK_USER_FOLLOWERS',
				targetUser: 'khaby',
				targetEmails: 50,
				additionalFields: { maxCreditCap: '', enrichIgPosts: true, countries: 'US' },
			},
			'create',
		);
		expect(body).toEqual({
			type: 'TIKTOK_USER_FOLLOWERS',
			inputs: { targetUser: 'khaby' },
			targetEmails: 50,
		});
		const profiles = buildCampaignBody(
			{ campaignType: 'INSTAGRAM_PROFILE_LIST', profileTargets: 'a\nb', targetEmails: 100 },
			'create',
		);
		expect(profiles).not.toHaveProperty('targetEmails');
	});
});

describe('the body JSON', () => {
	// The exact text earlier versions sent (key order included): each field writes itself in table
	// order, and the charge record fingerprints this JSON.
	it('keeps the key order: type, title, inputs (target first), targetEmails, then the settings', () => {
		const followers = {
			campaignType: 'INSTAGRAM_USER_FOLLOWERS',
			targetUsers: '@natgeo\nnasa',
			targetEmails: '250',
			additionalFields: {
				title: ' June prospecting ',
				countries: 'us, gb',
				minFollowers: '1000',
				maxFollowers: 50000,
				scrapeBusinessAccountsOnly: true,
				scrapePrivateAccounts: 'false',
				maxCreditCap: 900,
				enableEmailValidation: true,
				enableDeepEmailSearch: false,
				enrichIgPosts: true,
			},
		};
		expect(JSON.stringify(buildCampaignBody(followers, 'create'))).toBe(
			'{"type":"INSTAGRAM_USER_FOLLOWERS","title":"June prospecting","inputs":{"targetUsers":["natgeo","nasa"],"countries":["US","GB"],' +
				'"followerFilter":{"min":1000,"max":50000},"scrapeBusinessAccountsOnly":true,"scrapePrivateAccounts":false},"targetEmails":250,' +
				'"maxCreditCap":900,"enableEmailValidation":true,"enableDeepEmailSearch":false,"enrichIgPosts":true}',
		);
		const maps = {
			campaignType: 'GOOGLE_MAPS_SEARCH',
			query: 'dentists',
			country: 'us',
			latitude: '40.7128',
			longitude: -74.006,
			targetEmails: 20,
			additionalFields: { zoom: '14', title: 'Maps', maxCreditCap: 50 },
		};
		expect(JSON.stringify(buildCampaignBody(maps, 'create'))).toBe(
			'{"type":"GOOGLE_MAPS_SEARCH","title":"Maps","inputs":{"query":"dentists","country":"US","lat":40.7128,"lng":-74.006,"zoom":14},"targetEmails":20,"maxCreditCap":50}',
		);
		const channels = {
			campaignType: 'YOUTUBE_CHANNEL_SEARCH',
			keywords: 'coffee',
			targetEmails: 5,
			additionalFields: { youtubeDiscoverySource: 'video', maxFollowers: '10', title: 'x' },
		};
		expect(JSON.stringify(buildCampaignBody(channels, 'preview'))).toBe(
			'{"type":"YOUTUBE_CHANNEL_SEARCH","inputs":{"keyword":"coffee","followerFilter":{"max":10},"youtubeDiscoverySource":"video"},"targetEmails":5}',
		);
		// A blank target still sends `inputs`, in its place.
		expect(
			JSON.stringify(
				buildCampaignBody(
					{
						campaignType: 'INSTAGRAM_PROFILE_LIST',
						profileTargets: ' ',
						additionalFields: { title: 'T', maxCreditCap: 5 },
					},
					'create',
				),
			),
		).toBe('{"type":"INSTAGRAM_PROFILE_LIST","title":"T","inputs":{},"maxCreditCap":5}');
	});
});

describe('list splitting', () => {
	it('splits on new lines or commas, trims and drops empty entries', () => {
		expect(splitList(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
		expect(splitList('a\n\n b \r\nc')).toEqual(['a', 'b', 'c']);
		expect(splitList(['x', ' ', 'y '])).toEqual(['x', 'y']);
		expect(splitList('')).toEqual([]);
	});

	it('keeps commas inside URLs', () => {
		expect(splitList('https://a.test/p?x=1,2, https://b.test/q', { url: true })).toEqual([
			'https://a.test/p?x=1,2',
			'https://b.test/q',
		]);
	});
});

describe('campaign type selectors', () => {
	/** Every options parameter of a node (collection and fixed-collection children included) that offers campaign types. */
	function typeSelectors(
		list: INodeProperties[],
		path = '',
	): Array<{ path: string; options: unknown }> {
		const found: Array<{ path: string; options: unknown }> = [];
		for (const property of list) {
			const here = `${path}${property.name}`;
			const options = (property.options ?? []) as Array<{
				value?: unknown;
				values?: INodeProperties[];
			}>;
			if (
				['options', 'multiOptions'].includes(property.type) &&
				options.some((option) => option.value === 'INSTAGRAM_HASHTAG')
			) {
				found.push({
					path: here,
					options: options.map(({ name, value }: { name?: string; value?: unknown }) => ({
						name,
						value,
					})),
				});
			}
			if (property.type === 'collection')
				found.push(...typeSelectors(options as INodeProperties[], `${here}.`));
			if (property.type === 'fixedCollection')
				for (const group of options) found.push(...typeSelectors(group.values ?? [], `${here}.`));
		}
		return found;
	}

	it('every campaign type selector of both nodes offers every type, by display name, in one order', () => {
		const expected = campaignTypeOptions();
		expect(expected.map(({ value }) => value).sort()).toEqual([...CAMPAIGN_TYPES].sort());
		expect(expected.map(({ name }) => name)).toEqual(
			CAMPAIGN_TYPES.map((type) => CAMPAIGN_TYPE_RULES[type].displayName).sort((a, b) =>
				a.localeCompare(b),
			),
		);
		const selectors = [
			...typeSelectors(properties),
			...typeSelectors(new ScravioTrigger().description.properties),
		];
		// The create and preview forms, the Get Many filter and the trigger's filter.
		expect(selectors.map(({ path }) => path).sort()).toEqual([
			'campaignType',
			'campaignType',
			'campaignTypes',
			'filters.type',
		]);
		for (const selector of selectors)
			expect(selector).toEqual({ path: selector.path, options: expected });
	});
});
