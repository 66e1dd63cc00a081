import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

/**
 * The one retry and classification core: every API request (request.ts) and every file download
 * (download.ts) goes through `sendWithRetries`, which judges each attempt (no answer, 429, 5xx,
 * a 2xx body that cannot be read, a redirect) against the request's kind, waits, sends again or
 * gives up with a typed `Failure`. The callers only send one attempt and word the failure.
 */

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
	/** Redirects a download follows (by hand, without credentials) before it fails. */
	maxRedirects: 5,
} as const;

/**
 * What may be retried after a failure whose outcome is unknown (5xx, timeout, dropped
 * connection, a 2xx body that cannot be read). A 429 means "not processed" and is retried for every kind.
 * - `idempotent`: GETs and the stop command.
 * - `charging`: POSTs that create or charge; a retry could create or charge twice.
 */
export type RetryKind = 'idempotent' | 'charging';

/**
 * The kinds the pipeline judges by: an API request's RetryKind, or `download`, an opaque file URL
 * fetched without credentials (retried like an idempotent request; its redirects are followed).
 */
export type PipelineKind = RetryKind | 'download';

interface KindRules {
	/** Send again after an unknown outcome (no answer, 5xx, unreadable 2xx body). */
	resendUnknownOutcome: boolean;
	/** Follow a redirect's Location. API requests never do: credentials must not follow a redirect. */
	followRedirects: boolean;
}

const RULES: Record<PipelineKind, KindRules> = {
	idempotent: { resendUnknownOutcome: true, followRedirects: false },
	charging: { resendUnknownOutcome: false, followRedirects: false },
	download: { resendUnknownOutcome: true, followRedirects: true },
};

/** An HTTP answer, whatever its status. */
export interface HttpAnswer {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/** An attempt that got no HTTP answer: the HTTP client failed (timeout, reset, refused, ...). */
export class NoAnswer {
	constructor(readonly error: unknown) {}
}

/** A body that should be JSON and is not: the pipeline treats a 2xx with it as an unknown outcome. */
export class MalformedBody {
	constructor(readonly raw: string) {}

	/** The error object such an answer is reported with. */
	toErrorBody(): IDataObject {
		return {
			message: 'The API answered with a body that is not JSON',
			code: 'MALFORMED_RESPONSE',
			raw: this.raw.slice(0, 200),
		};
	}
}

/** Why the pipeline gave up. The caller words it (an API route and a file download say it differently). */
export type Failure<A extends HttpAnswer> =
	/** The execution was cancelled: while waiting, or the request was aborted. */
	| { type: 'cancelled' }
	/** No HTTP answer after `attempts` attempts. `unknownOutcome`: a charging request that may have been processed. */
	| { type: 'noAnswer'; error: unknown; attempts: number; unknownOutcome: boolean }
	/** A 429 that is not waited out: a Retry-After over the limit (`tooLong`), or the retries used up. */
	| { type: 'rateLimited'; answer: A; waitSeconds: number; retries: number; tooLong: boolean }
	/** A 5xx that is not (or no longer) retried. */
	| { type: 'serverError'; answer: A; unknownOutcome: boolean }
	/** A 2xx whose body is a MalformedBody, not (or no longer) retried. */
	| { type: 'malformed'; answer: A; unknownOutcome: boolean }
	/** A redirect that is not followed: the kind does not follow redirects, or it names no Location. */
	| { type: 'redirect'; answer: A }
	/** One redirect more than RETRY_POLICY.maxRedirects (`answer` is that last redirect). */
	| { type: 'tooManyRedirects'; answer: A }
	/** Any other answer that is not a 2xx (a 4xx): the caller decides (a 404 may be an answer). */
	| { type: 'rejected'; answer: A };

/** The end of a pipeline: the 2xx answer, or why it gave up. */
export type Outcome<A extends HttpAnswer> = { type: 'answer'; answer: A; url: string } | Failure<A>;

export interface Pipeline<A extends HttpAnswer> {
	kind: PipelineKind;
	/** Where the first attempt goes; only a `download` moves on to a redirect's Location. */
	url: string;
	/** The execution's cancel signal: a wait ends at once and the pipeline gives up. */
	signal?: AbortSignal;
	/** One attempt at `url`: the answer, whatever its status, or NoAnswer (never throws for either). */
	send(url: string): Promise<A | NoAnswer>;
}

/** Sends `pipeline` until it has a 2xx answer or a reason to give up, judging each attempt by its kind. */
export async function sendWithRetries<A extends HttpAnswer>(
	pipeline: Pipeline<A>,
): Promise<Outcome<A>> {
	const { kind, signal } = pipeline;
	const rules = RULES[kind];
	let url = pipeline.url;
	/** Resends after an unknown outcome: no answer, 5xx or unreadable 2xx body, one budget for all. */
	let resends = 0;
	let rateLimitRetries = 0;
	let redirects = 0;
	const mayResend = () =>
		rules.resendUnknownOutcome && resends < RETRY_POLICY.maxServerErrorRetries;
	for (;;) {
		const attempt = await pipeline.send(url);
		let waitMs: number;
		if (attempt instanceof NoAnswer) {
			if (signal?.aborted) return { type: 'cancelled' };
			if (!isNetworkError(attempt.error) || !mayResend()) {
				return {
					type: 'noAnswer',
					error: attempt.error,
					attempts: resends + 1,
					unknownOutcome: !rules.resendUnknownOutcome,
				};
			}
			waitMs = backoffMs(++resends);
		} else if (attempt.statusCode >= 200 && attempt.statusCode < 300) {
			if (!(attempt.body instanceof MalformedBody)) return { type: 'answer', answer: attempt, url };
			if (!mayResend())
				return { type: 'malformed', answer: attempt, unknownOutcome: !rules.resendUnknownOutcome };
			waitMs = backoffMs(++resends);
		} else if (attempt.statusCode === 429) {
			const waitSeconds = retryAfterSeconds(headerValue(attempt.headers, 'retry-after'));
			const tooLong = waitSeconds > RETRY_POLICY.maxRetryAfterSeconds;
			if (tooLong || rateLimitRetries >= RETRY_POLICY.maxRateLimitRetries) {
				return {
					type: 'rateLimited',
					answer: attempt,
					waitSeconds,
					retries: rateLimitRetries,
					tooLong,
				};
			}
			rateLimitRetries++;
			waitMs = waitSeconds * 1000;
		} else if (attempt.statusCode >= 500) {
			if (!mayResend())
				return {
					type: 'serverError',
					answer: attempt,
					unknownOutcome: !rules.resendUnknownOutcome,
				};
			waitMs = backoffMs(++resends);
		} else if (attempt.statusCode >= 300 && attempt.statusCode < 400) {
			const location = headerValue(attempt.headers, 'location');
			if (!rules.followRedirects || !location) return { type: 'redirect', answer: attempt };
			if (++redirects > RETRY_POLICY.maxRedirects)
				return { type: 'tooManyRedirects', answer: attempt };
			url = new URL(location, url).toString();
			continue;
		} else {
			return { type: 'rejected', answer: attempt };
		}
		if (!(await pause(waitMs, signal))) return { type: 'cancelled' };
	}
}

/** A header of an answer (the first value of a repeated one). */
export function headerValue(headers: HttpAnswer['headers'], name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/**
 * Waits `ms`, returning early with `false` when `signal` aborts. Sleeps in short slices because
 * n8n 1.x's `sleep` takes no abort signal.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
	let remaining = ms;
	while (remaining > 0) {
		if (signal?.aborted) return false;
		const slice = Math.min(remaining, 250);
		await sleep(slice);
		remaining -= slice;
	}
	return !signal?.aborted;
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

/** A timeout, reset or refused connection: the outcome of the request is unknown. */
export function isNetworkError(error: unknown): boolean {
	const code =
		(error as { code?: string })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
	const message = String((error as Error)?.message ?? '');
	return (
		[
			'ECONNRESET',
			'ECONNREFUSED',
			'ETIMEDOUT',
			'ECONNABORTED',
			'EPIPE',
			'ENOTFOUND',
			'EAI_AGAIN',
			'ERR_BAD_RESPONSE',
			'UND_ERR_SOCKET',
		].includes(code ?? '') || /socket hang up|timeout|network|ECONNRESET/i.test(message)
	);
}

/**
 * What happened to a request that got no answer, in words, without the error codes that
 * n8n's NodeApiError turns into its own advice ("You can retry the request immediately",
 * "consider setting the 'Retry on Fail' option"), which is wrong for a charging request.
 */
export function networkReason(error: unknown): { reason: string; code: string } {
	const withCause = error as {
		code?: string;
		cause?: { code?: string };
		messages?: string[];
		message?: string;
	};
	const code = String(withCause?.cause?.code ?? withCause?.code ?? '');
	const text = `${code} ${(withCause?.messages ?? []).join(' ')} ${withCause?.message ?? ''}`;
	let reason = 'the connection failed';
	if (/ETIMEDOUT|ECONNABORTED|timeout/i.test(text))
		reason = `no answer within ${Math.round(RETRY_POLICY.requestTimeoutMs / 1000)} s`;
	else if (/ECONNRESET|socket hang up|EPIPE|UND_ERR_SOCKET|closed unexpectedly/i.test(text))
		reason = 'the connection was closed before an answer arrived';
	else if (/ECONNREFUSED|refused the connection/i.test(text)) reason = 'the connection was refused';
	else if (/ENOTFOUND|EAI_AGAIN|incorrect host|DNS/i.test(text))
		reason = 'the host name could not be resolved';
	return { reason, code: /^E[A-Z_]+$|^UND_ERR/.test(code) ? code : '' };
}
