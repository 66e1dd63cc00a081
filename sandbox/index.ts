/**
 * Scravio sandbox: a local, stateful simulator of the Scravio API contract (sandbox/openapi.yaml).
 *
 *   const sandbox = await startSandbox({ port: 0, quiet: true });
 *   fetch(`${sandbox.apiUrl}/auth/me`, { headers: { 'X-API-Key': PRESETS.apiKeys.account } });
 *   await sandbox.close();
 */
import { createHash } from 'crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './http/app';
import type { SandboxContext } from './http/context';
import { RequestLog } from './http/requestLog';
import { StorageHost } from './http/storage';
import { FileStore } from './model/files';
import { World } from './model/world';
import { VirtualClock } from './simulation/clock';
import { resolveOptions, type Readings, type SandboxOptions } from './simulation/config';
import { FaultInjector } from './simulation/faults';
import { RateLimiter } from './simulation/rateLimit';
import { advance, reset, settle } from './simulation/simulation';
import { WebhookSender } from './simulation/webhooks';

export type { SandboxOptions, RandomFaults, Readings } from './simulation/config';
export {
	optionsFromEnv,
	DEFAULT_OPTIONS,
	DEFAULT_READINGS,
	READING_VALUES,
} from './simulation/config';

/** Start options: every SandboxOptions field, readings given in part (the rest keep their defaults). */
export type StartOptions = Omit<Partial<SandboxOptions>, 'readings'> & {
	readings?: Partial<Readings>;
};
export { PRESETS, ROLE_PERMISSIONS } from './model/presets';

export interface Sandbox {
	/** API base URL, e.g. http://127.0.0.1:5690/api */
	apiUrl: string;
	/** Origin of the API listener, e.g. http://127.0.0.1:5690 */
	baseUrl: string;
	/** Admin routes, e.g. http://127.0.0.1:5690/__sandbox */
	adminUrl: string;
	/** Origin of the separate file host the download redirect points at. */
	storageUrl: string;
	port: number;
	storagePort: number;
	/** Current state, the model's World (replaced by reset()). */
	readonly state: World;
	clock: VirtualClock;
	/** Live options (PATCH /__sandbox/config changes them). */
	config: SandboxOptions;
	/** Moves virtual time forward and settles what became due (ledger, webhooks). */
	advance(ms: number): Promise<void>;
	/** Fresh state from the same seed. */
	reset(): void;
	close(): Promise<void>;
}

/** How often (real time) finished work is settled without a request arriving. */
const TICK_MS = 200;

export async function startSandbox(options: StartOptions = {}): Promise<Sandbox> {
	const config = resolveOptions(options);
	const clock = new VirtualClock(config.clockSpeed);
	const log = (message: string) => {
		if (!config.quiet) console.log(`[sandbox] ${message}`);
	};
	const storageSecret = createHash('sha256')
		.update(`scravio-sandbox-storage:${config.seed}:${process.pid}:${Date.now()}`)
		.digest('hex');
	const faults = new FaultInjector(config.seed);
	const files = new FileStore();
	const storage = new StorageHost(clock, storageSecret, files, faults);
	const urlHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
	const ctx: SandboxContext = {
		config,
		clock,
		state: new World(config.seed, config.largeData, clock.now()),
		rateLimiter: new RateLimiter(),
		requestLog: new RequestLog(),
		faults,
		files,
		storage,
		webhooks: new WebhookSender(log),
		apiUrl: '',
		log,
	};
	let app: FastifyInstance | undefined;
	try {
		await storage.listen(config.host, config.storagePort);
		storage.url = storage.url.replace(`//${config.host}:`, `//${urlHost}:`);
		app = await buildApp(ctx);
		await app.listen({ host: config.host, port: config.port });
	} catch (error) {
		await storage.close().catch(() => undefined);
		await app?.close().catch(() => undefined);
		throw error;
	}
	const address = app.server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	const baseUrl = `http://${urlHost}:${port}`;
	ctx.apiUrl = `${baseUrl}/api`;
	const storagePort = Number(new URL(storage.url).port);

	const ticker = setInterval(() => {
		settle(ctx).catch((error) => log(`tick failed: ${error}`));
	}, TICK_MS);
	ticker.unref();

	const server = app;
	let closed = false;
	return {
		apiUrl: ctx.apiUrl,
		baseUrl,
		adminUrl: `${baseUrl}/__sandbox`,
		storageUrl: storage.url,
		port,
		storagePort,
		get state() {
			return ctx.state;
		},
		clock,
		config,
		advance(ms: number) {
			return advance(ctx, ms);
		},
		reset() {
			reset(ctx);
		},
		async close() {
			if (closed) return;
			closed = true;
			clearInterval(ticker);
			ctx.faults.releaseStalled();
			const closing = Promise.all([server.close(), storage.close()]);
			// A client may still hold a connection of a stalled answer: close every connection.
			server.server.closeAllConnections();
			await closing;
		},
	};
}
