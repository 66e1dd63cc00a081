import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { Failure, HttpAnswer, RetryKind } from './retry';
import {
	MalformedBody,
	NoAnswer,
	RETRY_POLICY,
	headerValue,
	networkReason,
	pause,
	sendWithRetries,
} from './retry';

import { FORBIDDEN_KEY_HINTS, rateLimitNote } from '../api/hints';

/** Every n8n context our nodes call the API from. */
export type ScravioContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPE = 'scravioApi';
export const DEFAULT_BASE_URL = 'https://api.scravio.com/api';

/**
 * How a route treats workspaces and keys, from the reference's endpoint cards.
 * - `workspace`: X-Workspace-Id is sent when one is configured.
 * - `accountKeyOnly`: validation-job routes. Workspace-bound API keys are refused, and only Bearer
 *   requests pick a workspace ("Use Bearer/JWT auth when you need workspace selection on
 *   validation jobs"): with an API key X-Workspace-Id is never sent.
 * - `account`: account-scoped; X-Workspace-Id must never be sent.
 */
export type RouteScope = 'workspace' | 'accountKeyOnly' | 'account';

export interface ScravioRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, e.g. `/campaigns/cmp_1/leads`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	scope?: RouteScope;
	/** Defaults to `idempotent` for GET and `charging` for POST. */
	retry?: RetryKind;
	/**
	 * A 404 is an answer, not a failure: scravioApiRequestFull returns it (status 404) instead of
	 * throwing. For callers that expect objects to disappear (the trigger's tracked ids).
	 */
	allowNotFound?: boolean;
	/**
	 * The field that names what a 2xx answer created or started (`id`, `exportId`, `jobId`). It is
	 * looked for in the body and one level down (`campaign`, `data`); a 2xx without it is an error
	 * that names the route, instead of an object without an id going on through the workflow.
	 */
	expectId?: string;
}

export interface RequestSettings {
	/** Overrides the credential's workspace for this call (node option "Workspace ID"). */
	workspaceId?: string;
	itemIndex?: number;
	/** The credential's settings when the caller already has them (pagination reads them once per walk). */
	credential?: CredentialSettings;
}

/** Said wherever a workspace is set with an API key and a validation-job route ignores it. */
export const WORKSPACE_NOT_APPLIED = (workspaceId: string) =>
	`Workspace ${workspaceId} does not apply here: validation jobs with an API key run in the account's default workspace and X-Workspace-Id is not sent. Use an access token (Bearer) to pick a workspace for validation jobs.`;

export interface CredentialSettings {
	baseUrl: string;
	workspaceId: string;
	authentication: 'apiKey' | 'accessToken';
}

export async function getCredentialSettings(this: ScravioContext): Promise<CredentialSettings> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = String(credentials.baseUrl || DEFAULT_BASE_URL)
		.trim()
		.replace(/\/+$/, '');
	return {
		baseUrl,
		workspaceId: String(credentials.workspaceId ?? '').trim(),
		authentication: credentials.authentication === 'accessToken' ? 'accessToken' : 'apiKey',
	};
}

/** The server's clock from the `Date` header (epoch ms), when it sent a readable one. */
function serverTime(response: HttpAnswer): number | undefined {
	const ms = Date.parse(headerValue(response.headers, 'date') ?? '');
	return Number.isNaN(ms) ? undefined : ms;
}

/** The cancel signal of a manual or production execution, when n8n provides one. */
export function cancelSignal(context: ScravioContext): AbortSignal | undefined {
	const withSignal = context as Partial<IExecuteFunctions>;
	return typeof withSignal.getExecutionCancelSignal === 'function'
		? withSignal.getExecutionCancelSignal()
		: undefined;
}

/**
 * Waits `ms`, returning early with `false` when the execution is cancelled. Sleeps in
 * short slices because n8n 1.x's `sleep` takes no abort signal.
 */
export async function waitUnlessCancelled(context: ScravioContext, ms: number): Promise<boolean> {
	return await pause(ms, cancelSignal(context));
}

/** The API's JSON body; a MalformedBody when it is text that is not JSON. */
function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return {};
	try {
		return JSON.parse(body);
	} catch {
		return new MalformedBody(body);
	}
}

/** Error objects made from a body that was not JSON (see readableBody). */
const malformedBodies = new WeakSet<object>();

/** The body to report or return: a MalformedBody becomes its error object. */
function readableBody(body: unknown): unknown {
	if (!(body instanceof MalformedBody)) return body;
	const errorBody = body.toErrorBody();
	malformedBodies.add(errorBody);
	return errorBody;
}

/** Errors after which the API may or may not have processed the request (see isUnknownOutcome). */
const unknownOutcomes = new WeakSet<NodeApiError>();

/**
 * Whether a request that failed with `error` may still have been processed by the API: no answer
 * (or cancelled while waiting for one), a 5xx, a 2xx that is not what the route answers, or an
 * answer whose body was not JSON. A charging request in that state is never sent again.
 */
export function isUnknownOutcome(error: unknown): boolean {
	return error instanceof NodeApiError && unknownOutcomes.has(error);
}

/** The retry kind of a request: as given, else `idempotent` for GET and `charging` for POST. */
function retryKindOf(request: ScravioRequest): RetryKind {
	return request.retry ?? (request.method === 'GET' ? 'idempotent' : 'charging');
}

/** Finds `name` (a non-empty string or number) in a body or one level down (`campaign`, `data`, ...). */
function hasField(body: unknown, name: string, depth = 2): boolean {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
	const value = (body as IDataObject)[name];
	if ((typeof value === 'string' && value.trim() !== '') || typeof value === 'number') return true;
	return (
		depth > 0 &&
		Object.values(body as IDataObject).some((child) => hasField(child, name, depth - 1))
	);
}

/**
 * A 2xx whose body is not what the route answers (a list that is not an array, a created object
 * without its id): an error that names the route and what was missing. For a charging request it
 * says that the request may have been processed, as for any unknown outcome.
 */
export function unexpectedAnswer(
	context: ScravioContext,
	request: ScravioRequest,
	statusCode: number,
	missing: string,
	settings: RequestSettings = {},
): NodeApiError {
	return apiError(
		context,
		request,
		statusCode,
		{
			message: `Scravio answered ${routeLabel(request)} with HTTP ${statusCode} but without ${missing}`,
			code: 'UNEXPECTED_RESPONSE',
		},
		settings,
		retryKindOf(request) === 'charging' ? CHARGING_UNKNOWN_OUTCOME : undefined,
	);
}

/** Said about a charging request whose outcome is unknown; never an invitation to retry it. */
const CHARGING_UNKNOWN_OUTCOME =
	'The request may have been processed (and credits reserved). It was not retried, so nothing is charged twice: check Scravio before running it again.';

function withoutRetryAdvice(body: unknown, request: ScravioRequest, statusCode: number): unknown {
	const message = (body as IDataObject | null)?.message;
	if (typeof message !== 'string' || !/retry|try again/i.test(message)) return body;
	return {
		...(body as IDataObject),
		message: `Scravio answered ${routeLabel(request)} with HTTP ${statusCode}`,
	};
}

function routeLabel(request: ScravioRequest): string {
	return `${request.method} ${request.path}`;
}

/**
 * Turns the API's error object into a NodeApiError that keeps the message, the code, the
 * field errors and the requestId, and never the request (whose headers hold the secret).
 * Adds what the route tells about the failure (scope hints, rate limit); see answerError.
 */
export function apiError(
	context: ScravioContext,
	request: ScravioRequest,
	statusCode: number,
	body: unknown,
	settings: RequestSettings & { authentication?: string; unusedWorkspaceId?: string },
	extraDescription?: string,
): NodeApiError {
	const details: string[] = [];
	const forbiddenHint = request.scope && FORBIDDEN_KEY_HINTS[request.scope];
	if (statusCode === 403 && forbiddenHint && settings.authentication !== 'accessToken')
		details.push(forbiddenHint);
	if (request.scope === 'accountKeyOnly' && settings.unusedWorkspaceId)
		details.push(WORKSPACE_NOT_APPLIED(settings.unusedWorkspaceId));
	if (extraDescription) details.push(extraDescription);
	return answerError(
		context,
		statusCode,
		body,
		settings,
		details,
		statusCode === 429 ? rateLimitNote(request) : '',
	);
}

/**
 * A NodeApiError from an error object (the API's, or one of ours), for any HTTP answer or none
 * (status 0): the message, the code, the field errors and the requestId. Its description lists
 * the field errors, then `notes`, then the request id; `messageSuffix` follows the message.
 */
export function answerError(
	context: ScravioContext,
	statusCode: number,
	body: unknown,
	settings: RequestSettings,
	notes: string[] = [],
	messageSuffix = '',
): NodeApiError {
	const errorBody = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	const fieldErrors = Array.isArray(errorBody.errors) ? (errorBody.errors as IDataObject[]) : [];
	const requestId = typeof errorBody.requestId === 'string' ? errorBody.requestId : undefined;
	const apiMessage =
		typeof errorBody.message === 'string' ? errorBody.message : `The API answered ${statusCode}`;

	const details: string[] = [];
	for (const fieldError of fieldErrors) {
		details.push(
			`${String(fieldError.param ?? 'request')}: ${String(fieldError.msg ?? 'invalid')}`,
		);
	}
	details.push(...notes);
	if (requestId) details.push(`Request ID: ${requestId}`);

	const error = new NodeApiError(
		context.getNode(),
		{
			message: apiMessage,
			code: (errorBody.code as string) ?? null,
			errors: fieldErrors,
			requestId: requestId ?? null,
			httpCode: String(statusCode),
		} as JsonObject,
		{
			message: `${apiMessage}${messageSuffix}`,
			description: details.join('\n') || undefined,
			httpCode: String(statusCode),
			itemIndex: settings.itemIndex,
		},
	);
	const answered = statusCode > 0 && statusCode < 500 && (statusCode < 200 || statusCode >= 300);
	if (!answered || malformedBodies.has(errorBody)) unknownOutcomes.add(error);
	return error;
}

/** Why a 429 was not waited out, for any request; the request was not processed. */
export function rateLimitAdvice(
	failure: Extract<Failure<HttpAnswer>, { type: 'rateLimited' }>,
): string {
	return `Scravio asks to wait ${failure.waitSeconds} s before retrying${
		failure.tooLong
			? `, longer than the ${RETRY_POLICY.maxRetryAfterSeconds} s this node waits`
			: ` and the node already retried ${failure.retries} times`
	}. The request was not processed.`;
}

/**
 * Sends one API request with auth, workspace header, retries and error mapping.
 * Returns the parsed JSON body of a 2xx answer.
 */
export async function scravioApiRequest<T = IDataObject>(
	this: ScravioContext,
	request: ScravioRequest,
	settings: RequestSettings = {},
): Promise<T> {
	const response = await scravioApiRequestFull.call(this, request, settings);
	return response.body as T;
}

/**
 * Like scravioApiRequest, and also returns the status code (200 vs 201 matters for exports) and
 * the API server's clock from its `Date` header (epoch ms, second resolution; undefined without one).
 */
export async function scravioApiRequestFull(
	this: ScravioContext,
	request: ScravioRequest,
	settings: RequestSettings = {},
): Promise<{ statusCode: number; body: unknown; serverTime?: number }> {
	const credential = settings.credential ?? (await getCredentialSettings.call(this));
	const scope = request.scope ?? 'workspace';
	const retry = retryKindOf(request);
	const workspaceId = (settings.workspaceId ?? '').trim() || credential.workspaceId;

	const headers: IDataObject = { Accept: 'application/json' };
	const takesWorkspace =
		scope === 'workspace' ||
		(scope === 'accountKeyOnly' && credential.authentication === 'accessToken');
	if (takesWorkspace && workspaceId) headers['X-Workspace-Id'] = workspaceId;

	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${credential.baseUrl}${request.path}`,
		headers,
		qs: request.qs,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// Credentials must never follow a redirect: no API route but the download redirect
		// answers 3xx, and that one is fetched without credentials (see download.ts).
		disableFollowRedirect: true,
		timeout: RETRY_POLICY.requestTimeoutMs,
	};
	if (request.body !== undefined) options.body = request.body;
	const errorSettings = {
		...settings,
		authentication: credential.authentication,
		unusedWorkspaceId: takesWorkspace ? '' : workspaceId,
	};

	const outcome = await sendWithRetries<HttpAnswer>({
		kind: retry,
		url: options.url,
		signal: cancelSignal(this),
		send: async (url) => {
			try {
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					CREDENTIAL_TYPE,
					{ ...options, url },
				)) as HttpAnswer;
				return { ...response, body: parseBody(response.body) };
			} catch (error) {
				return new NoAnswer(error);
			}
		},
	});
	if (outcome.type === 'answer') {
		const { statusCode, body } = outcome.answer;
		if (request.expectId && !hasField(body, request.expectId)) {
			throw unexpectedAnswer(this, request, statusCode, request.expectId, errorSettings);
		}
		return { statusCode, body, serverTime: serverTime(outcome.answer) };
	}
	if (outcome.type === 'rejected' && outcome.answer.statusCode === 404 && request.allowNotFound) {
		return {
			statusCode: 404,
			body: readableBody(outcome.answer.body),
			serverTime: serverTime(outcome.answer),
		};
	}
	throw requestFailure(this, request, outcome, errorSettings);
}

/** The error of an API request the pipeline gave up on. */
function requestFailure(
	context: ScravioContext,
	request: ScravioRequest,
	failure: Failure<HttpAnswer>,
	settings: Parameters<typeof apiError>[4],
): NodeApiError {
	const { statusCode, body, note } = failureReport(request, failure);
	return apiError(context, request, statusCode, body, settings, note);
}

/** The status, error body and note an API request's failure is reported with. */
function failureReport(
	request: ScravioRequest,
	failure: Failure<HttpAnswer>,
): { statusCode: number; body: unknown; note?: string } {
	switch (failure.type) {
		case 'cancelled':
			return { statusCode: 0, body: { message: 'The execution was cancelled', code: 'CANCELLED' } };
		case 'noAnswer': {
			const { reason, code } = networkReason(failure.error);
			const advice = failure.unknownOutcome
				? CHARGING_UNKNOWN_OUTCOME
				: `Gave up after ${failure.attempts} attempts.`;
			return {
				statusCode: 0,
				body: {
					message: `No answer from Scravio for ${routeLabel(request)}: ${reason}`,
					code: 'NETWORK_ERROR',
				},
				note: `${advice}${code ? ` (${code})` : ''}`,
			};
		}
	}
	const { statusCode } = failure.answer;
	const body = readableBody(failure.answer.body);
	switch (failure.type) {
		case 'rateLimited':
			return { statusCode, body, note: rateLimitAdvice(failure) };
		case 'malformed':
			return {
				statusCode,
				body,
				note: failure.unknownOutcome ? CHARGING_UNKNOWN_OUTCOME : undefined,
			};
		case 'serverError':
			// A charging request's unknown outcome never carries the server's "retry later" advice.
			return failure.unknownOutcome
				? {
						statusCode,
						body: withoutRetryAdvice(body, request, statusCode),
						note: CHARGING_UNKNOWN_OUTCOME,
					}
				: { statusCode, body };
		case 'redirect':
		case 'tooManyRedirects':
			return {
				statusCode,
				body,
				note: 'The API answered with a redirect; credentials are never sent after a redirect. Check the Base URL of the credential.',
			};
		case 'rejected':
			return { statusCode, body };
	}
}
