/**
 * Starts the sandbox in a child process (bench/lib/sandbox-server.ts) and talks to its API and
 * admin routes. The benchmarks measure the client side; the server has its own process (and, on
 * a machine with 2 cores, mostly its own core), so its CPU does not inflate client timings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';

import type { SandboxOptions } from '../../sandbox';
import { PRESETS } from '../../sandbox/model/presets';

export { PRESETS };

export interface SandboxProcess {
	apiUrl: string;
	adminUrl: string;
	storageUrl: string;
	pid: number;
	/** Server start-up time (state seeding), ms. */
	startMs: number;
	close(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

export async function startSandboxProcess(options: Partial<SandboxOptions> = {}): Promise<SandboxProcess> {
	const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/lib/sandbox-server.ts')], {
		cwd: ROOT,
		env: { ...process.env, BENCH_SANDBOX_OPTIONS: JSON.stringify(options) },
		stdio: ['pipe', 'pipe', 'inherit'],
	});
	const lines = createInterface({ input: child.stdout! });
	const info = await new Promise<{ apiUrl: string; adminUrl: string; storageUrl: string; pid: number; startMs: number }>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('the sandbox did not start within 120 s')), 120_000);
		child.once('exit', (code) => reject(new Error(`the sandbox exited with code ${code} before it was ready`)));
		lines.once('line', (line) => {
			clearTimeout(timer);
			try {
				resolve(JSON.parse(line));
			} catch {
				reject(new Error(`unexpected sandbox output: ${line}`));
			}
		});
	});
	child.removeAllListeners('exit');
	let closed = false;
	return {
		...info,
		async close() {
			if (closed) return;
			closed = true;
			const exited = new Promise<void>((resolve) => {
				if (child.exitCode !== null) resolve();
				else child.once('exit', () => resolve());
			});
			child.stdin!.end();
			const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
			await exited;
			clearTimeout(timer);
		},
	};
}

export const WS_LARGE = PRESETS.workspaces.large;
export const API_KEY = PRESETS.apiKeys.account;

/** Calls the API as the demo account (account-scoped key). Throws on a non-2xx answer. */
export async function api<T = Record<string, unknown>>(
	sandbox: Pick<SandboxProcess, 'apiUrl'>,
	method: string,
	route: string,
	body?: unknown,
	workspaceId: string = WS_LARGE,
): Promise<T> {
	const response = await fetch(`${sandbox.apiUrl}${route}`, {
		method,
		headers: { 'X-API-Key': API_KEY, 'X-Workspace-Id': workspaceId, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = (await response.json()) as T;
	if (response.status >= 300) throw new Error(`${method} ${route} answered ${response.status}: ${JSON.stringify(json)}`);
	return json;
}

export async function admin<T = Record<string, unknown>>(sandbox: Pick<SandboxProcess, 'adminUrl'>, method: string, route: string, body?: unknown): Promise<T> {
	const response = await fetch(`${sandbox.adminUrl}${route}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = (await response.json()) as T;
	if (response.status >= 300) throw new Error(`admin ${method} ${route} answered ${response.status}: ${JSON.stringify(json)}`);
	return json;
}

export interface LoggedRequest {
	method: string;
	path: string;
	url: string;
	status: number | null;
	host: 'api' | 'storage';
	operationId: string | null;
}

export async function clearRequestLog(sandbox: Pick<SandboxProcess, 'adminUrl'>): Promise<void> {
	await admin(sandbox, 'DELETE', '/requests');
}

export async function requestLog(sandbox: Pick<SandboxProcess, 'adminUrl'>): Promise<LoggedRequest[]> {
	return (await admin<{ requests: LoggedRequest[] }>(sandbox, 'GET', '/requests')).requests;
}

/** Requests the sandbox logged (API and file host) since the log was last cleared. */
export async function countRequests(sandbox: Pick<SandboxProcess, 'adminUrl'>, host?: 'api' | 'storage'): Promise<number> {
	const log = await requestLog(sandbox);
	return host ? log.filter((entry) => entry.host === host).length : log.length;
}
