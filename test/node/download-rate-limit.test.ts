/**
 * A file host that answers 429 to a download (Export → Download, through n8n's engine over real
 * HTTP). Downloads go through the same retry core as API requests, so they keep the same
 * promises: a Retry-After the node waits out is waited out; one longer than
 * RETRY_POLICY.maxRetryAfterSeconds, or a 429 after the retries are used up, fails at once with
 * a message that says how long Scravio asked to wait (before, a download fell through to a bare
 * "HTTP 429" error there).
 *
 * Retry-After in seconds or absent: the sandbox's file host (scripted `rateLimit` faults).
 * Retry-After as an HTTP date: the sandbox's file host never sends one, so a small file host in
 * this file does, and the API's download route (a `body` fault) hands the node a link to it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';

import { RETRY_POLICY } from '../../nodes/transport';
import { PRESETS, byId, startTestbed, type Testbed } from './setup';

const policy = RETRY_POLICY as { -readonly [K in keyof typeof RETRY_POLICY]: number };
const TOO_LONG =
	/^Scravio asks to wait 360[01] s before retrying, longer than the 60 s this node waits\. The request was not processed\.$/;

let bed: Testbed;
let exportId: string;

beforeAll(async () => {
	bed = await startTestbed({ clockSpeed: 0, enforceRateLimits: false });
	const response = await fetch(`${bed.apiUrl}/list-exports`, {
		method: 'POST',
		headers: { 'X-API-Key': PRESETS.apiKeys.account, 'Content-Type': 'application/json' },
		body: JSON.stringify({ campaignId: 'cmp_demo_hashtag', fileFormat: 'csv' }),
	});
	exportId = ((await response.json()) as { data: { exportId: string } }).data.exportId;
	await bed.advance(120);
});
afterAll(async () => await bed.close());
beforeEach(async () => {
	await bed.admin('DELETE', '/faults');
	await bed.clearRequests();
});

const download = async () =>
	await bed.run({ resource: 'export', operation: 'download', exportId: byId(exportId) });
const rateLimitFiles = async (retryAfter: number | null, times = 1) =>
	await bed.admin('POST', '/faults', {
		host: 'storage',
		path: '^/files/',
		kind: 'rateLimit',
		retryAfter,
		times,
	});

describe('the file host answers 429 (Retry-After in seconds, or none)', () => {
	it('Retry-After: 1 is waited out and the download succeeds, without a credential at the file host', async () => {
		await rateLimitFiles(1);
		const started = Date.now();
		const result = await download();
		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(result.outputs[0][0].json).toMatchObject({ exportId, mimeType: 'text/csv' });
		const files = await bed.storageRequests();
		expect(files.map((entry) => entry.fault ?? entry.status)).toEqual(['rateLimit:before', 200]);
		expect(
			files.every((entry) => entry.apiKey === 'absent' && entry.authorization === 'absent'),
		).toBe(true);
	});

	it('without Retry-After, the node waits its default and the download succeeds', async () => {
		const saved = policy.defaultRetryAfterSeconds;
		policy.defaultRetryAfterSeconds = 1;
		try {
			await rateLimitFiles(null);
			const started = Date.now();
			const result = await download();
			expect(result.error).toBeUndefined();
			expect(Date.now() - started).toBeGreaterThanOrEqual(950);
			expect((await bed.storageRequests()).map((entry) => entry.fault ?? entry.status)).toEqual([
				'rateLimit:before',
				200,
			]);
		} finally {
			policy.defaultRetryAfterSeconds = saved;
		}
	});

	it('a Retry-After longer than the node waits out (3600 s) fails at once, saying how long', async () => {
		await rateLimitFiles(3600);
		const started = Date.now();
		const result = await download();
		expect(Date.now() - started).toBeLessThan(3000);
		expect(result.error?.message).toBe('Downloading the export failed (HTTP 429)');
		expect(result.error?.description).toMatch(TOO_LONG);
		expect(await bed.storageRequests()).toHaveLength(1);
	});

	it('a 429 after the retries are used up fails, saying the node already retried', async () => {
		await rateLimitFiles(0, RETRY_POLICY.maxRateLimitRetries + 1);
		const result = await download();
		expect(result.error?.message).toBe('Downloading the export failed (HTTP 429)');
		expect(result.error?.description).toBe(
			`Scravio asks to wait 0 s before retrying and the node already retried ${RETRY_POLICY.maxRateLimitRetries} times. The request was not processed.`,
		);
		const files = await bed.storageRequests();
		expect(files).toHaveLength(RETRY_POLICY.maxRateLimitRetries + 1);
		expect(files.every((entry) => entry.fault === 'rateLimit:before')).toBe(true);
	});
});

describe('the file host answers 429 with Retry-After as an HTTP date', () => {
	/** Seconds ahead of now that the next 429's Retry-After date names; then the file. */
	let waits: number[] = [];
	const seen: IncomingHttpHeaders[] = [];
	let host: Server;
	let hostUrl: string;

	beforeAll(async () => {
		host = createServer((request, response) => {
			seen.push(request.headers);
			const wait = waits.shift();
			if (wait !== undefined) {
				// HTTP dates have whole seconds: the next whole second at least `wait` seconds ahead.
				const date = new Date((Math.floor(Date.now() / 1000) + 1 + wait) * 1000).toUTCString();
				response.writeHead(429, { 'retry-after': date, 'content-type': 'application/xml' });
				response.end('<Error><Code>SlowDown</Code></Error>');
				return;
			}
			response.writeHead(200, {
				'content-type': 'text/csv',
				'content-disposition': 'attachment; filename="dated.csv"',
			});
			response.end('email\nanna@example.com\n');
		});
		await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
		hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
	});
	afterAll(async () => await new Promise((resolve) => host.close(resolve)));
	beforeEach(async () => {
		seen.length = 0;
		// The API's download route hands out a link to this file host.
		await bed.admin('POST', '/faults', {
			method: 'GET',
			path: '^/api/list-exports/[^/]+/download$',
			kind: 'body',
			body: {
				success: true,
				data: { downloadUrl: `${hostUrl}/files/dated.csv`, filename: 'dated.csv' },
			},
		});
	});

	it('a date about a second ahead is waited out and the download succeeds, without a credential at the file host', async () => {
		waits = [0];
		const started = Date.now();
		const result = await download();
		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(result.outputs[0][0].json).toMatchObject({
			fileName: 'dated.csv',
			mimeType: 'text/csv',
		});
		expect(seen).toHaveLength(2);
		expect(seen.every((headers) => !headers['x-api-key'] && !headers.authorization)).toBe(true);
	});

	it('a date an hour ahead fails at once, saying how long', async () => {
		waits = [3599];
		const started = Date.now();
		const result = await download();
		expect(Date.now() - started).toBeLessThan(3000);
		expect(result.error?.message).toBe('Downloading the export failed (HTTP 429)');
		expect(result.error?.description).toMatch(TOO_LONG);
		expect(seen).toHaveLength(1);
	});
});
