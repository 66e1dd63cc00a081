/**
 * The "storage" host: a second listener on its own port that stands in for the file host the
 * download redirect points at (a different origin than the API). Files are served only with a
 * signed, expiring URL; the files themselves are the model's (model/files.ts). It logs every
 * request's headers (credential values redacted) so tests can prove that no X-API-Key or
 * Authorization header reached it.
 */
import { createHmac, timingSafeEqual } from 'crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { FileStore } from '../model/files';
import type { VirtualClock } from '../simulation/clock';
import type { FaultInjector } from '../simulation/faults';

export interface StorageRequest {
	host: 'storage';
	at: string;
	method: string;
	url: string;
	path: string;
	status: number | null;
	headerNames: string[];
	/** Header values, with authorization / x-api-key / cookie redacted. */
	headers: Record<string, string>;
	apiKey: 'present' | 'absent';
	authorization: 'Bearer' | 'other' | 'absent';
	/** The scripted fault (`host: 'storage'`) that answered this request, e.g. `stall:before`. */
	fault?: string;
}

const SENSITIVE = new Set(['authorization', 'x-api-key', 'cookie', 'proxy-authorization']);

/** Signed storage URLs live this long (virtual time). */
export const STORAGE_URL_TTL_MS = 10 * 60_000;

export class StorageHost {
	private readonly app: FastifyInstance;
	private requests: StorageRequest[] = [];
	url = '';

	constructor(
		private readonly clock: VirtualClock,
		private readonly secret: string,
		/** The files it serves (model/files.ts). */
		private readonly files: FileStore,
		/** Scripted faults with `host: 'storage'` (stall, drop, status, rateLimit, latency). */
		private readonly faults?: FaultInjector,
	) {
		this.app = Fastify({ logger: false });
		this.app.addHook('onRequest', async (request) => {
			const headers: Record<string, string> = {};
			for (const [name, value] of Object.entries(request.headers))
				headers[name] = SENSITIVE.has(name) ? '[redacted]' : String(value);
			const entry: StorageRequest = {
				host: 'storage',
				at: new Date(this.clock.now()).toISOString(),
				method: request.method,
				url: request.url,
				path: request.url.split('?')[0],
				status: null,
				headerNames: Object.keys(request.headers).sort(),
				headers,
				apiKey: request.headers['x-api-key'] !== undefined ? 'present' : 'absent',
				authorization:
					request.headers.authorization === undefined
						? 'absent'
						: /^bearer\s/i.test(request.headers.authorization)
							? 'Bearer'
							: 'other',
			};
			this.requests.push(entry);
			(request as unknown as { storageEntry: StorageRequest }).storageEntry = entry;
		});
		this.app.addHook('onResponse', async (request, reply) => {
			const entry = (request as unknown as { storageEntry?: StorageRequest }).storageEntry;
			if (entry) entry.status = reply.statusCode;
		});
		this.app.get('/files/:key', async (request, reply) => {
			const { key } = request.params as { key: string };
			const { expires, signature } = request.query as { expires?: string; signature?: string };
			const expiresAt = Number(expires);
			if (!expires || !signature || !this.validSignature(key, expiresAt, signature)) {
				return reply
					.code(403)
					.type('application/xml')
					.send('<Error><Code>SignatureDoesNotMatch</Code></Error>');
			}
			if (this.clock.now() > expiresAt) {
				return reply
					.code(403)
					.type('application/xml')
					.send('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
			}
			const file = await this.files.load(key);
			if (!file)
				return reply
					.code(404)
					.type('application/xml')
					.send('<Error><Code>NoSuchKey</Code></Error>');
			const fault = this.faults?.take(request.method, request.url.split('?')[0], 'storage');
			if (fault) {
				const entry = (request as unknown as { storageEntry?: StorageRequest }).storageEntry;
				if (entry) entry.fault = `${fault.kind}:before`;
				switch (fault.kind) {
					case 'stall':
						reply.hijack();
						this.faults!.stallRaw(
							reply.raw,
							200,
							{
								'content-type': file.contentType,
								'content-disposition': `attachment; filename="${file.filename}"`,
								'content-length': String(file.body.length),
							},
							file.body,
						);
						return reply;
					case 'drop':
						reply.hijack();
						request.raw.socket?.destroy();
						return reply;
					case 'latency':
						await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
						break;
					case 'rateLimit':
					case 'status': {
						const status = fault.kind === 'rateLimit' ? 429 : fault.status;
						if (status === 429 && fault.retryAfter !== null)
							reply.header('retry-after', String(fault.retryAfter));
						if (fault.location) reply.header('location', fault.location);
						return reply
							.code(status)
							.type('application/xml')
							.send(`<Error><Code>InjectedFault</Code><Message>status ${status}</Message></Error>`);
					}
				}
			}
			if (request.headers['if-none-match'] === file.etag)
				return reply.code(304).header('etag', file.etag).send();
			return reply
				.header('content-type', file.contentType)
				.header('content-disposition', `attachment; filename="${file.filename}"`)
				.header('etag', file.etag)
				.header('last-modified', new Date(file.lastModified).toUTCString())
				.header('cache-control', 'private, max-age=300')
				.send(file.body);
		});
	}

	async listen(host: string, port: number): Promise<string> {
		await this.app.listen({ host, port });
		const address = this.app.server.address();
		const actualPort = typeof address === 'object' && address ? address.port : port;
		this.url = `http://${host}:${actualPort}`;
		return this.url;
	}

	async close(): Promise<void> {
		const closing = this.app.close();
		// Stalled downloads (stall faults) keep their connections: close them all.
		this.app.server.closeAllConnections();
		await closing;
	}

	/** A signed URL that works until `now + ttl` on the virtual clock. */
	signedUrl(key: string, ttlMs = STORAGE_URL_TTL_MS): string {
		const expires = this.clock.now() + ttlMs;
		return `${this.url}/files/${encodeURIComponent(key)}?expires=${expires}&signature=${this.sign(key, expires)}`;
	}

	private sign(key: string, expires: number): string {
		return createHmac('sha256', this.secret).update(`${key}\n${expires}`).digest('hex');
	}

	private validSignature(key: string, expires: number, signature: string): boolean {
		const expected = Buffer.from(this.sign(key, expires), 'hex');
		const given = Buffer.from(signature, 'hex');
		return given.length === expected.length && timingSafeEqual(given, expected);
	}

	log(): StorageRequest[] {
		return this.requests;
	}

	clearLog(): void {
		this.requests = [];
	}
}
