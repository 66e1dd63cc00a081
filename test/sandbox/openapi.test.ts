/**
 * The sandbox contract (sandbox/openapi.yaml) against the Scravio API reference v1.1.0: the 19
 * routes, their parameters, bodies, responses and auth notes, and agreement with the campaign rules
 * table the node and the sandbox share.
 */
// This test walks the raw OpenAPI document and JSON Schemas (parsed YAML of any shape).
/* eslint-disable @typescript-eslint/no-explicit-any */
import { readFileSync } from 'fs';
import path from 'path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import {
	BACKEND_CONTROLLED_INPUTS,
	CAMPAIGN_TYPES,
	INPUT_FIELDS,
	LIMITS,
	YOUTUBE_DISCOVERY_SOURCES,
	validateCampaignRequest,
} from '../../nodes/api/campaignRules';
import {
	contractRoutes,
	loadContract,
	resolveRef,
	type OperationObject,
	type ParameterObject,
	type ReferenceObject,
	type ResponseObject,
} from '../../sandbox/http/contract';

const doc = loadContract();
const raw = parse(readFileSync(path.join(__dirname, '../../sandbox/openapi.yaml'), 'utf8'));
const DOC_ID = 'https://sandbox.scravio.test/openapi.json';

/** The 19 routes of the reference with the agreed operationIds. */
const ROUTES: Array<[string, string, string]> = [
	['GET', '/auth/me', 'getAccount'],
	['POST', '/campaigns/reserve-preview', 'previewCampaignCost'],
	['POST', '/campaigns', 'createCampaign'],
	['GET', '/campaigns', 'listCampaigns'],
	['GET', '/campaigns/export-schemas', 'getExportSchemas'],
	['GET', '/campaigns/{id}', 'getCampaign'],
	['GET', '/campaigns/{id}/leads', 'listCampaignLeads'],
	['POST', '/campaigns/{id}/stop', 'stopCampaign'],
	['GET', '/campaigns/{id}/validate/preview', 'previewCampaignValidation'],
	['POST', '/campaigns/{id}/validate', 'startCampaignValidation'],
	['POST', '/validation-jobs/text', 'createValidationJob'],
	['GET', '/validation-jobs', 'listValidationJobs'],
	['GET', '/validation-jobs/{id}', 'getValidationJob'],
	['POST', '/list-exports', 'createListExport'],
	['GET', '/list-exports', 'listListExports'],
	['GET', '/list-exports/{id}', 'getListExport'],
	['GET', '/list-exports/{id}/download', 'getListExportDownloadUrl'],
	['GET', '/list-exports/download/{downloadId}', 'followListExportDownload'],
	['GET', '/credit-transactions', 'listCreditTransactions'],
];

const routes = contractRoutes();
const byId = new Map(routes.map((route) => [route.operationId, route]));

function op(operationId: string): OperationObject {
	const route = byId.get(operationId);
	if (!route) throw new Error(`No operation ${operationId}`);
	return route.operation;
}

function params(operationId: string): ParameterObject[] {
	return (op(operationId).parameters ?? []).map((p) => resolveRef<ParameterObject>(p));
}

function param(operationId: string, name: string, location = 'query'): ParameterObject {
	const found = params(operationId).find((p) => p.name === name && p.in === location);
	if (!found) throw new Error(`${operationId} has no ${location} parameter ${name}`);
	return found;
}

function response(operationId: string, status: string): ResponseObject {
	const res = op(operationId).responses[status];
	if (!res) throw new Error(`${operationId} has no ${status} response`);
	return resolveRef<ResponseObject>(res);
}

/** A schema with local $refs followed (one level). */
function schemaOf(schema: unknown): Record<string, any> {
	return resolveRef<Record<string, any>>(schema as Record<string, any> | ReferenceObject);
}

function jsonSchemaOfResponse(operationId: string, status: string): Record<string, any> {
	const schema = response(operationId, status).content?.['application/json']?.schema;
	if (!schema) throw new Error(`${operationId} ${status} has no JSON body`);
	return schemaOf(schema);
}

// --- Ajv over the whole document ----------------------------------------------------------------

function makeAjv() {
	// Strict mode, so a misspelt keyword (maxlength, minimun, ...) or a `required` name missing from
	// `properties` fails compilation. Known to Ajv besides JSON Schema: the OpenAPI annotation
	// `example`, and the document's top-level fields (the document is registered as one schema so
	// that its `#/components/...` references resolve).
	const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
	addFormats(ajv);
	ajv.addKeyword({
		keyword: 'example',
		schemaType: ['string', 'number', 'boolean', 'object', 'array', 'null'],
	});
	for (const keyword of [
		'openapi',
		'jsonSchemaDialect',
		'info',
		'servers',
		'security',
		'tags',
		'paths',
		'components',
	]) {
		ajv.addKeyword({ keyword });
	}
	ajv.addSchema(raw, DOC_ID);
	return ajv;
}
const ajv = makeAjv();

function pointer(...segments: Array<string | number>): string {
	return (
		'#/' +
		segments
			.map((s) => encodeURIComponent(String(s).replace(/~/g, '~0').replace(/\//g, '~1')))
			.join('/')
	);
}

function validatorAt(ptr: string) {
	return ajv.compile({ $ref: `${DOC_ID}${ptr}` });
}

function componentValidator(name: string) {
	return validatorAt(pointer('components', 'schemas', name));
}

function requestBodyValidator(operationId: string) {
	const route = byId.get(operationId)!;
	return validatorAt(
		pointer(
			'paths',
			route.path,
			route.method.toLowerCase(),
			'requestBody',
			'content',
			'application/json',
			'schema',
		),
	);
}

function errorsOf(validate: ValidateFunction, value: unknown): string {
	return validate(value) ? '' : ajv.errorsText(validate.errors);
}

/** Every place of the document that holds a JSON Schema, as [label, JSON pointer]. */
function schemaLocations(): Array<[string, string]> {
	const out: Array<[string, string]> = [];
	const components = raw.components;
	for (const name of Object.keys(components.schemas))
		out.push([`schemas.${name}`, pointer('components', 'schemas', name)]);
	for (const name of Object.keys(components.parameters))
		out.push([`parameters.${name}`, pointer('components', 'parameters', name, 'schema')]);
	const addResponse = (label: string, res: any, base: Array<string | number>) => {
		if (!res || res.$ref) return;
		for (const [type, media] of Object.entries<any>(res.content ?? {})) {
			if (media.schema) out.push([`${label} ${type}`, pointer(...base, 'content', type, 'schema')]);
		}
		for (const header of Object.keys(res.headers ?? {}))
			out.push([`${label} header ${header}`, pointer(...base, 'headers', header, 'schema')]);
	};
	for (const name of Object.keys(components.responses))
		addResponse(`responses.${name}`, components.responses[name], ['components', 'responses', name]);
	for (const [routePath, item] of Object.entries<any>(raw.paths)) {
		for (const [method, operation] of Object.entries<any>(item)) {
			const base = ['paths', routePath, method];
			const label = `${method.toUpperCase()} ${routePath}`;
			(operation.parameters ?? []).forEach((p: any, index: number) => {
				if (!p.$ref)
					out.push([
						`${label} parameter ${p.name}`,
						pointer(...base, 'parameters', index, 'schema'),
					]);
			});
			for (const type of Object.keys(operation.requestBody?.content ?? {})) {
				out.push([
					`${label} body ${type}`,
					pointer(...base, 'requestBody', 'content', type, 'schema'),
				]);
			}
			for (const [status, res] of Object.entries<any>(operation.responses))
				addResponse(`${label} ${status}`, res, [...base, 'responses', status]);
		}
	}
	return out;
}

// --- The reference's example requests -----------------------------------------------------------

const REFERENCE_EXAMPLES = {
	reservePreview: {
		type: 'INSTAGRAM_HASHTAG',
		inputs: { hashtags: ['designsystems', 'growthops'] },
		targetEmails: 500,
		maxCreditCap: 2500,
		enableEmailValidation: true,
	},
	create: {
		title: 'June partner prospecting',
		type: 'INSTAGRAM_HASHTAG',
		inputs: { hashtags: ['designsystems', 'growthops'] },
		targetEmails: 500,
		maxCreditCap: 2500,
		enableEmailValidation: true,
	},
	stop: { reason: 'Reached the weekly outreach target' },
	// The saved reference mangled the three example addresses; any three addresses do.
	validationJob: { emails: ['ana@example.com', 'ben@example.com', 'cleo@example.com'] },
	listExport: {
		campaignId: 'cmp_01J7SYNTHETIC',
		fileFormat: 'csv',
		emailOnly: true,
		onlyValidEmails: true,
		dedupeByEmail: true,
		webhookUrl: 'https://hooks.example.com/scravio/export-ready',
	},
};

// ================================================================================================

describe('sandbox OpenAPI contract: document', () => {
	it('is an OpenAPI 3.1 document with JSON Schema 2020-12 and the documented base URL', () => {
		expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
		expect(doc.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
		expect(doc.info.version).toBe('1.1.0');
		expect(doc.servers[0].url).toBe('https://api.scravio.com/api');
	});

	it('declares X-API-Key and bearer auth as alternatives', () => {
		expect(doc.components.securitySchemes).toEqual({
			apiKeyAuth: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
			bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
		});
		expect(doc.security).toEqual([{ apiKeyAuth: [] }, { bearerAuth: [] }]);
	});

	it('has exactly the 19 route/method pairs of the reference with the agreed operationIds', () => {
		const actual = routes.map((r) => `${r.method} ${r.path} ${r.operationId}`).sort();
		const expected = ROUTES.map(([m, p, id]) => `${m} ${p} ${id}`).sort();
		expect(actual).toEqual(expected);
		expect(new Set(routes.map((r) => r.operationId)).size).toBe(19);
	});

	it('contractRoutes gives Fastify paths and loadContract is cached', () => {
		expect(loadContract()).toBe(doc);
		expect(byId.get('getCampaign')!.fastifyPath).toBe('/campaigns/:id');
		expect(byId.get('followListExportDownload')!.fastifyPath).toBe(
			'/list-exports/download/:downloadId',
		);
		expect(routes.every((r) => !r.fastifyPath.includes('{'))).toBe(true);
	});

	it('resolves every $ref', () => {
		const refs: string[] = [];
		const walk = (node: unknown) => {
			if (Array.isArray(node)) node.forEach(walk);
			else if (node && typeof node === 'object') {
				for (const [key, value] of Object.entries(node)) {
					if (key === '$ref' && typeof value === 'string') refs.push(value);
					else walk(value);
				}
			}
		};
		walk(raw);
		expect(refs.length).toBeGreaterThan(50);
		for (const ref of refs) {
			expect(ref).toMatch(/^#\/components\/(schemas|parameters|responses)\/[A-Za-z]+$/);
			expect(() => resolveRef({ $ref: ref })).not.toThrow();
		}
	});

	it('declares every path parameter of every route path', () => {
		for (const route of routes) {
			const inPath = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
			const declared = params(route.operationId).filter((p) => p.in === 'path');
			expect(declared.map((p) => p.name).sort()).toEqual(inPath);
			for (const p of declared) expect(p.required).toBe(true);
		}
	});
});

describe('sandbox OpenAPI contract: schemas compile (Ajv 2020-12, strict)', () => {
	const locations = schemaLocations();

	it('finds the schemas of components, parameters, bodies and responses', () => {
		expect(locations.length).toBeGreaterThan(100);
	});

	it.each(locations)('%s compiles', (_label, ptr) => {
		expect(() => validatorAt(ptr)).not.toThrow();
	});

	it('every example embedded in the document validates against its schema', () => {
		let checked = 0;
		for (const route of routes) {
			const body = route.operation.requestBody as any;
			const media = body?.content?.['application/json'];
			if (media?.example !== undefined) {
				expect(errorsOf(requestBodyValidator(route.operationId), media.example)).toBe('');
				checked++;
			}
			for (const p of params(route.operationId)) {
				if (p.example !== undefined) {
					expect(ajv.validate(p.schema, p.example)).toBe(true);
					checked++;
				}
			}
		}
		expect(checked).toBeGreaterThanOrEqual(5);
	});
});

describe('sandbox OpenAPI contract: agreement with the campaign rules table', () => {
	const inputs = schemaOf(doc.components.schemas!.CampaignInputs);
	const props = inputs.properties as Record<string, any>;

	it('campaign types are CAMPAIGN_TYPES, in every place they appear', () => {
		expect(schemaOf(doc.components.schemas!.CampaignType).enum).toEqual([...CAMPAIGN_TYPES]);
		expect(schemaOf(doc.components.schemas!.ReservePreviewRequest).properties.type).toEqual({
			$ref: '#/components/schemas/CampaignType',
		});
		expect(schemaOf(doc.components.schemas!.CreateCampaignRequest).properties.type).toEqual({
			$ref: '#/components/schemas/CampaignType',
		});
	});

	it('inputs lists exactly INPUT_FIELDS, closed, without the backend-controlled fields', () => {
		expect(Object.keys(props).sort()).toEqual([...INPUT_FIELDS].sort());
		expect(inputs.additionalProperties).toBe(false);
		for (const field of BACKEND_CONTROLLED_INPUTS) expect(props).not.toHaveProperty(field);
		expect(props.youtubeDiscoverySource.enum).toEqual([...YOUTUBE_DISCOVERY_SOURCES]);
		expect(props.youtubeDiscoverySource.default).toBe('channel');
	});

	it("inputs limits are the documented ones (and the table's)", () => {
		expect(props.hashtag.maxLength).toBe(LIMITS.hashtagMaxLength);
		expect(props.hashtags.maxItems).toBe(LIMITS.listMax);
		expect(props.targetUser.maxLength).toBe(LIMITS.handleMaxLength);
		expect(props.targetUsers.maxItems).toBe(LIMITS.listMax);
		expect(props.mediaUrl).toMatchObject({ format: 'uri', maxLength: LIMITS.mediaUrlMaxLength });
		expect(props.mediaUrls.maxItems).toBe(LIMITS.listMax);
		expect(props.profileTargets.maxItems).toBe(LIMITS.profileTargetsMax);
		expect(props.keyword).toMatchObject({
			minLength: LIMITS.keywordMinLength,
			maxLength: LIMITS.keywordMaxLength,
		});
		expect(props.keywords.maxItems).toBe(LIMITS.listMax);
		expect(props.keywords.items).toMatchObject({
			minLength: LIMITS.keywordMinLength,
			maxLength: LIMITS.keywordMaxLength,
		});
		expect(props.query.maxLength).toBe(LIMITS.mapsQueryMaxLength);
		expect(props.country.maxLength).toBe(2);
		expect(props.countries.maxItems).toBe(LIMITS.countriesMax);
		expect(props.zoom).toMatchObject({
			type: 'integer',
			minimum: LIMITS.zoomMin,
			maximum: LIMITS.zoomMax,
			default: LIMITS.zoomDefault,
		});
		expect(props.scrapeBusinessAccountsOnly.default).toBe(false);
		expect(props.scrapePrivateAccounts.default).toBe(true);
	});

	it('create has a title of at most 100 characters; reserve-preview has none', () => {
		const create = schemaOf(doc.components.schemas!.CreateCampaignRequest);
		const preview = schemaOf(doc.components.schemas!.ReservePreviewRequest);
		expect(create.properties.title.maxLength).toBe(LIMITS.titleMaxLength);
		expect(preview.properties).not.toHaveProperty('title');
		expect(create.additionalProperties).toBe(false);
		expect(preview.additionalProperties).toBe(false);
		// Same settings otherwise (the reference: "send the same ... values to POST /campaigns").
		expect(Object.keys(preview.properties).sort()).toEqual(
			Object.keys(create.properties)
				.filter((k) => k !== 'title')
				.sort(),
		);
	});

	it('the reference examples pass both the schema and the rules table', () => {
		expect(
			validateCampaignRequest(REFERENCE_EXAMPLES.reservePreview, { operation: 'preview' }),
		).toEqual([]);
		expect(validateCampaignRequest(REFERENCE_EXAMPLES.create, { operation: 'create' })).toEqual([]);
	});
});

describe('sandbox OpenAPI contract: request bodies', () => {
	// Compiled in beforeAll, so a schema that does not compile fails these tests, not the whole file.
	let preview: ValidateFunction;
	let create: ValidateFunction;
	let stop: ValidateFunction;
	let validationJob: ValidateFunction;
	let listExport: ValidateFunction;
	beforeAll(() => {
		preview = requestBodyValidator('previewCampaignCost');
		create = requestBodyValidator('createCampaign');
		stop = requestBodyValidator('stopCampaign');
		validationJob = requestBodyValidator('createValidationJob');
		listExport = requestBodyValidator('createListExport');
	});

	it('accepts the documented example requests of the reference', () => {
		expect(errorsOf(preview, REFERENCE_EXAMPLES.reservePreview)).toBe('');
		expect(errorsOf(create, REFERENCE_EXAMPLES.create)).toBe('');
		expect(errorsOf(stop, REFERENCE_EXAMPLES.stop)).toBe('');
		expect(errorsOf(validationJob, REFERENCE_EXAMPLES.validationJob)).toBe('');
		expect(errorsOf(listExport, REFERENCE_EXAMPLES.listExport)).toBe('');
	});

	it('accepts other documented shapes (maps search, profile list, keywords, dateRange, empty stop)', () => {
		expect(
			errorsOf(create, {
				type: 'GOOGLE_MAPS_SEARCH',
				inputs: { query: 'coffee roasters', country: 'DE', lat: 52.52, lng: 13.405, zoom: 14 },
				targetEmails: 100,
			}),
		).toBe('');
		expect(
			errorsOf(create, {
				type: 'INSTAGRAM_PROFILE_LIST',
				inputs: { profileTargets: ['natgeo', 'https://instagram.com/nasa'] },
			}),
		).toBe('');
		expect(
			errorsOf(preview, {
				type: 'YOUTUBE_CHANNEL_SEARCH',
				inputs: {
					keywords: ['home barista', 'latte art'],
					youtubeDiscoverySource: 'video',
					countries: ['US', 'GB'],
					followerFilter: { min: 1000, max: 50000 },
				},
				targetEmails: 200,
				enableDeepEmailSearch: true,
			}),
		).toBe('');
		expect(
			errorsOf(listExport, {
				campaignId: 'cmp_1',
				fileFormat: 'xlsx',
				dateRange: { from: '2024-06-01', to: '2024-06-30' },
			}),
		).toBe('');
		expect(errorsOf(stop, {})).toBe('');
	});

	it.each<[string, unknown]>([
		['a title (create-only)', { ...REFERENCE_EXAMPLES.reservePreview, title: 'x' }],
		['an unknown top-level field', { ...REFERENCE_EXAMPLES.reservePreview, priority: 'high' }],
		['no type', { inputs: { hashtag: 'coffee' }, targetEmails: 10 }],
		['no inputs', { type: 'INSTAGRAM_HASHTAG', targetEmails: 10 }],
		['an unknown campaign type', { type: 'PINTEREST_BOARD', inputs: {}, targetEmails: 10 }],
		[
			'a backend-controlled input (lang)',
			{
				type: 'GOOGLE_MAPS_SEARCH',
				inputs: { query: 'cafe', country: 'DE', lat: 1, lng: 1, lang: 'de' },
				targetEmails: 10,
			},
		],
		[
			'21 hashtags',
			{
				type: 'INSTAGRAM_HASHTAG',
				inputs: { hashtags: Array.from({ length: 21 }, (_, i) => `tag${i}`) },
				targetEmails: 10,
			},
		],
		[
			'a hashtag of 101 characters',
			{ type: 'INSTAGRAM_HASHTAG', inputs: { hashtag: 'h'.repeat(101) }, targetEmails: 10 },
		],
		[
			'a one-character keyword',
			{ type: 'TIKTOK_SEARCH_USERS', inputs: { keywords: ['a'] }, targetEmails: 10 },
		],
		[
			'a mediaUrl that is not a URI',
			{ type: 'X_RETWEETS', inputs: { mediaUrl: 'not a url' }, targetEmails: 10 },
		],
		[
			'10001 profile targets',
			{
				type: 'INSTAGRAM_PROFILE_LIST',
				inputs: { profileTargets: Array.from({ length: 10001 }, (_, i) => `p${i}`) },
			},
		],
		[
			'a three-letter country',
			{
				type: 'GOOGLE_MAPS_SEARCH',
				inputs: { query: 'cafe', country: 'DEU', lat: 1, lng: 1 },
				targetEmails: 10,
			},
		],
		[
			'11 countries',
			{
				type: 'X_FOLLOWERS',
				inputs: { targetUser: 'jack', countries: Array(11).fill('US') },
				targetEmails: 10,
			},
		],
		[
			'zoom 22',
			{
				type: 'GOOGLE_MAPS_SEARCH',
				inputs: { query: 'cafe', country: 'DE', lat: 1, lng: 1, zoom: 22 },
				targetEmails: 10,
			},
		],
		[
			'zoom 0',
			{
				type: 'GOOGLE_MAPS_SEARCH',
				inputs: { query: 'cafe', country: 'DE', lat: 1, lng: 1, zoom: 0 },
				targetEmails: 10,
			},
		],
		[
			'a fractional zoom',
			{
				type: 'GOOGLE_MAPS_SEARCH',
				inputs: { query: 'cafe', country: 'DE', lat: 1, lng: 1, zoom: 12.5 },
				targetEmails: 10,
			},
		],
		[
			'youtubeDiscoverySource "playlist"',
			{
				type: 'YOUTUBE_CHANNEL_SEARCH',
				inputs: { keyword: 'coffee', youtubeDiscoverySource: 'playlist' },
				targetEmails: 10,
			},
		],
		[
			'an unknown followerFilter field',
			{
				type: 'X_FOLLOWERS',
				inputs: { targetUser: 'jack', followerFilter: { minimum: 5 } },
				targetEmails: 10,
			},
		],
		['maxCreditCap 0', { ...REFERENCE_EXAMPLES.reservePreview, maxCreditCap: 0 }],
		['a fractional targetEmails', { ...REFERENCE_EXAMPLES.reservePreview, targetEmails: 10.5 }],
		['a string flag', { ...REFERENCE_EXAMPLES.reservePreview, enableEmailValidation: 'yes' }],
	])('reserve-preview refuses %s', (_label, body) => {
		expect(preview(body)).toBe(false);
	});

	it('create refuses a title of 101 characters', () => {
		expect(create({ ...REFERENCE_EXAMPLES.create, title: 't'.repeat(100) })).toBe(true);
		expect(create({ ...REFERENCE_EXAMPLES.create, title: 't'.repeat(101) })).toBe(false);
	});

	it('stop refuses a reason over 500 characters and unknown fields', () => {
		expect(stop({ reason: 'r'.repeat(500) })).toBe(true);
		expect(stop({ reason: 'r'.repeat(501) })).toBe(false);
		expect(stop({ why: 'done' })).toBe(false);
		expect(op('stopCampaign').requestBody).toMatchObject({ required: false });
	});

	it('validation jobs take 1 to 5000 emails', () => {
		expect(validationJob({ emails: [] })).toBe(false);
		expect(
			validationJob({ emails: Array.from({ length: 5000 }, (_, i) => `u${i}@example.com`) }),
		).toBe(true);
		expect(
			validationJob({ emails: Array.from({ length: 5001 }, (_, i) => `u${i}@example.com`) }),
		).toBe(false);
		// Duplicates are removed by the service, not refused.
		expect(validationJob({ emails: ['A@example.com', 'a@example.com'] })).toBe(true);
		expect(validationJob({})).toBe(false);
	});

	it('list exports need a campaignId, a known format and a URI webhook', () => {
		expect(listExport({ fileFormat: 'csv' })).toBe(false);
		expect(listExport({ campaignId: 'cmp_1', fileFormat: 'pdf' })).toBe(false);
		expect(listExport({ campaignId: 'cmp_1', webhookUrl: 'hooks example' })).toBe(false);
		expect(listExport({ campaignId: 'cmp_1', dateRange: { since: '2024-01-01' } })).toBe(false);
		const props = schemaOf(doc.components.schemas!.CreateListExportRequest).properties;
		expect(props.fileFormat.default).toBe('csv');
		expect(props.dedupeByEmail.default).toBe(true);
		for (const flag of ['emailOnly', 'onlyValidEmails', 'includeAIVerified'])
			expect(props[flag].default).toBe(false);
	});
});

describe('sandbox OpenAPI contract: parameters', () => {
	const PAGED = ['listCampaigns', 'listCampaignLeads', 'listListExports', 'listCreditTransactions'];

	// The reference states a default (10) and no maximum: the cap is a sandbox reading (readings.test.ts).
	it.each(PAGED)(
		'%s pages with page/perPage (perPage >= 1, no documented maximum, default 10)',
		(operationId) => {
			expect(param(operationId, 'page').schema).toMatchObject({
				type: 'integer',
				minimum: 1,
				default: 1,
			});
			expect(param(operationId, 'perPage').schema).toMatchObject({
				type: 'integer',
				minimum: 1,
				default: 10,
			});
			expect(param(operationId, 'perPage').schema.maximum).toBeUndefined();
			expect(params(operationId).some((p) => p.name === 'limit')).toBe(false);
		},
	);

	it('validation jobs page with page/limit (limit >= 1, no documented maximum, default 10)', () => {
		expect(param('listValidationJobs', 'page').schema).toMatchObject({
			type: 'integer',
			minimum: 1,
			default: 1,
		});
		expect(param('listValidationJobs', 'limit').schema).toMatchObject({
			type: 'integer',
			minimum: 1,
			default: 10,
		});
		expect(param('listValidationJobs', 'limit').schema.maximum).toBeUndefined();
		expect(params('listValidationJobs').some((p) => p.name === 'perPage')).toBe(false);
	});

	it('perPage 0 and page 0 are off the contract; any perPage >= 1 is on it', () => {
		const perPage = ajv.compile(param('listCampaigns', 'perPage').schema);
		expect(perPage(100)).toBe(true);
		expect(perPage(1000)).toBe(true);
		expect(perPage(0)).toBe(false);
		expect(ajv.validate(param('listCampaigns', 'page').schema, 0)).toBe(false);
	});

	it('sorts, orders and filters carry the documented enums and defaults', () => {
		const enumOf = (id: string, name: string) => schemaOf(param(id, name).schema);
		expect(enumOf('listCampaigns', 'sortBy')).toMatchObject({
			enum: ['createdAt', 'progress', 'status'],
			default: 'createdAt',
		});
		expect(enumOf('listCampaigns', 'status').enum).toEqual([
			'pending',
			'scraping',
			'scraping_completed',
			'processing_emails',
			'fully_completed',
			'failed',
			'stopped',
		]);
		expect(enumOf('listCampaignLeads', 'sortBy')).toMatchObject({
			enum: ['hasEmail', 'followerCount', 'scrapedAt'],
			default: 'hasEmail',
		});
		expect(enumOf('listCampaignLeads', 'validationStatus').enum).toEqual([
			'valid',
			'invalid',
			'pending',
		]);
		expect(enumOf('listCampaignLeads', 'hasEmail').type).toBe('boolean');
		expect(enumOf('listValidationJobs', 'sortBy')).toMatchObject({
			enum: ['createdAt', 'completedAt'],
			default: 'createdAt',
		});
		expect(enumOf('listValidationJobs', 'status').enum).toEqual([
			'pending',
			'queued',
			'processing',
			'completed',
			'failed',
			'cancelled',
		]);
		expect(enumOf('listListExports', 'sortBy')).toMatchObject({
			enum: ['createdAt', 'completedAt', 'status'],
			default: 'createdAt',
		});
		expect(enumOf('listListExports', 'status').enum).toEqual([
			'pending',
			'processing',
			'completed',
			'failed',
		]);
		expect(enumOf('listCreditTransactions', 'sortBy')).toMatchObject({
			enum: ['timestamp', 'amount'],
			default: 'timestamp',
		});
		for (const id of [...PAGED, 'listValidationJobs']) {
			expect(enumOf(id, 'order')).toMatchObject({ enum: ['asc', 'desc'], default: 'desc' });
		}
		expect(
			params('listCampaigns')
				.map((p) => p.name)
				.sort(),
		).toEqual(
			[
				'X-Workspace-Id',
				'from',
				'order',
				'page',
				'perPage',
				'q',
				'sortBy',
				'status',
				'to',
				'type',
			].sort(),
		);
		expect(
			params('listCampaignLeads')
				.map((p) => p.name)
				.sort(),
		).toEqual(
			[
				'X-Workspace-Id',
				'emailSource',
				'hasEmail',
				'id',
				'order',
				'page',
				'perPage',
				'platform',
				'sortBy',
				'sourceType',
				'validationStatus',
			].sort(),
		);
		expect(
			params('listValidationJobs')
				.map((p) => p.name)
				.sort(),
		).toEqual(
			[
				'X-Workspace-Id',
				'from',
				'limit',
				'order',
				'page',
				'provider',
				'sortBy',
				'status',
				'to',
			].sort(),
		);
		expect(
			params('listListExports')
				.map((p) => p.name)
				.sort(),
		).toEqual(
			['X-Workspace-Id', 'campaignId', 'order', 'page', 'perPage', 'sortBy', 'status'].sort(),
		);
		expect(
			params('listCreditTransactions')
				.map((p) => p.name)
				.sort(),
		).toEqual(['campaignId', 'from', 'order', 'page', 'perPage', 'sortBy', 'to', 'type'].sort());
	});

	it('X-Workspace-Id is an optional header everywhere it is supported, and absent from the account-scoped and public routes', () => {
		for (const route of routes) {
			const header = params(route.operationId).find((p) => p.name === 'X-Workspace-Id');
			if (
				route.operationId === 'listCreditTransactions' ||
				route.operationId === 'followListExportDownload'
			) {
				expect(header).toBeUndefined();
			} else {
				expect(header).toMatchObject({ in: 'header', required: false });
			}
		}
	});
});

describe('sandbox OpenAPI contract: responses', () => {
	const SUCCESS: Record<string, string[]> = {
		getAccount: ['200'],
		previewCampaignCost: ['200'],
		createCampaign: ['201'],
		listCampaigns: ['200'],
		getExportSchemas: ['200'],
		getCampaign: ['200'],
		listCampaignLeads: ['200'],
		stopCampaign: ['200'],
		previewCampaignValidation: ['200'],
		startCampaignValidation: ['202'],
		createValidationJob: ['201'],
		listValidationJobs: ['200'],
		getValidationJob: ['200'],
		createListExport: ['200', '201'],
		listListExports: ['200'],
		getListExport: ['200'],
		getListExportDownloadUrl: ['200'],
		followListExportDownload: ['302', '304'],
		listCreditTransactions: ['200'],
	};

	it('each route answers the documented success statuses', () => {
		for (const route of routes) {
			const successes = Object.keys(route.operation.responses)
				.filter((s) => s.startsWith('2') || s.startsWith('3'))
				.sort();
			expect([route.operationId, successes]).toEqual([
				route.operationId,
				SUCCESS[route.operationId],
			]);
		}
	});

	/** Top-level required keys of each success body: wrapped `{ success, data, requestId }` or not. */
	const TOP_LEVEL: Record<string, string[]> = {
		getAccount: [
			'id',
			'email',
			'name',
			'shouldMaskEmail',
			'emailRevealUsage',
			'credits',
			'subscription',
			'workspace',
		],
		previewCampaignCost: ['success', 'data', 'requestId'],
		createCampaign: ['campaign'],
		listCampaigns: ['items', 'pagination'],
		getExportSchemas: ['success', 'data', 'requestId'],
		getCampaign: ['campaign'],
		listCampaignLeads: ['items', 'pagination'],
		stopCampaign: ['campaignId', 'stopRequested', 'status', 'stoppedReason'],
		previewCampaignValidation: [
			'campaignId',
			'emailsToValidate',
			'creditCost',
			'currentBalance',
			'hasSufficientCredits',
			'canValidate',
		],
		startCampaignValidation: [
			'campaignId',
			'jobId',
			'emailsToValidate',
			'creditCost',
			'status',
			'requestId',
		],
		createValidationJob: ['success', 'data', 'requestId'],
		listValidationJobs: ['success', 'data', 'requestId'],
		getValidationJob: ['success', 'data', 'requestId'],
		createListExport: ['success', 'data', 'requestId'],
		listListExports: ['success', 'data', 'requestId'],
		getListExport: ['success', 'data', 'requestId'],
		getListExportDownloadUrl: ['success', 'data', 'requestId'],
		listCreditTransactions: ['transactions', 'pagination', 'requestId'],
	};

	it.each(Object.entries(TOP_LEVEL))(
		'%s has the documented top-level shape (wrapped or not)',
		(operationId, keys) => {
			for (const status of SUCCESS[operationId]) {
				const schema = jsonSchemaOfResponse(operationId, status);
				expect(schema.type).toBe('object');
				expect([...schema.required].sort()).toEqual([...keys].sort());
				expect(Object.keys(schema.properties).sort()).toEqual([...keys].sort());
				expect(schema.additionalProperties).toBe(false);
			}
		},
	);

	it('the page envelopes: pagination{totalCount,totalPages,currentPage,perPage}, and total/page/pages for validation jobs', () => {
		const pagination = schemaOf(doc.components.schemas!.Pagination);
		expect(pagination.required.sort()).toEqual([
			'currentPage',
			'perPage',
			'totalCount',
			'totalPages',
		]);
		for (const id of ['listCampaigns', 'listCampaignLeads', 'listCreditTransactions']) {
			expect(jsonSchemaOfResponse(id, '200').properties.pagination).toEqual({
				$ref: '#/components/schemas/Pagination',
			});
		}
		expect(
			jsonSchemaOfResponse('listListExports', '200').properties.data.properties.pagination,
		).toEqual({ $ref: '#/components/schemas/Pagination' });
		const jobsPage = jsonSchemaOfResponse('listValidationJobs', '200').properties.data;
		expect(jobsPage.required.sort()).toEqual(['jobs', 'page', 'pages', 'total']);
	});

	it('every error response is the shared error object; 429s carry Retry-After', () => {
		let count = 0;
		for (const route of routes) {
			for (const [status, res] of Object.entries(route.operation.responses)) {
				if (!/^[45]/.test(status)) continue;
				const resolved = resolveRef<ResponseObject>(res);
				expect([route.operationId, status, resolved.content?.['application/json']?.schema]).toEqual(
					[route.operationId, status, { $ref: '#/components/schemas/Error' }],
				);
				if (status === '429')
					expect(resolved.headers?.['Retry-After']).toMatchObject({
						required: true,
						schema: { type: 'integer' },
					});
				count++;
			}
			expect(route.operation.responses).toHaveProperty('500');
		}
		expect(count).toBeGreaterThan(60);
	});

	it('the error object is { message, code, errors: [{ param, msg, location }], requestId }', () => {
		const validate = componentValidator('Error');
		expect(
			errorsOf(validate, {
				message: 'Validation failed',
				code: 'VALIDATION_ERROR',
				errors: [
					{
						param: 'inputs.hashtag',
						msg: 'Hashtag is required for INSTAGRAM_HASHTAG campaigns',
						location: 'body',
					},
				],
				requestId: 'req_abc123',
			}),
		).toBe('');
		expect(
			validate({
				message: 'Validation failed',
				code: 'VALIDATION_ERROR',
				errors: [{ field: 'x', msg: 'y', location: 'body' }],
				requestId: 'r',
			}),
		).toBe(false);
		expect(validate({ message: 'Nope', code: 'UNAUTHORIZED', errors: [] })).toBe(false);
	});

	it('status codes: 404 on resource routes, 409 on validate, 400/401/403 where they apply', () => {
		for (const id of [
			'getCampaign',
			'listCampaignLeads',
			'stopCampaign',
			'previewCampaignValidation',
			'startCampaignValidation',
			'getValidationJob',
			'getListExport',
			'getListExportDownloadUrl',
			'followListExportDownload',
		]) {
			expect(op(id).responses).toHaveProperty('404');
		}
		expect(op('startCampaignValidation').responses).toHaveProperty('409');
		for (const route of routes) {
			if (route.operationId !== 'followListExportDownload') {
				expect(route.operation.responses).toHaveProperty('401');
				expect(route.operation.responses).toHaveProperty('403');
			}
			if (route.operation.requestBody || params(route.operationId).some((p) => p.in === 'query')) {
				expect([route.operationId, route.operation.responses['400']]).toEqual([
					route.operationId,
					expect.anything(),
				]);
			}
		}
		const redirect = response('followListExportDownload', '302');
		expect(redirect.headers?.Location).toMatchObject({ required: true });
		expect(response('followListExportDownload', '304').content).toBeUndefined();
	});

	it('nullable fields take null (3.1 style) and documented shapes validate', () => {
		const campaign = {
			id: 'cmp_1',
			title: 'June',
			type: 'INSTAGRAM_HASHTAG',
			status: 'pending',
			inputs: { hashtags: ['a'] },
			targetEmails: null,
			targetMode: 'ITEM_LIMIT',
			maxCreditCap: null,
			progressPercentage: 0,
			emailCount: 0,
			profileCount: 0,
			enableEmailValidation: false,
			enableDeepEmailSearch: false,
			createdAt: '2024-06-01T10:00:00.000Z',
			updatedAt: '2024-06-01T10:00:00.000Z',
			finishedAt: null,
		};
		expect(errorsOf(componentValidator('Campaign'), campaign)).toBe('');
		expect(componentValidator('Campaign')({ ...campaign, status: 'running' })).toBe(false);
		expect(componentValidator('Campaign')({ ...campaign, postValidation: null })).toBe(false);
		expect(
			errorsOf(componentValidator('CampaignDetail'), { ...campaign, postValidation: null }),
		).toBe('');
		expect(
			errorsOf(componentValidator('CampaignDetail'), {
				...campaign,
				postValidation: { status: 'running', total: 3, validated: 1, valid: 1, invalid: 0 },
			}),
		).toBe('');

		const lead = {
			id: 'lead_1',
			campaignId: 'cmp_1',
			platform: 'instagram',
			sourceType: 'hashtag',
			email: null,
			emailMasked: false,
			emailRevealed: false,
			canRevealEmail: false,
			emailSource: null,
			username: null,
			fullName: null,
			biography: null,
			externalUrl: null,
			phoneNumber: null,
			followerCount: null,
			followingCount: null,
			mediaCount: null,
			isPrivate: null,
			isVerified: null,
			isBusiness: null,
			country: null,
			emailValidation: null,
			scrapedAt: '2024-06-01T10:00:00Z',
		};
		expect(errorsOf(componentValidator('Lead'), lead)).toBe('');
		expect(
			errorsOf(componentValidator('Lead'), {
				...lead,
				email: 'j***@example.com',
				emailMasked: true,
			}),
		).toBe('');
		expect(componentValidator('Lead')({ ...lead, platform: 'myspace' })).toBe(false);
		const { country: _country, ...withoutCountry } = lead;
		expect(componentValidator('Lead')(withoutCountry)).toBe(false);

		const transaction = {
			id: 'tx_1',
			timestamp: '2024-06-01T10:00:00Z',
			balanceBefore: 1000,
			amount: -250,
			balanceAfter: 750,
			type: 'reserve',
			description: 'Credits reserved',
			campaignId: 'cmp_1',
			createdAt: '2024-06-01T10:00:00Z',
			details: {
				kind: 'reserve',
				reservedCredits: 250,
				usedCredits: null,
				returnedCredits: null,
				amountPaid: null,
				method: null,
			},
		};
		expect(errorsOf(componentValidator('CreditTransaction'), transaction)).toBe('');
		expect(
			errorsOf(componentValidator('CreditTransaction'), { ...transaction, details: null }),
		).toBe('');
		expect(
			componentValidator('CreditTransaction')({
				...transaction,
				details: { ...transaction.details, method: 'paypal' },
			}),
		).toBe(false);

		const preview = schemaOf(doc.components.schemas!.ReservePreview);
		expect(preview.properties.targetEmails.type).toEqual(['integer', 'null']);
		expect(
			schemaOf(doc.components.schemas!.ReservePreviewSummary).properties.publicEmailRate.type,
		).toEqual(['object', 'null']);
	});

	it('export summaries, validation jobs and the download URL carry their documented fields', () => {
		expect(schemaOf(doc.components.schemas!.ListExport).required.sort()).toEqual(
			[
				'completedAt',
				'campaignId',
				'createdAt',
				'exportId',
				'fileFormat',
				'filename',
				'progress',
				'status',
				'totalRecords',
			].sort(),
		);
		expect(schemaOf(doc.components.schemas!.ValidationJob).required.sort()).toEqual(
			[
				'completedAt',
				'createdAt',
				'downloadUrl',
				'invalidCount',
				'jobId',
				'processedCount',
				'status',
				'totalEmails',
				'validCount',
			].sort(),
		);
		const download = jsonSchemaOfResponse('getListExportDownloadUrl', '200').properties.data;
		expect(download.properties.downloadUrl).toMatchObject({ type: 'string', format: 'uri' });
		expect(download.required.sort()).toEqual(['downloadUrl', 'filename']);
	});
});

describe('sandbox OpenAPI contract: auth, permissions and rate limits', () => {
	it('x-scravio-permission follows the endpoint cards', () => {
		const expected: Record<string, string | undefined> = {
			getAccount: undefined,
			previewCampaignCost: 'create_campaign',
			createCampaign: 'create_campaign',
			listCampaigns: 'view_campaign',
			getExportSchemas: 'create_campaign',
			getCampaign: 'view_campaign',
			listCampaignLeads: 'view_campaign',
			stopCampaign: 'create_campaign',
			previewCampaignValidation: 'create_campaign',
			startCampaignValidation: 'create_campaign',
			createValidationJob: undefined,
			listValidationJobs: undefined,
			getValidationJob: undefined,
			createListExport: 'export_results',
			listListExports: 'export_results',
			getListExport: 'export_results',
			getListExportDownloadUrl: 'export_results',
			followListExportDownload: undefined,
			listCreditTransactions: undefined,
		};
		const actual = Object.fromEntries(
			routes.map((r) => [r.operationId, r.operation['x-scravio-permission']]),
		);
		expect(actual).toEqual(expected);
	});

	it('account-scoped keys only on the validation-job routes and GET /credit-transactions', () => {
		const strict = routes
			.filter((r) => r.operation['x-scravio-auth']?.accountScopedKeysOnly)
			.map((r) => r.operationId)
			.sort();
		expect(strict).toEqual([
			'createValidationJob',
			'getValidationJob',
			'listCreditTransactions',
			'listValidationJobs',
		]);
		expect(op('listCreditTransactions')['x-scravio-auth']).toMatchObject({ accountScoped: true });
	});

	it('the download redirect is public, with optional Bearer only, and never takes X-API-Key', () => {
		const download = op('followListExportDownload');
		expect(download.security).toEqual([{}, { bearerAuth: [] }]);
		expect(JSON.stringify(download.security)).not.toContain('apiKeyAuth');
		expect(download['x-scravio-auth']).toMatchObject({
			public: true,
			optionalAuth: 'bearer',
			rejectApiKey: true,
		});
		expect(
			params('followListExportDownload').some((p) => p.name.toLowerCase() === 'x-api-key'),
		).toBe(false);
		// Every other route uses the document-level security (X-API-Key or Bearer).
		for (const route of routes)
			if (route.operationId !== 'followListExportDownload')
				expect(route.operation.security).toBeUndefined();
	});

	it('the four documented rate limits, each with a 429', () => {
		const limited = Object.fromEntries(
			routes
				.filter((r) => r.operation['x-scravio-rate-limit'])
				.map((r) => [r.operationId, r.operation['x-scravio-rate-limit']]),
		);
		expect(limited).toEqual({
			stopCampaign: { limit: 5, windowSeconds: 60, scope: 'campaign' },
			startCampaignValidation: { limit: 3, windowSeconds: 60, scope: 'campaign' },
			createValidationJob: { limit: 3, windowSeconds: 3600, scope: 'account' },
			createListExport: { limit: 5, windowSeconds: 3600, scope: 'account' },
		});
		for (const route of routes) {
			expect([route.operationId, '429' in route.operation.responses]).toEqual([
				route.operationId,
				route.operationId in limited,
			]);
		}
	});

	it('the campaign rules run on create and reserve-preview', () => {
		expect(op('createCampaign')['x-scravio-campaign-rules']).toBe('create');
		expect(op('previewCampaignCost')['x-scravio-campaign-rules']).toBe('preview');
	});
});
