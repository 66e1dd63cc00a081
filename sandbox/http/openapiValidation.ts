/**
 * Request validation from sandbox/openapi.yaml: for each operation, Ajv (JSON Schema 2020-12)
 * validators of its path, query and header parameters and its JSON body, and the mapping of Ajv
 * errors to the API's { param, msg, location } entries. Tests reuse `responseValidator` to check
 * response bodies against the same document.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import {
	contractRoutes,
	loadContract,
	type ContractRoute,
	type ParameterObject,
	type ReferenceObject,
	type RequestBodyObject,
} from './contract';
import type { ErrorLocation, FieldError } from './errors';

const CONTRACT_ID = 'scravio-contract';

function newAjv(coerce: boolean): Ajv2020 {
	const ajv = new Ajv2020({
		strict: false,
		allErrors: true,
		coerceTypes: coerce,
		useDefaults: false,
		validateSchema: false,
	});
	addFormats(ajv);
	ajv.addSchema(loadContract() as unknown as object, CONTRACT_ID);
	return ajv;
}

/** JSON pointer escaping of one segment. */
const esc = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

function pointerOf(route: ContractRoute, ...segments: Array<string | number>): string {
	return `${CONTRACT_ID}#/paths/${esc(route.path)}/${route.method.toLowerCase()}/${segments.map((s) => esc(String(s))).join('/')}`;
}

function resolveLocal<T>(value: T | ReferenceObject): { value: T; pointer: string | null } {
	const ref = (value as ReferenceObject).$ref;
	if (typeof ref !== 'string') return { value: value as T, pointer: null };
	let node: unknown = loadContract();
	for (const raw of ref.slice(2).split('/'))
		node = (node as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
	return { value: node as T, pointer: `${CONTRACT_ID}${ref}` };
}

interface HeaderValidator {
	name: string;
	required: boolean;
	validate: ValidateFunction;
}

interface OperationValidators {
	params: ValidateFunction | null;
	query: ValidateFunction | null;
	headers: HeaderValidator[];
	body: ValidateFunction | null;
	bodyRequired: boolean;
}

/** "/inputs/hashtags/2" -> "inputs.hashtags[2]" */
export function toParam(instancePath: string): string {
	let param = '';
	for (const raw of instancePath.split('/').slice(1)) {
		const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		if (/^\d+$/.test(segment)) param += `[${segment}]`;
		else param += param === '' ? segment : `.${segment}`;
	}
	return param;
}

export function ajvErrorsToFields(
	errors: ErrorObject[] | null | undefined,
	location: ErrorLocation,
	rootName?: string,
): FieldError[] {
	const fields: FieldError[] = [];
	const seen = new Set<string>();
	for (const error of errors ?? []) {
		let path = error.instancePath;
		let msg: string;
		if (error.keyword === 'required') {
			path += `/${(error.params as { missingProperty: string }).missingProperty}`;
			msg = 'is required';
		} else if (error.keyword === 'additionalProperties') {
			path += `/${(error.params as { additionalProperty: string }).additionalProperty}`;
			msg = 'is not a known field';
		} else if (error.keyword === 'enum') {
			msg = `must be one of: ${((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String).join(', ')}`;
		} else {
			msg = error.message ?? 'is invalid';
		}
		const param = toParam(path) || rootName || location;
		const key = `${param}|${msg}`;
		if (seen.has(key)) continue;
		seen.add(key);
		fields.push({ param, msg: `${param} ${msg}`, location });
	}
	return fields;
}

export class ContractValidator {
	private readonly strict = newAjv(false);
	private readonly coercing = newAjv(true);
	private readonly byOperation = new Map<string, OperationValidators>();
	readonly routes: ContractRoute[];

	constructor() {
		this.routes = contractRoutes();
		for (const route of this.routes) this.byOperation.set(route.operationId, this.compile(route));
	}

	private compile(route: ContractRoute): OperationValidators {
		const pathProps: Record<string, unknown> = {};
		const pathRequired: string[] = [];
		const queryProps: Record<string, unknown> = {};
		const queryRequired: string[] = [];
		const headers: HeaderValidator[] = [];
		(route.operation.parameters ?? []).forEach((raw, index) => {
			const { value: parameter, pointer } = resolveLocal<ParameterObject>(raw);
			const schemaRef = {
				$ref: pointer ? `${pointer}/schema` : pointerOf(route, 'parameters', index, 'schema'),
			};
			if (parameter.in === 'path') {
				pathProps[parameter.name] = schemaRef;
				pathRequired.push(parameter.name);
			} else if (parameter.in === 'query') {
				queryProps[parameter.name] = schemaRef;
				if (parameter.required) queryRequired.push(parameter.name);
			} else if (parameter.in === 'header') {
				headers.push({
					name: parameter.name,
					required: Boolean(parameter.required),
					validate: this.coercing.compile(schemaRef),
				});
			}
		});
		let body: ValidateFunction | null = null;
		let bodyRequired = false;
		if (route.operation.requestBody) {
			const { value: requestBody, pointer } = resolveLocal<RequestBodyObject>(
				route.operation.requestBody,
			);
			bodyRequired = Boolean(requestBody.required);
			if (requestBody.content['application/json']?.schema) {
				const ref = pointer
					? `${pointer}/content/application~1json/schema`
					: pointerOf(route, 'requestBody', 'content', 'application/json', 'schema');
				body = this.strict.compile({ $ref: ref });
			}
		}
		const objectSchema = (props: Record<string, unknown>, required: string[]) =>
			Object.keys(props).length === 0
				? null
				: this.coercing.compile({ type: 'object', properties: props, required });
		return {
			params: objectSchema(pathProps, pathRequired),
			query: objectSchema(queryProps, queryRequired),
			headers,
			body,
			bodyRequired,
		};
	}

	has(operationId: string): boolean {
		return this.byOperation.has(operationId);
	}

	/**
	 * Validates (and coerces query/params in place) a request. Returns field errors; empty = valid.
	 * `skipBody` is for routes whose body the campaign rules have already checked.
	 */
	validate(
		operationId: string,
		request: { params: unknown; query: unknown; headers: Record<string, unknown>; body: unknown },
		skipBody = false,
	): FieldError[] {
		const v = this.byOperation.get(operationId);
		if (!v) return [];
		const errors: FieldError[] = [];
		if (v.params && !v.params(request.params ?? {}))
			errors.push(...ajvErrorsToFields(v.params.errors, 'params'));
		if (v.query && !v.query(request.query ?? {}))
			errors.push(...ajvErrorsToFields(v.query.errors, 'query'));
		for (const header of v.headers) {
			const value = request.headers[header.name.toLowerCase()];
			if (value === undefined) {
				if (header.required)
					errors.push({
						param: header.name,
						msg: `${header.name} header is required`,
						location: 'headers',
					});
				continue;
			}
			if (!header.validate(value))
				errors.push(...ajvErrorsToFields(header.validate.errors, 'headers', header.name));
		}
		if (!skipBody) {
			if (request.body === undefined || request.body === null) {
				if (v.bodyRequired)
					errors.push({ param: 'body', msg: 'A JSON request body is required', location: 'body' });
			} else if (v.body && !v.body(request.body)) {
				errors.push(...ajvErrorsToFields(v.body.errors, 'body'));
			} else if (!v.body) {
				// The route takes no body (e.g. POST /campaigns/{id}/validate): ignore whatever came.
			}
		}
		return errors;
	}
}

/** Validator of one documented response body (for tests). */
export function responseValidator(operationId: string, status: number | string): ValidateFunction {
	const ajv = sharedResponseAjv ?? (sharedResponseAjv = newAjv(false));
	const route = contractRoutes().find((r) => r.operationId === operationId);
	if (!route) throw new Error(`Unknown operationId ${operationId}`);
	const response = route.operation.responses[String(status)];
	if (!response) throw new Error(`${operationId} documents no ${status} response`);
	const { value, pointer } = resolveLocal<{ content?: Record<string, { schema?: unknown }> }>(
		response as never,
	);
	if (!value.content?.['application/json']?.schema)
		throw new Error(`${operationId} ${status} has no JSON schema`);
	const ref = pointer
		? `${pointer}/content/application~1json/schema`
		: pointerOf(route, 'responses', String(status), 'content', 'application/json', 'schema');
	return ajv.compile({ $ref: ref });
}
let sharedResponseAjv: Ajv2020 | undefined;
