/**
 * The sandbox's contract: `sandbox/openapi.yaml`, an OpenAPI 3.1 description of the 19 routes of
 * the Scravio API reference v1.1.0. The server validates every request against it.
 *
 * Notes for users of the document:
 * - Schemas are JSON Schema draft 2020-12 (OpenAPI 3.1): use `ajv/dist/2020` plus `ajv-formats`.
 *   `$ref`s are local (`#/components/...`): register the whole document (or `components`) with
 *   Ajv under one `$id` and compile `{ $ref: '<id>#/components/schemas/X' }`, or any JSON pointer.
 * - Query parameters arrive as strings: coerce (`page`, `perPage`, `limit`, `hasEmail`).
 * - Do not apply request-schema `default`s to request bodies (Ajv `useDefaults`): an injected
 *   `inputs.zoom` would make the campaign rules reject a valid body.
 * - Extensions: `x-scravio-permission` (create_campaign | view_campaign | export_results),
 *   `x-scravio-rate-limit` ({ limit, windowSeconds, scope: campaign | account }),
 *   `x-scravio-auth` ({ accountScopedKeysOnly?, accountScoped?, public?, optionalAuth?, rejectApiKey? }),
 *   `x-scravio-campaign-rules` (create | preview: run `validateCampaignRequest` from
 *   nodes/api/campaignRules.ts on the body).
 */
import { readFileSync } from 'fs';
import path from 'path';
import { parse } from 'yaml';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A JSON Schema (draft 2020-12) as written in the document. */
export type JsonSchema = Record<string, unknown>;

export interface ReferenceObject {
	$ref: string;
}

export interface ParameterObject {
	name: string;
	in: 'path' | 'query' | 'header' | 'cookie';
	required?: boolean;
	description?: string;
	schema: JsonSchema;
	example?: unknown;
}

export interface MediaTypeObject {
	schema?: JsonSchema;
	example?: unknown;
}

export interface RequestBodyObject {
	required?: boolean;
	description?: string;
	content: Record<string, MediaTypeObject>;
}

export interface HeaderObject {
	description?: string;
	required?: boolean;
	schema: JsonSchema;
}

export interface ResponseObject {
	description: string;
	headers?: Record<string, HeaderObject>;
	content?: Record<string, MediaTypeObject>;
}

export interface RateLimitExtension {
	limit: number;
	windowSeconds: number;
	scope: 'campaign' | 'account';
}

export interface AuthExtension {
	/** Workspace-bound API keys are refused with 403. */
	accountScopedKeysOnly?: boolean;
	/** The route has no workspace context (GET /credit-transactions): X-Workspace-Id is not part of it. */
	accountScoped?: boolean;
	/** No credentials needed. */
	public?: boolean;
	/** The only credential the route may take, optionally. */
	optionalAuth?: 'bearer';
	/** A request carrying X-API-Key is refused (401). */
	rejectApiKey?: boolean;
}

export type Permission = 'create_campaign' | 'view_campaign' | 'export_results';

export type SecurityRequirement = Record<string, string[]>;

export interface OperationObject {
	operationId: string;
	summary?: string;
	description?: string;
	tags?: string[];
	parameters?: Array<ParameterObject | ReferenceObject>;
	requestBody?: RequestBodyObject | ReferenceObject;
	responses: Record<string, ResponseObject | ReferenceObject>;
	security?: SecurityRequirement[];
	'x-scravio-permission'?: Permission;
	'x-scravio-rate-limit'?: RateLimitExtension;
	'x-scravio-auth'?: AuthExtension;
	'x-scravio-campaign-rules'?: 'create' | 'preview';
}

export type PathItemObject = Partial<Record<Lowercase<HttpMethod>, OperationObject>>;

export interface OpenAPIDocument {
	openapi: string;
	jsonSchemaDialect?: string;
	info: { title: string; version: string; summary?: string; description?: string };
	servers: Array<{ url: string; description?: string }>;
	security?: SecurityRequirement[];
	tags?: Array<{ name: string; description?: string }>;
	paths: Record<string, PathItemObject>;
	components: {
		securitySchemes?: Record<string, Record<string, unknown>>;
		parameters?: Record<string, ParameterObject>;
		responses?: Record<string, ResponseObject>;
		schemas?: Record<string, JsonSchema>;
	};
}

export interface ContractRoute {
	method: HttpMethod;
	/** OpenAPI path, relative to the `/api` base: `/campaigns/{id}`. */
	path: string;
	/** The same path in Fastify / find-my-way syntax: `/campaigns/:id`. */
	fastifyPath: string;
	operationId: string;
	operation: OperationObject;
}

export const CONTRACT_PATH = path.join(__dirname, '..', 'openapi.yaml');

const HTTP_METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

let cached: OpenAPIDocument | undefined;

/** The parsed contract, read once. Treat it as read-only: every caller shares the object. */
export function loadContract(): OpenAPIDocument {
	if (!cached) cached = parse(readFileSync(CONTRACT_PATH, 'utf8')) as OpenAPIDocument;
	return cached;
}

/** Every route of the contract, in document order. */
export function contractRoutes(): ContractRoute[] {
	const doc = loadContract();
	const routes: ContractRoute[] = [];
	for (const [routePath, item] of Object.entries(doc.paths)) {
		for (const method of HTTP_METHODS) {
			const operation = item[method.toLowerCase() as Lowercase<HttpMethod>];
			if (!operation) continue;
			routes.push({
				method,
				path: routePath,
				fastifyPath: routePath.replace(/\{([^}]+)\}/g, ':$1'),
				operationId: operation.operationId,
				operation,
			});
		}
	}
	return routes;
}

/** Follows a local `$ref` (`#/components/...`) to the object it names; other values pass through. */
export function resolveRef<T>(value: T | ReferenceObject): T {
	let current: unknown = value;
	const seen = new Set<string>();
	while (
		current &&
		typeof current === 'object' &&
		typeof (current as ReferenceObject).$ref === 'string'
	) {
		const ref = (current as ReferenceObject).$ref;
		if (seen.has(ref)) throw new Error(`Circular $ref ${ref}`);
		seen.add(ref);
		current = resolvePointer(loadContract(), ref);
	}
	return current as T;
}

function resolvePointer(doc: unknown, ref: string): unknown {
	if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported: ${ref}`);
	let node: unknown = doc;
	for (const raw of ref.slice(2).split('/')) {
		const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
		if (!node || typeof node !== 'object' || !(key in node))
			throw new Error(`Unresolved $ref ${ref}`);
		node = (node as Record<string, unknown>)[key];
	}
	return node;
}
