import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

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

/**
 * What may be retried after a failure whose outcome is unknown (5xx, timeout, dropped
 * connection). A 429 means "not processed" and is retried for every kind.
 * - `idempotent`: GETs and the stop command.
 * - `charging`: POSTs that create or charge; a retry could create or charge twice.
 */
export type RetryKind = 'idempotent' | 'charging';

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

/** Retry and timeout policy. Exported so that tests and benchmarks can read it, not tune it. */
export const RETRY_POLICY = {
	/** Attempts after the first one for 5xx, timeouts and dropped connections on idempotent routes. */
	maxServerErrorRetries: 3,
	backoffBaseMs: 500,
	backoffMaxMs: 8000,
	/** Retries after a 429. */
	maxRateLimitRetries: 3,
	/** The longest single Retry-After we wait out; a longer one fails at once with a clear message. */
	maxRetryAfterSeconds: 60,
	/** Used when a 429 carries no usable Retry-After. */
	defaultRetryAfterSeconds: 5,
	requestTimeoutMs: 60000,
	/** A file download whose body sends no byte for this long fails (the request timeout ends at the headers). */
	downloadIdleTimeoutMs: 60000,
} as const;

export interface CredentialSettings {
	baseUrl: string;
	workspaceId: string;
	authentication: 'apiKey' | 'accessToken';
}

export async function getCredentialSettings(this: ScravioContext): Promise<CredentialSettings> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = String(credentials.baseUrl || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
	return {
		baseUrl,
		workspaceId: String(credentials.workspaceId ?? '').trim(),
		authentication: credentials.authentication === 'accessToken' ? 'accessToken' : 'apiKey',
	};
}

interface HttpResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

function header(response: HttpResponse, name: string): string | undefined {
	const value = response.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** The server's clock from the `Date` header (epoch ms), when it sent a readable one. */
function serverTime(response: HttpResponse): number | undefined {
	const ms = Date.parse(header(response, 'date') ?? '');
	return Number.isNaN(ms) ? undefined : ms;
}

/** The cancel signal of a manual or production execution, when n8n provides one. */
export function cancelSignal(context: ScravioContext): AbortSignal | undefined {
	const withSignal = context as Partial<IExecuteFunctions>;
	return typeof withSignal.getExecutionCancelSignal === 'function' ? withSignal.getExecutionCancelSignal() : undefined;
}

/**
 * Waits `ms`, returning early with `false` when the execution is cancelled. Sleeps in
 * short slices because n8n 1.x's `sleep` takes no abort signal.
 */
export async function waitUnlessCancelled(context: ScravioContext, ms: number): Promise<boolean> {
	const signal = cancelSignal(context);
	let remaining = ms;
	while (remaining > 0) {
		if (signal?.aborted) return false;
		const slice = Math.min(remaining, 250);
		await sleep(slice);
		remaining -= slice;
	}
	return !signal?.aborted;
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return {};
	try {
		return JSON.parse(body);
	} catch {
		return { message: 'The API answered with a body that is not JSON', code: 'MALFORMED_RESPONSE', raw: body.slice(0, 200) };
	}
}

/**
 * What happened to a request that got no answer, in words, without the error codes that
 * n8n's NodeApiError turns into its own advice ("You can retry the request immediately",
 * "consider setting the 'Retry on Fail' option"), which is wrong for a charging request.
 */
export function networkReason(error: unknown): { reason: string; code: string } {
	const withCause = error as { code?: string; cause?: { code?: string }; messages?: string[]; message?: string };
	const code = String(withCause?.cause?.code ?? withCause?.code ?? '');
	const text = `${code} ${(withCause?.messages ?? []).join(' ')} ${withCause?.message ?? ''}`;
	let reason = 'the connection failed';
	if (/ETIMEDOUT|ECONNABORTED|timeout/i.test(text)) reason = `no answer within ${Math.round(RETRY_POLICY.requestTimeoutMs / 1000)} s`;
	else if (/ECONNRESET|socket hang up|EPIPE|UND_ERR_SOCKET|closed unexpectedly/i.test(text)) reason = 'the connection was closed before an answer arrived';
	else if (/ECONNREFUSED|refused the connection/i.test(text)) reason = 'the connection was refused';
	else if (/ENOTFOUND|EAI_AGAIN|incorrect host|DNS/i.test(text)) reason = 'the host name could not be resolved';
	return { reason, code: /^E[A-Z_]+$|^UND_ERR/.test(code) ? code : '' };
}

/** Finds `name` (a non-empty string or number) in a body or one level down (`campaign`, `data`, ...). */
function hasField(body: unknown, name: string, depth = 2): boolean {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
	const value = (body as IDataObject)[name];
	if ((typeof value === 'string' && value.trim() !== '') || typeof value === 'number') return true;
	return depth > 0 && Object.values(body as IDataObject).some((child) => hasField(child, name, depth - 1));
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
	const retry = request.retry ?? (request.method === 'GET' ? 'idempotent' : 'charging');
	return apiError(
		context,
		request,
		statusCode,
		{ message: `Scravio answered ${routeLabel(request)} with HTTP ${statusCode} but without ${missing}`, code: 'UNEXPECTED_RESPONSE' },
		settings,
		retry === 'charging' ? CHARGING_UNKNOWN_OUTCOME : undefined,
	);
}

/** Said about a charging request whose outcome is unknown; never an invitation to retry it. */
const CHARGING_UNKNOWN_OUTCOME =
	'The request may have been processed (and credits reserved). It was not retried, so nothing is charged twice: check Scravio before running it again.';

function withoutRetryAdvice(body: unknown, request: ScravioRequest, statusCode: number): unknown {
	const message = (body as IDataObject | null)?.message;
	if (typeof message !== 'string' || !/retry|try again/i.test(message)) return body;
	return { ...(body as IDataObject), message: `Scravio answered ${routeLabel(request)} with HTTP ${statusCode}` };
}

/** A timeout, reset or refused connection: the outcome of the request is unknown. */
export function isNetworkError(error: unknown): boolean {
	const code = (error as { code?: string })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
	const message = String((error as Error)?.message ?? '');
	return (
		['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_BAD_RESPONSE', 'UND_ERR_SOCKET'].includes(
			code ?? '',
		) || /socket hang up|timeout|network|ECONNRESET/i.test(message)
	);
}

function routeLabel(request: ScravioRequest): string {
	return `${request.method} ${request.path}`;
}

/**
 * Turns the API's error object into a NodeApiError that keeps the message, the code, the
 * field errors and the requestId, and never the request (whose headers hold the secret).
 */
export function apiError(
	context: ScravioContext,
	request: ScravioRequest,
	statusCode: number,
	body: unknown,
	settings: RequestSettings & { authentication?: string; unusedWorkspaceId?: string },
	extraDescription?: string,
): NodeApiError {
	const errorBody = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	const fieldErrors = Array.isArray(errorBody.errors) ? (errorBody.errors as IDataObject[]) : [];
	const requestId = typeof errorBody.requestId === 'string' ? errorBody.requestId : undefined;
	const apiMessage = typeof errorBody.message === 'string' ? errorBody.message : `The API answered ${statusCode}`;

	const details: string[] = [];
	for (const fieldError of fieldErrors) {
		details.push(`${String(fieldError.param ?? 'request')}: ${String(fieldError.msg ?? 'invalid')}`);
	}
	const forbiddenHint = request.scope && FORBIDDEN_KEY_HINTS[request.scope];
	if (statusCode === 403 && forbiddenHint && settings.authentication !== 'accessToken') details.push(forbiddenHint);
	if (request.scope === 'accountKeyOnly' && settings.unusedWorkspaceId) details.push(WORKSPACE_NOT_APPLIED(settings.unusedWorkspaceId));
	if (extraDescription) details.push(extraDescription);
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
			message: `${apiMessage}${statusCode === 429 ? rateLimitNote(request) : ''}`,
			description: details.join('\n') || undefined,
			httpCode: String(statusCode),
			itemIndex: settings.itemIndex,
		},
	);
	return error;
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
	const retry = request.retry ?? (request.method === 'GET' ? 'idempotent' : 'charging');
	const workspaceId = (settings.workspaceId ?? '').trim() || credential.workspaceId;

	const headers: IDataObject = { Accept: 'application/json' };
	const takesWorkspace = scope === 'workspace' || (scope === 'accountKeyOnly' && credential.authentication === 'accessToken');
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
	const errorSettings = { ...settings, authentication: credential.authentication, unusedWorkspaceId: takesWorkspace ? '' : workspaceId };

	let serverErrorRetries = 0;
	let rateLimitRetries = 0;
	for (;;) {
		let response: HttpResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options)) as HttpResponse;
			response.body = parseBody(response.body);
		} catch (error) {
			if (cancelSignal(this)?.aborted) break;
			const unknownOutcome = isNetworkError(error);
			if (unknownOutcome && retry === 'idempotent' && serverErrorRetries < RETRY_POLICY.maxServerErrorRetries) {
				serverErrorRetries++;
				if (!(await waitUnlessCancelled(this, backoffMs(serverErrorRetries)))) break;
				continue;
			}
			const { reason, code } = networkReason(error);
			throw apiError(
				this,
				request,
				0,
				{ message: `No answer from Scravio for ${routeLabel(request)}: ${reason}`, code: 'NETWORK_ERROR' },
				errorSettings,
				`${retry === 'charging' ? CHARGING_UNKNOWN_OUTCOME : `Gave up after ${serverErrorRetries + 1} attempts.`}${code ? ` (${code})` : ''}`,
			);
		}

		const { statusCode } = response;
		if (statusCode >= 200 && statusCode < 300) {
			if (typeof response.body === 'object' && response.body !== null && (response.body as IDataObject).code === 'MALFORMED_RESPONSE') {
				if (retry === 'idempotent' && serverErrorRetries < RETRY_POLICY.maxServerErrorRetries) {
					serverErrorRetries++;
					if (!(await waitUnlessCancelled(this, backoffMs(serverErrorRetries)))) break;
					continue;
				}
				throw apiError(this, request, statusCode, response.body, errorSettings, retry === 'charging' ? CHARGING_UNKNOWN_OUTCOME : undefined);
			}
			if (request.expectId && !hasField(response.body, request.expectId)) {
				throw unexpectedAnswer(this, request, statusCode, request.expectId, errorSettings);
			}
			return { statusCode, body: response.body, serverTime: serverTime(response) };
		}

		if (statusCode === 429) {
			const waitSeconds = retryAfterSeconds(header(response, 'retry-after'));
			if (waitSeconds > RETRY_POLICY.maxRetryAfterSeconds || rateLimitRetries >= RETRY_POLICY.maxRateLimitRetries) {
				throw apiError(this, request, statusCode, response.body, errorSettings,
					`Scravio asks to wait ${waitSeconds} s before retrying${waitSeconds > RETRY_POLICY.maxRetryAfterSeconds
						? `, longer than the ${RETRY_POLICY.maxRetryAfterSeconds} s this node waits`
						: ` and the node already retried ${rateLimitRetries} times`}. The request was not processed.`);
			}
			rateLimitRetries++;
			if (!(await waitUnlessCancelled(this, waitSeconds * 1000))) break;
			continue;
		}

		if (statusCode >= 500 && retry === 'idempotent' && serverErrorRetries < RETRY_POLICY.maxServerErrorRetries) {
			serverErrorRetries++;
			if (!(await waitUnlessCancelled(this, backoffMs(serverErrorRetries)))) break;
			continue;
		}

		if (statusCode === 404 && request.allowNotFound) return { statusCode, body: response.body, serverTime: serverTime(response) };

		// A charging request's unknown outcome never carries the server's "retry later" advice.
		const body = statusCode >= 500 && retry === 'charging' ? withoutRetryAdvice(response.body, request, statusCode) : response.body;
		throw apiError(this, request, statusCode, body, errorSettings,
			statusCode >= 500 && retry === 'charging'
				? CHARGING_UNKNOWN_OUTCOME
				: statusCode >= 300 && statusCode < 400
					? 'The API answered with a redirect; credentials are never sent after a redirect. Check the Base URL of the credential.'
					: undefined);
	}
	throw apiError(this, request, 0, { message: 'The execution was cancelled', code: 'CANCELLED' }, errorSettings);
}

/** Exponential backoff before retry number `attempt` (1-based), capped. */
export function backoffMs(attempt: number): number {
	return Math.min(RETRY_POLICY.backoffBaseMs * 2 ** (attempt - 1), RETRY_POLICY.backoffMaxMs);
}

/** Retry-After is seconds or an HTTP date; anything else falls back to a short default. */
export function retryAfterSeconds(value: string | undefined, now: number = Date.now()): number {
	if (value === undefined || value.trim() === '') return RETRY_POLICY.defaultRetryAfterSeconds;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
	const date = Date.parse(value);
	if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000));
	return RETRY_POLICY.defaultRetryAfterSeconds;
}
