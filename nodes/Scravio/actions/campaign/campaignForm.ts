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
} from '../../../api/campaignRules';
import type {
	CampaignType,
	CampaignTypeRule,
	RuleViolation,
	TargetRule,
} from '../../../api/campaignRules';
import type { ItemApi } from '../types';

/**
 * The one form and body builder behind campaign "Preview Cost" (POST /campaigns/reserve-preview)
 * and "Create" (POST /campaigns), which the reference says must receive the same settings.
 *
 * Which field a campaign type shows comes from the shared rules table (`CAMPAIGN_TYPE_RULES`,
 * `allowedInputFields`), never from a per-type list here; this file only decides how each API
 * input looks in n8n (name, label, single value or list, top level or "Additional Fields") and how
 * each parameter writes itself into the request body (`CAMPAIGN_FORM_FIELDS`: one entry, one place).
 *
 * No field is marked `required`: when the campaign type is an expression, n8n shows (and would
 * demand) the required fields of all 23 types and refuse to run. Missing values are reported per
 * item by the rules check instead, with the field's name.
 */

/** `validateCampaignRequest` calls POST /campaigns/reserve-preview a "preview". */
export type CampaignFormOperation = 'create' | 'preview';

/** Raw parameter values of one item, by parameter name (`additionalFields` holds the optional ones). */
export type CampaignFormValues = IDataObject;

/** A parameter of the form, the API fields it fills and how it fills them. */
export interface CampaignFormField {
	/** The parameter, without its `campaignType` display rule (added from `appliesTo`). */
	property: INodeProperties;
	/** API paths this parameter fills, as the rules name them: `inputs.hashtags`, `targetEmails`. */
	api: string[];
	/**
	 * Writes the parameter's value, normalised, into the request body (`inputs` for the `inputs.*`
	 * fields). Called only for a type the field applies to; an empty value writes nothing.
	 */
	write(body: IDataObject, value: unknown, rule: CampaignTypeRule): void;
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
	media: {
		placeholder: 'e.g. https://www.instagram.com/p/C0abc123/',
		hint: 'Public post URLs (http or https)',
	},
	profileList: {
		placeholder: 'e.g. natgeo',
		hint: 'Profile handles or profile URLs; a leading @ is removed',
	},
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
		const planNote =
			target.restrictedPlanMax !== undefined
				? ` (${target.restrictedPlanMax} on free and Project Pass workspaces)`
				: '';
		const separators = target.url
			? 'One per line (or separated by commas)'
			: 'One per line, or comma-separated';
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
		api: [target.single, target.list]
			.filter((field): field is string => Boolean(field))
			.map((field) => `inputs.${field}`),
		// Every type has exactly one target field: it opens `inputs`, which is sent even when empty.
		write: (body, value, typeRule) => Object.assign(inputsOf(body), targetInputs(typeRule, value)),
		appliesTo: (candidate) => targetParameterName(candidate) === name,
		placement: 'top',
	};
}

/** One target parameter per distinct target field of the table (`hashtags`, `targetUser`, ...). */
function targetFields(): CampaignFormField[] {
	const byName = new Map<string, CampaignFormField>();
	for (const type of CAMPAIGN_TYPES) {
		const rule = CAMPAIGN_TYPE_RULES[type];
		if (!byName.has(targetParameterName(rule)))
			byName.set(targetParameterName(rule), targetField(rule));
	}
	return [...byName.values()];
}

// --- normalisation -----------------------------------------------------------------------------

function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
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
	return parts
		.map((part) => (part === null || part === undefined ? '' : String(part).trim()))
		.filter((part) => part !== '');
}

/** Drops one prefix the API wants left off ('#' of a hashtag, '@' of a handle). */
function withoutPrefix(value: string, target: TargetRule): string {
	return target.strippablePrefix && value.startsWith(target.strippablePrefix)
		? value.slice(1).trim()
		: value;
}

/** Numbers typed as text (often from expressions) become numbers; anything else is left for the rules to refuse. */
export function toNumber(value: unknown): unknown {
	if (isBlank(value)) return undefined;
	if (typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(value))
		return Number(value);
	return value;
}

function toBoolean(value: unknown): unknown {
	if (isBlank(value)) return undefined;
	if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
		return value.trim().toLowerCase() === 'true';
	return value;
}

/** A value sent as it is, unless left empty. */
function unlessBlank(value: unknown): unknown {
	return isBlank(value) ? undefined : value;
}

/** Text sent trimmed, unless left empty. */
function trimmedText(value: unknown): string | undefined {
	return isBlank(value) ? undefined : String(value).trim();
}

/** Country codes, upper case, as a list (empty when none was typed). */
function countryCodes(value: unknown): string[] {
	return splitList(value).map((code) => code.toUpperCase());
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

// --- writing into the body ---------------------------------------------------------------------

/** The body's `inputs`, opened on first use. */
function inputsOf(body: IDataObject): IDataObject {
	body.inputs ??= {};
	return body.inputs as IDataObject;
}

/** Sets a value at an API path (`inputs.followerFilter.min`), opening the objects on the way; `undefined` is not sent. */
function setAt(body: IDataObject, path: string, value: unknown): void {
	if (value === undefined) return;
	const keys = path.split('.');
	const last = keys.pop() as string;
	let target = body;
	for (const key of keys) target = (target[key] ??= {}) as IDataObject;
	target[last] = value as IDataObject[string];
}

/**
 * A field that sends its value, converted, at one API path. `api` names that path and the objects
 * it fills on the way (`inputs.followerFilter` for `inputs.followerFilter.min`), not `inputs` itself.
 */
function sendsTo(
	path: string,
	convert: (value: unknown) => unknown,
): Pick<CampaignFormField, 'api' | 'write'> {
	const parts = path.split('.');
	const first = parts[0] === 'inputs' ? 2 : 1;
	return {
		api: parts.slice(first - 1).map((_, index) => parts.slice(0, first + index).join('.')),
		write: (body, value) => setAt(body, path, convert(value)),
	};
}

const exactlyOneCountry = (rule: CampaignTypeRule) => rule.countries === 'exactlyOne';
const optionalCountries = (rule: CampaignTypeRule) => rule.countries === 'optional';
const leadTarget = (rule: CampaignTypeRule) => rule.targetMode === 'LEAD_TARGET';
const zoomDefault: number = LIMITS.zoomDefault;

/** "Min Followers" and "Max Followers": the two ends of `inputs.followerFilter`. */
function followerBound(bound: 'min' | 'max', defaultValue: number): CampaignFormField {
	const [label, comparison] = bound === 'min' ? ['Min', 'at least'] : ['Max', 'at most'];
	return {
		property: {
			displayName: `${label} Followers`,
			name: `${bound}Followers`,
			type: 'number',
			typeOptions: { minValue: 0 },
			default: defaultValue,
			description: `Keep only profiles with ${comparison} this many followers`,
		},
		...sendsTo(`inputs.followerFilter.${bound}`, toNumber),
		appliesTo: accepts('followerFilter'),
		placement: 'additional',
	};
}

/**
 * Every parameter of the form. The top-level ones are in the order the editor shows them (it sorts
 * "Additional Fields" by name). This is also the order in which the fields write the body, so its
 * JSON keeps the key order earlier versions sent (type, title, inputs, targetEmails, maxCreditCap,
 * ...); the charge record fingerprints that JSON.
 */
export const CAMPAIGN_FORM_FIELDS: CampaignFormField[] = [
	{
		property: {
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			placeholder: 'e.g. June partner prospecting',
			description: `Campaign name, up to ${LIMITS.titleMaxLength} characters. Scravio generates one when empty.`,
		},
		...sendsTo('title', trimmedText),
		appliesTo: always,
		placement: 'additional',
		operation: 'create',
	},
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
		write: (body, value) => {
			const codes = countryCodes(value);
			// More than one goes out as `countries`, so the rules can name the problem.
			if (codes.length === 1) setAt(body, 'inputs.country', codes[0]);
			else if (codes.length > 1) setAt(body, 'inputs.countries', codes);
		},
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
		...sendsTo('inputs.lat', toNumber),
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
		...sendsTo('inputs.lng', toNumber),
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
		...sendsTo('targetEmails', toNumber),
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
		...sendsTo('inputs.countries', (value) => {
			const codes = countryCodes(value);
			return codes.length ? codes : undefined;
		}),
		appliesTo: (rule) => optionalCountries(rule) && accepts('countries')(rule),
		placement: 'additional',
	},
	followerBound('min', 1000),
	followerBound('max', 100000),
	{
		property: {
			displayName: 'Business Accounts Only',
			name: 'scrapeBusinessAccountsOnly',
			type: 'boolean',
			default: false,
			description: 'Whether to keep only Instagram business profiles',
		},
		...sendsTo('inputs.scrapeBusinessAccountsOnly', toBoolean),
		appliesTo: accepts('scrapeBusinessAccountsOnly'),
		placement: 'additional',
	},
	{
		property: {
			displayName: 'Include Private Accounts',
			name: 'scrapePrivateAccounts',
			type: 'boolean',
			default: true,
			description:
				'Whether to include private Instagram profiles (Scravio includes them unless this is off)',
		},
		...sendsTo('inputs.scrapePrivateAccounts', toBoolean),
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
				description:
					source === 'channel'
						? 'Search channels directly'
						: 'Find channels through matching videos',
			})),
			default: 'channel',
			description: 'Where channels are discovered',
		},
		...sendsTo('inputs.youtubeDiscoverySource', unlessBlank),
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
		...sendsTo('inputs.zoom', toNumber),
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
			description:
				'Hard cap on the credits the campaign may use; must be positive. Without it Scravio applies its recommended cap.',
		},
		...sendsTo('maxCreditCap', toNumber),
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
		...sendsTo('enableEmailValidation', toBoolean),
		appliesTo: always,
		placement: 'additional',
	},
	{
		property: {
			displayName: 'Deep Email Search',
			name: 'enableDeepEmailSearch',
			type: 'boolean',
			default: false,
			description:
				'Whether to also search for hidden e-mail addresses (kept for backward compatibility; types that do not support it ignore it)',
		},
		...sendsTo('enableDeepEmailSearch', toBoolean),
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
		...sendsTo('enrichIgPosts', toBoolean),
		appliesTo: (rule) => rule.enrichIgPosts,
		placement: 'additional',
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
		.map((field) => ({
			...field.property,
			displayOptions: { show: { campaignType: typesWhere(field) } },
		}));
	const additional = fields
		.filter((field) => field.placement === 'additional')
		.map((field) => {
			const types = typesWhere(field);
			// Inside a collection, `/campaignType` points at the root parameter.
			return types.length === CAMPAIGN_TYPES.length
				? field.property
				: { ...field.property, displayOptions: { show: { '/campaignType': types } } };
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
export function readCampaignForm(
	context: IExecuteFunctions,
	itemIndex: number,
	operation: CampaignFormOperation,
): CampaignFormValues {
	const campaignType = context.getNodeParameter('campaignType', itemIndex, '') as unknown;
	const values: CampaignFormValues = { campaignType: campaignType as IDataObject[string] };
	if (!isCampaignType(campaignType)) return values;
	const rule = CAMPAIGN_TYPE_RULES[campaignType];
	const applicable = fieldsFor(operation).filter((field) => field.appliesTo(rule));
	for (const field of applicable.filter((entry) => entry.placement === 'top')) {
		values[field.property.name] = context.getNodeParameter(
			field.property.name,
			itemIndex,
			undefined,
		) as IDataObject[string];
	}
	const stored = (context.getNodeParameter('additionalFields', itemIndex, {}) ?? {}) as IDataObject;
	const additional: IDataObject = {};
	for (const field of applicable.filter((entry) => entry.placement === 'additional')) {
		if (stored[field.property.name] !== undefined)
			additional[field.property.name] = stored[field.property.name];
	}
	values.additionalFields = additional;
	return values;
}

/** The value of a field in one item's form values (top level, or in `additionalFields`). */
function valueOf(values: CampaignFormValues, field: CampaignFormField): unknown {
	const source =
		field.placement === 'top' ? values : ((values.additionalFields ?? {}) as IDataObject);
	return source[field.property.name];
}

/**
 * Turns the form values of one item into the request body of reserve-preview or create: each
 * field of the type writes itself. Optional settings left empty are not sent.
 */
export function buildCampaignBody(
	values: CampaignFormValues,
	operation: CampaignFormOperation,
): IDataObject {
	const type = values.campaignType;
	if (!isCampaignType(type)) return { type: (type as string | undefined) ?? '', inputs: {} };
	const rule = CAMPAIGN_TYPE_RULES[type];
	const body: IDataObject = { type };
	for (const field of fieldsFor(operation)) {
		if (field.appliesTo(rule)) field.write(body, valueOf(values, field), rule);
	}
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
	const labels = [
		...new Set((shown.length ? shown : candidates).map((field) => field.property.displayName)),
	];
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
