/**
 * n8n 2.40.7 in QUEUE MODE, started from this repository's files for `npm run test:queue` and
 * `npm run bench -- --only=queue`: PostgreSQL (Debian's, run as the `postgres` user, data in a
 * temp folder), redis-server on a free loopback port, one main (`n8n start`) and N workers
 * (`n8n worker`), each with its own user folder holding the packed package as a community
 * package, and the same encryption key, database and Redis. See test/queue/NOTES.md.
 *
 *   const cluster = await startCluster({ tarball, sandboxApiUrl, workflows, publish });
 *   ...cluster.main, cluster.workers[i], cluster.workerOf(executionId)...
 *   await cluster.stop();   // every process started here, also on failure
 *
 * Everything started here is stopped by stop(), and by this process's exit (PostgreSQL and Redis
 * are stopped synchronously on `exit`; n8n processes are killed by harness/n8n/processes.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	createN8nHome,
	getFreePort,
	getInstall,
	httpRequest,
	importWorkflow,
	installPackage,
	importCredentials,
	publishWorkflow,
	setupOwner,
	login,
	startN8n,
	type N8nHome,
	type N8nInstall,
	type N8nSession,
	type RunningN8n,
	type WorkflowJson,
} from '../n8n';
import { sandboxCredential } from '../n8n/scravio';

/** Debian's PostgreSQL server binaries: SCRAVIO_PG_BIN, else the newest /usr/lib/postgresql/<v>/bin (15 here). */
export const PG_BIN =
	process.env.SCRAVIO_PG_BIN ||
	newestPostgresBin('/usr/lib/postgresql') ||
	'/usr/lib/postgresql/15/bin';

function newestPostgresBin(root: string): string | undefined {
	if (!fs.existsSync(root)) return undefined;
	const versions = fs
		.readdirSync(root)
		.filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

/** Generous: two cores shared with other work make every n8n start slow. */
const START_TIMEOUT_MS = 240_000;

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a command as the `postgres` user when we are root (PostgreSQL refuses to run as root). */
function asPostgres(cmd: string, args: string[]): string[] {
	return isRoot() ? ['runuser', '-u', 'postgres', '--', cmd, ...args] : [cmd, ...args];
}

function runSync(argv: string[], what: string, timeoutMs = 120_000): string {
	const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: timeoutMs });
	if (r.status !== 0)
		throw new Error(
			`${what} failed (exit ${r.status ?? r.signal}): ${argv.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}`,
		);
	return r.stdout;
}

const exitHooks = new Set<() => void>();
let exitHookInstalled = false;
function onExit(fn: () => void): () => void {
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.once('exit', () => {
			for (const f of exitHooks) {
				try {
					f();
				} catch {
					/* best effort */
				}
			}
		});
	}
	exitHooks.add(fn);
	return () => exitHooks.delete(fn);
}

/* ------------------------------------------------------------------------------------------ */
/* PostgreSQL                                                                                 */
/* ------------------------------------------------------------------------------------------ */

export interface Postgres {
	port: number;
	dir: string;
	stop(): void;
	/** Runs SQL with psql and returns the rows, each as an array of column strings. */
	query(sql: string): string[][];
	/** Resident memory of the server's processes (postmaster + backends), in MB. */
	rssMB(): number;
}

export async function startPostgres(parentDir: string): Promise<Postgres> {
	for (const bin of ['initdb', 'pg_ctl']) {
		if (!fs.existsSync(path.join(PG_BIN, bin)))
			throw new Error(
				`PostgreSQL not found: ${path.join(PG_BIN, bin)} (apt-get install -y postgresql, or set SCRAVIO_PG_BIN)`,
			);
	}
	const dir = path.join(parentDir, 'postgres');
	fs.mkdirSync(dir, { recursive: true });
	if (isRoot()) runSync(['chown', '-R', 'postgres:postgres', dir], 'chown');
	fs.chmodSync(parentDir, 0o755);
	const port = await getFreePort();
	const data = path.join(dir, 'data');
	runSync(
		asPostgres(path.join(PG_BIN, 'initdb'), [
			'-D',
			data,
			'-U',
			'postgres',
			'--auth=trust',
			'-E',
			'UTF8',
		]),
		'initdb',
	);
	const ctl = (args: string[]) => asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', data, ...args]);
	const stopNow = () => {
		spawnSync(ctl(['stop', '-m', 'immediate'])[0], ctl(['stop', '-m', 'immediate']).slice(1), {
			stdio: 'ignore',
			timeout: 30_000,
		});
	};
	const forget = onExit(stopNow);
	runSync(
		ctl([
			'-l',
			path.join(dir, 'pg.log'),
			'-w',
			'-t',
			'120',
			'-o',
			`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
			'start',
		]),
		'pg_ctl start',
		180_000,
	);
	let stopped = false;
	return {
		port,
		dir,
		stop() {
			if (stopped) return;
			stopped = true;
			const pidFile = path.join(data, 'postmaster.pid');
			const pid = fs.existsSync(pidFile)
				? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0])
				: 0;
			spawnSync(
				ctl(['stop', '-m', 'fast', '-w', '-t', '30'])[0],
				ctl(['stop', '-m', 'fast', '-w', '-t', '30']).slice(1),
				{ stdio: 'ignore', timeout: 60_000 },
			);
			stopNow(); // no-op when already stopped
			try {
				if (pid) process.kill(pid, 'SIGKILL'); // only if pg_ctl could not stop it
			} catch {
				/* stopped */
			}
			forget();
		},
		query(sql: string) {
			const out = runSync(
				asPostgres(path.join(PG_BIN, 'psql'), [
					'-h',
					dir,
					'-p',
					String(port),
					'-U',
					'postgres',
					'-d',
					'postgres',
					'-At',
					'-F',
					'\t',
					'-v',
					'ON_ERROR_STOP=1',
					'-c',
					sql,
				]),
				'psql',
			);
			return out
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => line.split('\t'));
		},
		rssMB() {
			const pidFile = path.join(data, 'postmaster.pid');
			if (!fs.existsSync(pidFile)) return 0;
			const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
			return treeRssMB(pid);
		},
	};
}

/* ------------------------------------------------------------------------------------------ */
/* Redis                                                                                      */
/* ------------------------------------------------------------------------------------------ */

export interface Redis {
	port: number;
	process: ChildProcess;
	stop(): Promise<void>;
}

export async function startRedis(dir: string): Promise<Redis> {
	const bin = process.env.SCRAVIO_REDIS_SERVER || 'redis-server';
	const port = await getFreePort();
	fs.mkdirSync(dir, { recursive: true });
	const child = spawn(
		bin,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let out = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
	const spawnError = new Promise<never>((_, reject) =>
		child.once('error', (e) =>
			reject(new Error(`${bin} did not start: ${e.message} (apt-get install -y redis-server)`)),
		),
	);
	const forget = onExit(() => child.kill('SIGKILL'));
	const deadline = Date.now() + 30_000;
	for (;;) {
		const ok = await Promise.race([spawnError, redisPing(port)]);
		if (ok) break;
		if (child.exitCode !== null || Date.now() > deadline)
			throw new Error(`redis-server did not answer on port ${port}:\n${out}`);
		await sleep(100);
	}
	return {
		port,
		process: child,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				const gone = new Promise((r) => child.once('exit', r));
				child.kill('SIGTERM');
				const t = setTimeout(() => child.kill('SIGKILL'), 5000);
				await gone;
				clearTimeout(t);
			}
			forget();
		},
	};
}

function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const s = net.connect(port, '127.0.0.1');
		s.setTimeout(1000);
		s.once('connect', () => s.write('PING\r\n'));
		s.once('data', (d) => {
			s.destroy();
			resolve(d.toString().startsWith('+PONG'));
		});
		s.once('error', () => resolve(false));
		s.once('timeout', () => {
			s.destroy();
			resolve(false);
		});
	});
}

/* ------------------------------------------------------------------------------------------ */
/* The n8n cluster                                                                            */
/* ------------------------------------------------------------------------------------------ */

export interface ClusterOptions {
	/** The packed package (npm pack), installed into every process's user folder. */
	tarball: string;
	/** The sandbox's API URL for the imported credential. */
	sandboxApiUrl: string;
	/** Workflows to import (their ids are kept). */
	workflows?: WorkflowJson[];
	/** Ids among `workflows` to publish (activate) before main starts: their triggers and webhooks run. */
	publish?: string[];
	/** Number of workers (default 2). */
	workers?: number;
	/** `n8n worker --concurrency` (default 10, n8n's own default). */
	concurrency?: number;
	/** Extra environment for every process. */
	env?: Record<string, string>;
	/** Extra environment per worker (index). */
	workerEnv?: (index: number) => Record<string, string>;
	/** Echo every process's output to stderr. */
	echo?: boolean;
}

export interface Worker {
	index: number;
	/** `worker-<index>` */
	name: string;
	home: N8nHome;
	/** Health-check port (`/healthz/readiness`). */
	healthPort: number;
	/** The current process; replaced by restartWorker(). */
	proc: RunningN8n;
	/** Output of every process this worker had, oldest first (restarts included). */
	logs(): string;
}

export interface Cluster {
	install: N8nInstall;
	dir: string;
	postgres: Postgres;
	redis: Redis;
	mainHome: N8nHome;
	main: RunningN8n;
	session: N8nSession;
	workers: Worker[];
	/** The environment every n8n process shares (queue mode, database, Redis, key). */
	sharedEnv: Record<string, string>;
	/** Which worker's log says it started `executionId` ("Worker started execution N"); undefined if none. */
	workerOf(executionId: string): Worker | undefined;
	/** Every worker that started `executionId` (more than one after a resume on the other worker). */
	workersOf(executionId: string): Worker[];
	/** Main's log line "Enqueued execution N" was printed. */
	enqueuedByMain(executionId: string): boolean;
	/** Stops main (SIGTERM, graceful) and starts it again on the same port and database. */
	restartMain(): Promise<void>;
	/** Starts worker `index` again after it was stopped or killed. */
	restartWorker(index: number, env?: Record<string, string>): Promise<void>;
	/** Resident memory per process (n8n process + its task runners), in MB. */
	memory(): Record<string, number>;
	/** Stops every process and removes the temp folder. Safe to call twice. */
	stop(): Promise<void>;
}

export function workerReady(healthPort: number) {
	return async (output: string): Promise<boolean> => {
		if (!/n8n worker is now ready/.test(output)) return false;
		const r = await httpRequest('GET', `http://127.0.0.1:${healthPort}/healthz/readiness`, {
			timeoutMs: 5000,
		}).catch(() => undefined);
		return r?.status === 200;
	};
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
	const install = getInstall(2);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scravio-queue-'));
	const cleanups: Array<() => Promise<void> | void> = [];
	const stopAll = async () => {
		for (const c of cleanups.splice(0).reverse()) {
			try {
				await c();
			} catch (error) {
				process.stderr.write(`[queue cluster] cleanup: ${String(error)}\n`);
			}
		}
	};
	// Cleanups run in reverse order: the folder goes last, after PostgreSQL has stopped (pg_ctl
	// needs its data folder to stop the server).
	cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
	try {
		const postgres = await startPostgres(dir);
		cleanups.push(() => postgres.stop());
		const redis = await startRedis(path.join(dir, 'redis'));
		cleanups.push(() => redis.stop());

		const sharedEnv: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: 'postgres',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			// n8n's default in queue mode, set explicitly: binary data lives in PostgreSQL
			// (binary_data table), so a file written by one process is read by another.
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			// Editor/REST "manual" runs go to the workers too.
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_RUNNERS_MODE: 'internal',
			...(opts.env ?? {}),
		};
		const homeIn = async (name: string, env: Record<string, string> = {}) => {
			const home = await createN8nHome(install, {
				userFolder: path.join(dir, name),
				env: { ...sharedEnv, ...env },
			});
			await installPackage(home, opts.tarball);
			return home;
		};

		const mainHome = await homeIn('main');
		mainHome.env.WEBHOOK_URL = `${mainHome.url}/`;
		// The first CLI call runs the migrations on the fresh database.
		await importCredentials(mainHome, [sandboxCredential(opts.sandboxApiUrl)]);
		for (const wf of opts.workflows ?? []) await importWorkflow(mainHome, wf);
		for (const id of opts.publish ?? []) await publishWorkflow(mainHome, id);

		const startMain = async () =>
			startN8n(mainHome, { timeoutMs: START_TIMEOUT_MS, echo: opts.echo });
		let main = await startMain();
		const mainLogs: string[] = [];
		cleanups.push(async () => {
			await main.stop();
		});
		const session = await setupOwner(main);

		const concurrency = opts.concurrency ?? 10;
		const workers: Worker[] = [];
		const startWorkerProc = async (
			w: Omit<Worker, 'proc' | 'logs'>,
			extra: Record<string, string> = {},
		) => {
			const env = { ...w.home.env, ...extra };
			return await startN8n(
				{ ...w.home, env },
				{
					args: ['worker', `--concurrency=${concurrency}`],
					isReady: workerReady(w.healthPort),
					timeoutMs: START_TIMEOUT_MS,
					echo: opts.echo,
				},
			);
		};
		const count = opts.workers ?? 2;
		const homes = await Promise.all(
			Array.from({ length: count }, async (_, index) => {
				const healthPort = await getFreePort();
				const home = await homeIn(`worker-${index}`, {
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					...(opts.workerEnv?.(index) ?? {}),
				});
				return { index, name: `worker-${index}`, home, healthPort };
			}),
		);
		for (const h of homes) {
			const previous: string[] = [];
			const proc = await startWorkerProc(h);
			const worker: Worker = {
				...h,
				proc,
				logs: () => [...previous, worker.proc.logs()].join('\n'),
			};
			(worker as Worker & { previous: string[] }).previous = previous;
			workers.push(worker);
			cleanups.push(async () => {
				await worker.proc.stop();
			});
		}

		const startedBy = (executionId: string) =>
			new RegExp(`Worker started execution ${executionId} \\(job`);
		const cluster: Cluster = {
			install,
			dir,
			postgres,
			redis,
			mainHome,
			get main() {
				return main;
			},
			session,
			workers,
			sharedEnv,
			workerOf: (id) => workers.find((w) => startedBy(id).test(w.logs())),
			workersOf: (id) => workers.filter((w) => startedBy(id).test(w.logs())),
			enqueuedByMain: (id) =>
				new RegExp(`Enqueued execution ${id} \\(job`).test([...mainLogs, main.logs()].join('\n')),
			async restartMain() {
				await main.stop();
				mainLogs.push(main.logs());
				main = await startMain();
				cluster.session = await login(main);
			},
			async restartWorker(index, env = {}) {
				const w = workers[index] as Worker & { previous: string[] };
				await w.proc.stop();
				w.previous.push(w.proc.logs());
				w.proc = await startWorkerProc(w, env);
			},
			memory() {
				const m: Record<string, number> = { main: treeRssMB(main.process.pid) };
				for (const w of workers) m[w.name] = treeRssMB(w.proc.process.pid);
				m.postgres = postgres.rssMB();
				m.redis = treeRssMB(redis.process.pid);
				return m;
			},
			stop: stopAll,
		};
		return cluster;
	} catch (error) {
		await stopAll();
		throw error;
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

/** Resident memory of a process and its descendants (Linux /proc), in MB; 0 when gone. */
export function treeRssMB(pid: number | undefined): number {
	if (!pid) return 0;
	const children = new Map<number, number[]>();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			const list = children.get(ppid) ?? [];
			list.push(Number(entry));
			children.set(ppid, list);
		} catch {
			/* gone */
		}
	}
	let kb = 0;
	const visit = (p: number) => {
		try {
			const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
			if (m) kb += Number(m[1]);
		} catch {
			return;
		}
		for (const c of children.get(p) ?? []) visit(c);
	};
	visit(pid);
	return Math.round(kb / 1024);
}

/** A copy of `wf` whose first Manual Trigger became a production Webhook (POST `/webhook/<path>`). */
export function withWebhookTrigger(
	wf: WorkflowJson,
	webhookPath: string,
	opts: { id?: string } = {},
): WorkflowJson {
	const nodes = (wf.nodes as Array<Record<string, unknown>>).map((n) =>
		n.type === 'n8n-nodes-base.manualTrigger'
			? {
					...n,
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					webhookId: `${webhookPath}-hook`,
					parameters: {
						httpMethod: 'POST',
						path: webhookPath,
						responseMode: 'onReceived',
						options: {},
					},
				}
			: n,
	);
	if (!nodes.some((n) => n.type === 'n8n-nodes-base.webhook'))
		throw new Error(`workflow ${String(wf.id)} has no Manual Trigger to replace`);
	return { ...wf, id: opts.id ?? wf.id, nodes, active: false };
}
