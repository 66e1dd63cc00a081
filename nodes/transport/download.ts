import type { BinaryHelperFunctions, IHttpRequestOptions, NodeApiError } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { RequestSettings, ScravioContext } from './request';
import { answerError, cancelSignal, rateLimitAdvice } from './request';
import type { Failure, HttpAnswer } from './retry';
import { NoAnswer, RETRY_POLICY, headerValue, networkReason, sendWithRetries } from './retry';

/**
 * A response body as a readable stream: the type `prepareBinaryData` accepts besides a Buffer.
 * Taken from n8n-workflow, so that shipped code imports no node built-in.
 */
export type FileStream = Exclude<Parameters<BinaryHelperFunctions['prepareBinaryData']>[0], Buffer>;

/** A downloaded file held in memory (`as: 'buffer'`, the default). */
export interface DownloadedFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/**
 * A downloaded file still being received (`as: 'stream'`): `data` is the response body, to be
 * consumed once (by `prepareBinaryData`, which in n8n's filesystem mode streams it to disk).
 * It is a Buffer only if the HTTP client answered the stream request with bytes.
 */
export interface StreamedFile {
	data: FileStream | Buffer;
	fileName: string;
	mimeType: string;
	/** The Content-Length header in bytes, when the file host sent one (before any decompression). */
	contentLength?: number;
}

const MIME_TYPES: Record<string, string> = {
	csv: 'text/csv',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	json: 'application/json',
};

export function mimeTypeFor(fileName: string, fallback = 'application/octet-stream'): string {
	const extension = fileName.split('.').pop()?.toLowerCase() ?? '';
	return MIME_TYPES[extension] ?? fallback;
}

/**
 * The file name of a Content-Disposition header: `filename*` (RFC 5987) when it decodes, else
 * `filename`. A malformed `filename*` (bad percent-encoding) is skipped, never an error.
 */
export function fileNameFromDisposition(disposition: string | undefined): string | undefined {
	if (!disposition) return undefined;
	const encoded = /filename\*\s*=\s*UTF-8'[^']*'([^;]+)/i.exec(disposition);
	if (encoded) {
		try {
			const decoded = decodeURIComponent(encoded[1].trim().replace(/^"|"$/g, ''));
			if (decoded) return decoded;
		} catch {
			// Not valid percent-encoding: fall back to the plain filename.
		}
	}
	const plain = /(?:^|;)\s*filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
	return plain?.[1].trim() || undefined;
}

export interface DownloadExpectation {
	/** The file name the API announced; wins over the file host's Content-Disposition. */
	fileName?: string;
	/** Used when neither the API nor the file host names the file. */
	fallbackFileName?: string;
	/** What is downloaded, for error messages ("export", "validation results"). */
	what: string;
	/**
	 * `'buffer'` (default): the whole file in memory, for callers that read it (the validation
	 * results). `'stream'`: the file response's body as a stream, for callers that only store it
	 * as binary data, so that the file is never held in memory whole.
	 */
	as?: 'buffer' | 'stream';
}

/** What `scravioDownload` returns for an expectation: a stream for `as: 'stream'`, else a Buffer. */
export type DownloadResult<E extends DownloadExpectation> = E extends { as: 'stream' }
	? StreamedFile
	: DownloadedFile;

/** The most of a redirect or error body that is read (to parse an error); the rest is discarded. */
const MAX_SMALL_BODY_BYTES = 64 * 1024;

function isStream(body: unknown): body is FileStream {
	return (
		typeof body === 'object' && body !== null && typeof (body as FileStream).pipe === 'function'
	);
}

/**
 * The body of an answer that is not the file (redirect, 429, 5xx, 4xx): at most 64 KiB of it.
 * A streamed body is read up to that size and then destroyed, so its connection is released.
 */
async function smallBody(body: unknown): Promise<Buffer> {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (!isStream(body)) return typeof body === 'string' ? Buffer.from(body) : Buffer.alloc(0);
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of body) {
			const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
			chunks.push(buffer);
			size += buffer.length;
			if (size >= MAX_SMALL_BODY_BYTES) break;
		}
	} catch {
		// A body that breaks off is as good as none: the status code says what happened.
	} finally {
		body.destroy();
	}
	return Buffer.concat(chunks).subarray(0, MAX_SMALL_BODY_BYTES);
}

/**
 * Why a guarded body was given up, by body. Closing the connection makes the HTTP client fail
 * the body with its own "canceled" error, which may reach the reader first; `downloadError`
 * gives the reader the real reason instead.
 */
const failures = new WeakMap<object, Error>();

/** The reason a download body failed: the stall or cancel that guardBody saw, else `error` itself. */
export function downloadError(body: unknown, error: unknown): unknown {
	return (typeof body === 'object' && body !== null && failures.get(body)) || error;
}

/** How often the idle watch of a download body looks at the clock. */
const IDLE_CHECK_MS = 250;

/**
 * Guards a file body that the caller will read later: it fails with a clear error when no byte
 * arrives for `RETRY_POLICY.downloadIdleTimeoutMs`, or at once when the execution is cancelled.
 * The stream is not read here (its consumer, e.g. `prepareBinaryData`, reads it); arrivals are
 * seen where the HTTP client hands bytes to the stream (`push`). The watch ends with the stream.
 * `connection` aborts the request the body belongs to.
 */
function guardBody(
	context: ScravioContext,
	body: FileStream,
	what: string,
	settings: RequestSettings,
	connection: AbortController,
): void {
	const idleMs = RETRY_POLICY.downloadIdleTimeoutMs;
	const signal = cancelSignal(context);
	let lastByteAt = Date.now();
	let done = false;
	const stream = body as FileStream & { push: (chunk: unknown, encoding?: string) => boolean };
	const push = stream.push;
	stream.push = function (this: unknown, chunk: unknown, encoding?: string) {
		lastByteAt = Date.now();
		return push.call(this, chunk, encoding);
	};
	const fail = (message: string, code: string) => {
		if (done) return;
		done = true;
		const error = answerError(context, 0, { message, code }, settings);
		failures.set(stream, error);
		// Close the connection first: the HTTP client's body stream cannot finish its own
		// destroy while it waits for bytes that never come. Then fail the body with our error.
		connection.abort(error);
		stream.destroy(error);
	};
	const onAbort = () =>
		fail(`The ${what} download was stopped: the execution was cancelled`, 'CANCELLED');
	const finish = () => {
		done = true;
		signal?.removeEventListener('abort', onAbort);
	};
	stream.once('end', finish);
	stream.once('close', finish);
	stream.once('error', finish);
	if (signal?.aborted) return onAbort();
	signal?.addEventListener('abort', onAbort, { once: true });
	void (async () => {
		while (!done) {
			await sleep(Math.min(IDLE_CHECK_MS, idleMs));
			if (!done && Date.now() - lastByteAt >= idleMs) {
				fail(
					`The ${what} download stalled: no data for ${Math.round(idleMs / 1000)} s`,
					'DOWNLOAD_STALLED',
				);
			}
		}
	})();
}

/** Reads a guarded stream into one Buffer (the `as: 'buffer'` downloads). */
async function readAll(body: FileStream): Promise<Buffer> {
	const chunks: Buffer[] = [];
	try {
		for await (const chunk of body)
			chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
	} catch (error) {
		throw downloadError(body, error);
	}
	return Buffer.concat(chunks);
}

/** An answer of the file host (or of a redirect on the way), with the connection it came on. */
interface FileAnswer extends HttpAnswer {
	/** Aborts the request the answer belongs to: on cancel, and when a stalled file body is given up (guardBody). */
	connection: AbortController;
}

/**
 * Downloads an opaque Scravio file URL (an export's `downloadUrl` or a validation job's
 * results URL) and follows its redirects by hand.
 *
 * No credential is ever sent: the export redirect route must not receive X-API-Key, and the
 * file host behind the 302 is another host that must see no auth header at all.
 *
 * With `as: 'stream'` every hop is requested as a stream; redirect, retry and error answers are
 * read (at most 64 KiB, to parse an error) and released, and the 2xx file answer's body is
 * returned unread. A connection that drops while the caller reads that stream fails the read;
 * it is not retried here, because part of the file has already been consumed.
 *
 * Every hop is a stream, in both modes, so that the file body is guarded the same way: no byte
 * for `RETRY_POLICY.downloadIdleTimeoutMs` fails the download with a clear error, and the
 * execution's cancel signal stops it at once (`as: 'buffer'` reads the guarded stream here).
 *
 * Retries, waits and redirects are the pipeline's (retry.ts, kind `download`).
 */
export async function scravioDownload<E extends DownloadExpectation>(
	this: ScravioContext,
	url: string,
	expected: E,
	settings: RequestSettings = {},
): Promise<DownloadResult<E>> {
	const streamed = expected.as === 'stream';
	const signal = cancelSignal(this);
	const outcome = await sendWithRetries<FileAnswer>({
		kind: 'download',
		url,
		signal,
		send: async (currentUrl) => {
			const connection = new AbortController();
			const cancel = () => connection.abort();
			if (signal?.aborted) cancel();
			signal?.addEventListener('abort', cancel, { once: true });
			const options: IHttpRequestOptions = {
				method: 'GET',
				url: currentUrl,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				timeout: RETRY_POLICY.requestTimeoutMs,
				abortSignal: connection.signal,
			};
			let response: HttpAnswer;
			try {
				response = (await this.helpers.httpRequest(options)) as HttpAnswer;
			} catch (error) {
				return new NoAnswer(error);
			} finally {
				signal?.removeEventListener('abort', cancel);
			}
			const isFile = response.statusCode >= 200 && response.statusCode < 300;
			// Anything but the file is small: read it now (a streamed one is released with it).
			return {
				...response,
				body: isFile ? response.body : await smallBody(response.body),
				connection,
			};
		},
	});
	if (outcome.type !== 'answer') throw downloadFailure(this, expected.what, outcome, settings);

	const { headers, body, connection } = outcome.answer;
	const fileName =
		expected.fileName ||
		fileNameFromDisposition(headerValue(headers, 'content-disposition')) ||
		expected.fallbackFileName ||
		'download';
	const headerType = headerValue(headers, 'content-type')?.split(';')[0].trim();
	const mimeType = mimeTypeFor(fileName, headerType || undefined);
	if (isStream(body)) {
		guardBody(this, body, expected.what, settings, connection);
		if (!streamed) return { data: await readAll(body), fileName, mimeType } as DownloadResult<E>;
		const contentLength = headerValue(headers, 'content-length');
		const length = Number(contentLength);
		const file: StreamedFile = { data: body, fileName, mimeType };
		if (contentLength && Number.isSafeInteger(length) && length >= 0) file.contentLength = length;
		return file as DownloadResult<E>;
	}
	// Buffered (or a client that answered a stream request with bytes): one Buffer.
	const data = Buffer.isBuffer(body)
		? body
		: Buffer.from((body ?? new ArrayBuffer(0)) as ArrayBuffer);
	return { data, fileName, mimeType } as DownloadResult<E>;
}

/** The error of a download the pipeline gave up on; an answer's body is the small body read above. */
function downloadFailure(
	context: ScravioContext,
	what: string,
	failure: Failure<FileAnswer>,
	settings: RequestSettings,
): NodeApiError {
	switch (failure.type) {
		case 'cancelled':
			return answerError(
				context,
				0,
				{ message: 'The execution was cancelled', code: 'CANCELLED' },
				settings,
			);
		case 'noAnswer': {
			const message = `No answer while downloading the ${what}: ${networkReason(failure.error).reason}`;
			return answerError(context, 0, { message, code: 'NETWORK_ERROR' }, settings);
		}
		case 'tooManyRedirects':
			return answerError(
				context,
				0,
				{ message: `Too many redirects while downloading the ${what}` },
				settings,
			);
	}
	const { statusCode } = failure.answer;
	let body: unknown = {};
	try {
		body = JSON.parse(
			Buffer.isBuffer(failure.answer.body) ? failure.answer.body.toString('utf8') : '',
		);
	} catch {
		body = {};
	}
	const notes: string[] = [];
	if (failure.type === 'rateLimited') notes.push(rateLimitAdvice(failure));
	else if (statusCode === 404) {
		notes.push(
			'The download link was not found or has expired. Download links are short-lived: request a fresh one and download it right away.',
		);
	}
	const message = `Downloading the ${what} failed (HTTP ${statusCode})`;
	return answerError(context, statusCode, { message, ...(body as object) }, settings, notes);
}
