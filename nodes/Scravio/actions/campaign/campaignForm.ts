import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	CAMPAIGN_TYPES,
	CAMPAIGN_TYPE_RULES,
	LIMITS,
	YOUTUBE_DISCOVERY_SOURCES,
	allowedInputFields,
	campaignTypeOptions,
	isCampaignType,
	validateCampaignRequest,
} from '../../shared/campaignRules';
import type { CampaignType, CampaignTypeRule, RuleViolation, TargetRule } from '../../shared/campaignRules';
import type { ItemApi } from '../types';

/**
 * The one form and body builder behind campaign "Preview Cost" (POST /campaigns/reserve-preview)
 * and "Create" (POST /campaigns), which the reference says must receive the same settings.
 *
 * Which field a campaign type shows comes from the shared rules table (`CAMPAIGN_TYPE_RULES`,
 * `allowedInputFields`), never from a per-type list here; this file only decides how each API
 * input looks in n8n (name, label, single value or list, top level or "Additional Fields").
 *
 * No field is marked `required`: when the campaign type is an expression, n8n shows (and would
 * demand) the required fields of all 23 types and refuse to run. Missing values are reported per
 * item by the rules check instead, with the field's name.
 */

/** `validateCampaignRequest` calls POST /campaigns/reserve-preview a "preview". */
export type CampaignFormOperation = 'create' | 'preview';

/** Raw parameter values of one item, by parameter name (`additionalFields` holds the optional ones). */
export type CampaignFormValues = IDataObject;

/** A parameter of the form and the API fields it fills. */
export interface CampaignFormField {
	/** The parameter, without its `campaignType` display rule (added from `appliesTo`). */
	property: INodeProperties;
	/** API paths this parameter fills, as the rules name them: `inputs.hashtags`, `targetEmails`. */
	api: string[];
	/** Whether a campaign type shows (and sends) this parameter. */
	appliesTo(rule: CampaignTypeRule): boolean;
	/** Top level, or inside the "Additional Fields" collection (optional settings). */
	placement: 'top' | 'additional';
	/** Only on one operation (`title` exists on create only). */
	operation?: CampaignFormOperation;
}

const accepts = (field: string) => (rule: CampaignTypeRule) => allowedInputFields(rule).has(field);
const always = () => true;

const titleCase = (text: string) => text.replace(/\b\w/g, (first) => first.toUpperCase());

/** The parameter that carries a type's target: the list field when the type takes a list. */
export function targetParameterName(rule: CampaignTypeRule): string {
	return rule.target.list ?? (rule.target.single as string);
}

/** Presentation of each kind of target; limits and fields come from the table. */
const TARGET_HINTS: Record<TargetRule['kind'], { placeholder: string; hint: string }> = {
	hashtag: { placeholder: 'e.g. designsystems, growthops', hint: 'A leading # is removed' },
	user: { placeholder: 'e.g. natgeo', hint: 'Profile handles; a leading @ is removed' },
	media: { placeholder: 'e.g. https://www.instagram.com/p/C0abc123/', hint: 'Public post URLs (http or https)' },
	profileList: { placeholder: 'e.g. natgeo', hint: 'Profile handles or profile URLs; a leading @ is removed' },
	keyword: { placeholder: 'e.g. coffee roasters', hint: 'Search keywords' },
	mapsQuery: { placeholder: 'e.g. dentists', hint: 'What to search for on Google Maps' },
};

function targetField(rule: CampaignTypeRule): CampaignFormField {
	const { target } = rule;
	const name = targetParameterName(rule);
	const { placeholder, hint } = TARGET_HINTS[target.kind];
	const isList = target.list !== undefined;
	const lengths =
		target.maxLength === undefined
			? 'any length (Scravio checks each one)'
			: target.minLength !== undefined
				? `${target.minLength}-${target.maxLength} characters each`
				: `at most ${target.maxLength} characters each`;
	let description: string;
	if (isList) {
		const planNote = target.restrictedPlanMax !== undefined ? ` (${target.restrictedPlanMax} on free and Project Pass workspaces)` : '';
		const separators = target.url ? 'One per line (or separated by commas)' : 'One per line, or comma-separated';
		description = `${hint}. ${separators}; up to ${target.listMax}${planNote}, ${lengths}.`;
	} else {
		description = `${hint}. One value, ${lengths.replace(' each', '')}.`;
	}
	return {
		property: {
			displayName: titleCase(isList ? `${target.label}s` : target.label),
			name,
			type: 'string',
			default: '',
			placeholder,
			description,
			...(isList ? { typeOptions: { rows: target.kind === 'profileList' ? 6 : 3 } } : {}),
		},
		api: [target.single, target.list].filter((field): field is string => Boolean(field)).map((field) => `inputs.${field}`),
		appliesTo: (candidate) => targetParameterName(candidate) === name,
		placement: 'top',
	};
}

/** One target parameter per distinct target field of the table (`hashtags`, `targetUser`, ...). */
function targetFields(): CampaignFormField[] {
	const byName = new Map<string, CampaignFormField>();
	for (const type of CAMPAIGN_TYPES) {
		const rule = CAMPAIGN_TYPE_RULES[type];
		if (!byName.has(targetParameterName(rule))) byName.set(targetParameterName(rule), targetField(rule));
	}
	return [...byName.values()];
}

const exactlyOneCountry = (rule: CampaignTypeRule) => rule.countries === 'exactlyOne';
const optionalCountries = (rule: CampaignTypeRule) => rule.countries === 'optional';
const leadTarget = (rule: CampaignTypeRule) => rule.targetMode === 'LEAD_TARGET';
const zoomDefault: number = LIMITS.zoomDefault;

/** Every parameter of the form, in the order the editor shows them. */
export const CAMPAIGN_FORM_FIELDS: CampaignFormField[] = [
	...targetFields(),
	{
		property: {
			displayName: 'Country',
			name: 'country',
			type: 'string',
			default: '',
			placeholder: 'e.g. US',
			description: 'Two-letter country code to search in (exactly one)',
		},
		// The API takes the one country as `country` or as a one-value `countries`; the form sends `country`.
		api: ['inputs.country', 'inputs.countries'],
		appliesTo: (rule) => exactlyOneCountry(rule) && accepts('country')(rule),
		placement: 'top',
	},
	{
		property: {
			displayName: 'Latitude',
			name: 'latitude',
			type: 'string',
			default: '',
			placeholder: 'e.g. 40.7128',
			description: 'Latitude of the map centre, from -90 to 90',
		},
		api: ['inputs.lat'],
		appliesTo: accepts('lat'),
		placement: 'top',
	},
	{
		property: {
			displayName: 'Longitude',
			name: 'longitude',
			type: 'string',
			default: '',
			placeholder: 'e.g. -74.0060',
			description: 'Longitude of the map centre, from -180 to 180',
		},
		api: ['inputs.lng'],
		appliesTo: accepts('lng'),
		placement: 'top',
	},
	{
		property: {
			displayName: 'Target Emails',
			name: 'targetEmails',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 100,
			description: 'How many leads with an e-mail address the campaign should find',
		},
		api: ['targetEmails'],
		appliesTo: leadTarget,
		placement: 'top',
	},
	{
		property: {
			displayName: 'Countries',
			name: 'countries',
			type: 'string',
			default: '',
			placeholder: 'e.g. US, GB',
			description: `Two-letter country codes to keep, comma-separated or one per line (up to ${LIMITS.countriesMax})`,
		},
		api: ['inputs.countries'],
		appliesTo: (rule) => optionalCountries(rule) && accepts('countries')(rule),
		placement: 'additional',
	},
	{
		property: {
			displayName: 'Min Followers',
			name: 'minFollowers',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 1000,
			description: 'Keep only profiles with at least this many followers',
		},
		api: ['inputs.followerFilter', 'inputs.followerFilter.min'],
		appliesTo: accepts('followerFilter'),
		placement: 'additional',
	},
	{
		property: {
			displayName: 'Max Followers',
			name: 'maxFollowers',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 100000,
			description: 'Keep only profiles with at most this many followers',
		},
		api: ['inputs.followerFilter', 'inputs.followerFilter.max'],
		appliesTo: accepts('followerFilter'),
		placement: 'additional',
	},
	{
		property: {
			displayName: 'Business Accounts Only',
			name: 'scrapeBusinessAccountsOnly',
			type: 'boolean',
			default: false,
			description: 'Whether to keep only Instagram business profiles',
		},
		api: ['inputs.scrapeBusinessAccountsOnly'],
		appliesTo: accepts('scrapeBusinessAccountsOnly'),
		placement: 'additional',
	},
	{
		property: {
			displayName: 'Include Private Accounts',
			name: 'scrapePrivateAccounts',
			type: 'boolean',
			default: true,
			description: 'Whether to include private Instagram profiles (Scravio includes them unless this is off)',
		},
		api: ['inputs.scrapePrivateAccounts'],
		appliesTo: accepts('scrapePrivateAccounts'),
		placement: 'additional',
	},
	{
		property: {
			displayName: 'YouTube Discovery Source',
			name: 'youtubeDiscoverySource',
			type: 'options',
			options: YOUTUBE_DISCOVERY_SOURCES.map((source) => ({
				name: titleCase(source),
				value: source,
				description: source === 'channel' ? 'Search channels directly' : 'Find channels through matching videos',
			})),
			default: 'channel',
			description: 'Where channels are discovered',
		},
		api: ['inputs.youtubeDiscoverySource'],
		appliesTo: accepts('youtubeDiscoverySource'),
		placement: 'additional',
	},
	{
		property: {
			displayName: 'Zoom',
			name: 'zoom',
			type: 'number',
			typeOptions: { minValue: LIMITS.zoomMin, maxValue: LIMITS.zoomMax },
			default: zoomDefault,
			description: `Map zoom, from ${LIMITS.zoomMin} to ${LIMITS.zoomMax}`,
		},
		api: ['inputs.zoom'],
		appliesTo: accepts('zoom'),
		placement: 'additional',
	},
	{
		property: {
			displayName: 'Max Credit Cap',
			name: 'maxCreditCap',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 1000,
			description: 'Hard cap on the credits the campaign may use; must be positive. Without it Scravio applies its recommended cap.',
		},
		api: ['maxCreditCap'],
		appliesTo: always,
		placement: 'additional',
	},
	{
		property: {
			displayName: 'Validate Emails',
			name: 'enableEmailValidation',
			type: 'boolean',
			default: false,
			description: 'Whether to validate the e-mail addresses found (costs extra credits)',
		},
		api: ['enableEmailValidation'],
		appliesTo: always,
		placement: 'additional',
	},
	{
		property: {
			displayName: 'Deep Email Search',
			name: 'enableDeepEmailSearch',
			type: 'boolean',
			default: false,
			description: 'Whether to also search for hidden e-mail addresses (kept for backward compatibility; types that do not support it ignore it)',
		},
		api: ['enableDeepEmailSearch'],
		appliesTo: always,
		placement: 'additional',
	},
	{
		property: {
			displayName: 'Enrich Instagram Posts',
			name: 'enrichIgPosts',
			type: 'boolean',
			default: false,
			description: 'Whether to enrich leads with their Instagram posts',
		},
		api: ['enrichIgPosts'],
		appliesTo: (rule) => rule.enrichIgPosts,
		placement: 'additional',
	},
	{
		property: {
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			placeholder: 'e.g. June partner prospecting',
			description: `Campaign name, up to ${LIMITS.titleMaxLength} characters. Scravio generates one when empty.`,
		},
		api: ['title'],
		appliesTo: always,
		placement: 'additional',
		operation: 'create',
	},
];

/** The campaign type selector (the type is sent as `type`). */
export const campaignTypeProperty: INodeProperties = {
	displayName: 'Campaign Type',
	name: 'campaignType',
	type: 'options',
	options: campaignTypeOptions(),
	default: 'INSTAGRAM_HASHTAG',
	description: 'What the campaign collects leads from; the fields below change with it',
};

function typesWhere(field: CampaignFormField): CampaignType[] {
	return CAMPAIGN_TYPES.filter((type) => field.appliesTo(CAMPAIGN_TYPE_RULES[type]));
}

function fieldsFor(operation: CampaignFormOperation): CampaignFormField[] {
	return CAMPAIGN_FORM_FIELDS.filter((field) => !field.operation || field.operation === operation);
}

/**
 * The form's parameters for one operation: the type, then the fields of the chosen type at the
 * top level, then the optional ones in "Additional Fields". The caller adds "Options".
 */
export function campaignFormProperties(operation: CampaignFormOperation): INodeProperties[] {
	const fields = fieldsFor(operation);
	const topLevel = fields
		.filter((field) => field.placement === 'top')
		.map((field) => ({ ...field.property, displayOptions: { show: { campaignType: typesWhere(field) } } }));
	const additional = fields
		.filter((field) => field.placement === 'additional')
		.map((field) => {
			const types = typesWhere(field);
			// Inside a collection, `/campaignType` points at the root parameter.
			return types.length === CAMPAIGN_TYPES.length ? field.property : { ...field.property, displayOptions: { show: { '/campaignType': types } } };
		})
		.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return [
		campaignTypeProperty,
		...topLevel,
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: additional,
		},
	];
}

/**
 * Reads the parameters of one item that apply to its campaign type. Parameters of other types
 * (still stored after the type was changed, or hidden) are not read, so they are never sent.
 */
export function readCampaignForm(context: IExecuteFunctions, itemIndex: number, operation: CampaignFormOperation): CampaignFormValues {
	const campaignType = context.getNodeParameter('campaignType', itemIndex, '') as unknown;
	const values: CampaignFormValues = { campaignType: campaignType as IDataObject[string] };
	if (!isCampaignType(campaignType)) return values;
	const rule = CAMPAIGN_TYPE_RULES[campaignType];
	const applicable = fieldsFor(operation).filter((field) => field.appliesTo(rule));
	for (const field of applicable.filter((entry) => entry.placement === 'top')) {
		values[field.property.name] = context.getNodeParameter(field.property.name, itemIndex, undefined) as IDataObject[string];
	}
	const stored = (context.getNodeParameter('additionalFields', itemIndex, {}) ?? {}) as IDataObject;
	const additional: IDataObject = {};
	for (const field of applicable.filter((entry) => entry.placement === 'additional')) {
		if (stored[field.property.name] !== undefined) additional[field.property.name] = stored[field.property.name];
	}
	values.additionalFields = additional;
	return values;
}

// --- normalisation -----------------------------------------------------------------------------

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Splits what users type into a list: one per line, or comma-separated on one line. Arrays from
 * expressions are taken as they are. URLs may contain commas, so between URLs a comma only
 * separates when the next value starts with http(s)://.
 */
export function splitList(value: unknown, { url = false } = {}): string[] {
	if (isBlank(value)) return [];
	const parts: unknown[] = Array.isArray(value)
		? value
		: String(value)
				.split(/\r?\n/)
				.flatMap((line) => line.split(url ? /,\s*(?=https?:\/\/)/i : ','));
	return parts.map((part) => (part === null || part === undefined ? '' : String(part).trim())).filter((part) => part !== '');
}

/** Drops one prefix the API wants left off ('#' of a hashtag, '@' of a handle). */
function withoutPrefix(value: string, target: TargetRule): string {
	return target.strippablePrefix && value.startsWith(target.strippablePrefix) ? value.slice(1).trim() : value;
}

/** Numbers typed as text (often from expressions) become numbers; anything else is left for the rules to refuse. */
export function toNumber(value: unknown): unknown {
	if (isBlank(value)) return undefined;
	if (typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(value)) return Number(value);
	return value;
}

function toBoolean(value: unknown): unknown {
	if (isBlank(value)) return undefined;
	if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
	return value;
}

function setIfPresent(target: IDataObject, key: string, value: unknown) {
	if (value !== undefined) target[key] = value as IDataObject[string];
}

function targetInputs(rule: CampaignTypeRule, raw: unknown): IDataObject {
	const { target } = rule;
	if (target.list) {
		const values = splitList(raw, { url: target.url }).map((value) => withoutPrefix(value, target));
		if (values.length === 0) return {};
		// One value goes in the single field where the type has one: never both fields.
		if (values.length === 1 && target.single) return { [target.single]: values[0] };
		return { [target.list]: values };
	}
	if (isBlank(raw)) return {};
	const value = withoutPrefix(String(raw).trim(), target);
	return value === '' ? {} : { [target.single as string]: value };
}

/**
 * Turns the form values of one item into the request body of reserve-preview or create.
 * Optional settings left empty are not sent.
 */
export function buildCampaignBody(values: CampaignFormValues, operation: CampaignFormOperation): IDataObject {
	const type = values.campaignType;
	if (!isCampaignType(type)) return { type: (type as string | undefined) ?? '', inputs: {} };
	const rule = CAMPAIGN_TYPE_RULES[type];
	const additional = (values.additionalFields ?? {}) as IDataObject;
	const inputs: IDataObject = { ...targetInputs(rule, values[targetParameterName(rule)]) };

	if (rule.countries === 'exactlyOne') {
		const codes = splitList(values.country).map((code) => code.toUpperCase());
		// More than one goes out as `countries`, so the rules can name the problem.
		if (codes.length === 1) inputs.country = codes[0];
		else if (codes.length > 1) inputs.countries = codes;
	} else if (rule.countries === 'optional') {
		const codes = splitList(additional.countries).map((code) => code.toUpperCase());
		if (codes.length) inputs.countries = codes;
	}
	if (rule.followerFilter) {
		const filter: IDataObject = {};
		setIfPresent(filter, 'min', toNumber(additional.minFollowers));
		setIfPresent(filter, 'max', toNumber(additional.maxFollowers));
		if (Object.keys(filter).length) inputs.followerFilter = filter;
	}
	if (rule.instagramFilters) {
		setIfPresent(inputs, 'scrapeBusinessAccountsOnly', toBoolean(additional.scrapeBusinessAccountsOnly));
		setIfPresent(inputs, 'scrapePrivateAccounts', toBoolean(additional.scrapePrivateAccounts));
	}
	if (rule.youtubeDiscoverySource && !isBlank(additional.youtubeDiscoverySource)) {
		inputs.youtubeDiscoverySource = additional.youtubeDiscoverySource;
	}
	if (rule.mapLocation) {
		setIfPresent(inputs, 'lat', toNumber(values.latitude));
		setIfPresent(inputs, 'lng', toNumber(values.longitude));
		setIfPresent(inputs, 'zoom', toNumber(additional.zoom));
	}

	const body: IDataObject = { type };
	if (operation === 'create' && !isBlank(additional.title)) body.title = String(additional.title).trim();
	body.inputs = inputs;
	if (rule.targetMode === 'LEAD_TARGET') setIfPresent(body, 'targetEmails', toNumber(values.targetEmails));
	setIfPresent(body, 'maxCreditCap', toNumber(additional.maxCreditCap));
	setIfPresent(body, 'enableEmailValidation', toBoolean(additional.enableEmailValidation));
	setIfPresent(body, 'enableDeepEmailSearch', toBoolean(additional.enableDeepEmailSearch));
	if (rule.enrichIgPosts) setIfPresent(body, 'enrichIgPosts', toBoolean(additional.enrichIgPosts));
	return body;
}

// --- validation --------------------------------------------------------------------------------

/** `inputs.hashtags[3]` → `inputs.hashtags`: the API path a form field fills. */
function apiPathOf(param: string): string {
	return param.replace(/\[\d+\]/g, '');
}

/** The n8n name of the field behind a rule violation, e.g. "Hashtags" for `inputs.hashtags[3]`. */
export function fieldLabel(param: string, type: unknown): string {
	if (param === 'type') return campaignTypeProperty.displayName;
	const path = apiPathOf(param);
	const rule = isCampaignType(type) ? CAMPAIGN_TYPE_RULES[type] : undefined;
	const candidates = CAMPAIGN_FORM_FIELDS.filter((field) => field.api.includes(path));
	const shown = rule ? candidates.filter((field) => field.appliesTo(rule)) : candidates;
	const labels = [...new Set((shown.length ? shown : candidates).map((field) => field.property.displayName))];
	return labels.length ? labels.join(' / ') : param;
}

export function describeViolation(violation: RuleViolation, type: unknown): string {
	return `${fieldLabel(violation.param, type)} (${violation.param}): ${violation.msg}`;
}

/**
 * Checks the body against every campaign input rule before anything that could reserve credits
 * is sent, and throws a NodeOperationError naming the n8n field and the API parameter.
 * The 2-versus-20 target limit belongs to the workspace ("Paid workspaces support up to 20
 * targets; free and Project Pass workspaces support up to 2"), which the node cannot see, so it
 * checks the paid limit here and leaves the workspace's limit to the API (a refused campaign is
 * not created and reserves nothing).
 */
export async function assertValidCampaignRequest(
	context: IExecuteFunctions,
	api: ItemApi,
	body: IDataObject,
	operation: CampaignFormOperation,
): Promise<void> {
	const violations = validateCampaignRequest(body, { operation });
	if (violations.length === 0) return;
	const lines = violations.map((violation) => describeViolation(violation, body.type));
	throw new NodeOperationError(context.getNode(), lines.join('; '), {
		itemIndex: api.itemIndex,
		// Create is a charging operation: the router adds what this execution has (or has not) charged.
		description: `${lines.join('\n')}\n${operation === 'preview' ? 'Nothing was sent to Scravio, so no credits were reserved.' : 'Nothing was sent to Scravio for this item.'}`,
	});
}

/** Reads, normalises and checks one item's campaign settings: the body to send. */
export async function campaignRequestBody(
	context: IExecuteFunctions,
	itemIndex: number,
	api: ItemApi,
	operation: CampaignFormOperation,
): Promise<IDataObject> {
	const body = buildCampaignBody(readCampaignForm(context, itemIndex, operation), operation);
	await assertValidCampaignRequest(context, api, body, operation);
	return body;
}
