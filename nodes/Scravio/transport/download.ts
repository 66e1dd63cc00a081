import type { IHttpRequestOptions } from 'n8n-workflow';

import type { RequestSettings, ScravioContext } from './request';
import { RETRY_POLICY, apiError, backoffMs, isNetworkError, retryAfterSeconds, waitUnlessCancelled } from './request';

export interface DownloadedFile {
	data: Buffer;
	fileName: string;
	mimeType: string;
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

function fileNameFromDisposition(disposition: string | undefined): string | undefined {
	if (!disposition) return undefined;
	const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
	if (encoded) return decodeURIComponent(encoded[1].trim());
	const plain = /filename="?([^";]+)"?/i.exec(disposition);
	return plain?.[1].trim();
}

const MAX_REDIRECTS = 5;

export interface DownloadExpectation {
	/** The file name the API announced; wins over the file host's Content-Disposition. */
	fileName?: string;
	/** Used when neither the API nor the file host names the file. */
	fallbackFileName?: string;
	/** What is downloaded, for error messages ("export", "validation results"). */
	what: string;
}

/**
 * Downloads an opaque Scravio file URL (an export's `downloadUrl` or a validation job's
 * results URL) and follows its redirects by hand.
 *
 * No credential is ever sent: the export redirect route must not receive X-API-Key, and the
 * file host behind the 302 is another host that must see no auth header at all.
 */
export async function scravioDownload(
	this: ScravioContext,
	url: string,
	expected: DownloadExpectation,
	settings: RequestSettings = {},
): Promise<DownloadedFile> {
	const request = { method: 'GET' as const, path: expected.what, scope: 'workspace' as const };
	let currentUrl = url;
	let serverErrorRetries = 0;
	let rateLimitRetries = 0;
	let hop = 0;
	for (; hop <= MAX_REDIRECTS; hop++) {
		const options: IHttpRequestOptions = {
			method: 'GET',
			url: currentUrl,
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: RETRY_POLICY.requestTimeoutMs,
		};
		let response: { statusCode: number; headers: Record<string, string | undefined>; body: Buffer };
		try {
			response = (await this.helpers.httpRequest(options)) as typeof response;
		} catch (error) {
			// A download is a GET: a timeout or dropped connection is retried like any idempotent request.
			if (isNetworkError(error) && serverErrorRetries < RETRY_POLICY.maxServerErrorRetries) {
				serverErrorRetries++;
				if (!(await waitUnlessCancelled(this, backoffMs(serverErrorRetries)))) break;
				hop--;
				continue;
			}
			throw apiError(this, request, 0, { message: `No answer while downloading the ${expected.what}: ${(error as Error)?.message ?? 'connection failed'}`, code: 'NETWORK_ERROR' }, settings);
		}
		const { statusCode, headers } = response;
		if (statusCode === 429 && rateLimitRetries < RETRY_POLICY.maxRateLimitRetries) {
			const waitSeconds = retryAfterSeconds(headers['retry-after']);
			if (waitSeconds <= RETRY_POLICY.maxRetryAfterSeconds) {
				rateLimitRetries++;
				if (!(await waitUnlessCancelled(this, waitSeconds * 1000))) break;
				hop--;
				continue;
			}
		}
		if (statusCode >= 500 && serverErrorRetries < RETRY_POLICY.maxServerErrorRetries) {
			serverErrorRetries++;
			if (!(await waitUnlessCancelled(this, backoffMs(serverErrorRetries)))) break;
			hop--;
			continue;
		}
		if (statusCode >= 300 && statusCode < 400 && headers.location) {
			currentUrl = new URL(headers.location, currentUrl).toString();
			continue;
		}
		if (statusCode >= 200 && statusCode < 300) {
			const data = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body as ArrayBuffer);
			const fileName =
				expected.fileName || fileNameFromDisposition(headers['content-disposition']) || expected.fallbackFileName || 'download';
			const headerType = headers['content-type']?.split(';')[0].trim();
			return { data, fileName, mimeType: mimeTypeFor(fileName, headerType || undefined) };
		}
		let body: unknown = {};
		try {
			body = JSON.parse(Buffer.from(response.body ?? []).toString('utf8'));
		} catch {
			body = {};
		}
		throw apiError(
			this,
			request,
			statusCode,
			{ message: `Downloading the ${expected.what} failed (HTTP ${statusCode})`, ...(body as object) },
			settings,
			statusCode === 404
				? 'The download link was not found or has expired. Download links are short-lived: request a fresh one and download it right away.'
				: undefined,
		);
	}
	if (hop > MAX_REDIRECTS) throw apiError(this, request, 0, { message: `Too many redirects while downloading the ${expected.what}` }, settings);
	throw apiError(this, request, 0, { message: 'The execution was cancelled', code: 'CANCELLED' }, settings);
}
