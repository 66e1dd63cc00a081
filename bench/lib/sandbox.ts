/**
 * Starts the sandbox in a child process (bench/lib/sandbox-server.ts) and talks to its API and
 * admin routes through the one sandbox client (harness/sandboxClient.ts). The benchmarks measure
 * the client side; the server has its own process (and, on a machine with 2 cores, mostly its own
 * core), so its CPU does not inflate client timings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';

import type { SandboxOptions } from '../../sandbox';
import { PRESETS } from '../../sandbox/model/presets';
import {
	sandboxClient,
	type LoggedRequest,
	type SandboxClient,
	type SandboxUrls,
} from '../../harness/sandboxClient';

export { PRESETS };
export type { LoggedRequest };

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

export async function startSandboxProcess(
	options: Partial<SandboxOptions> = {},
): Promise<SandboxProcess> {
	const child: ChildProcess = spawn(
		process.execPath,
		['--import', 'tsx', path.join(ROOT, 'bench/lib/sandbox-server.ts')],
		{
			cwd: ROOT,
			env: { ...process.env, BENCH_SANDBOX_OPTIONS: JSON.stringify(options) },
			stdio: ['pipe', 'pipe', 'inherit'],
		},
	);
	const lines = createInterface({ input: child.stdout! });
	const info = await new Promise<{
		apiUrl: string;
		adminUrl: string;
		storageUrl: string;
		pid: number;
		startMs: number;
	}>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error('the sandbox did not start within 120 s')),
			120_000,
		);
		child.once('exit', (code) =>
			reject(new Error(`the sandbox exited with code ${code} before it was ready`)),
		);
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

/** The sandbox's one client (harness/sandboxClient.ts) as the demo account (account-scoped key) in the large workspace. */
export function client(sandbox: SandboxUrls): SandboxClient {
	return sandboxClient(sandbox, { apiKey: API_KEY, workspaceId: WS_LARGE });
}

/** Calls the API as the demo account (account-scoped key). Throws on a non-2xx answer. */
export async function api<T = Record<string, unknown>>(
	sandbox: SandboxUrls,
	method: string,
	route: string,
	body?: unknown,
	workspaceId: string = WS_LARGE,
): Promise<T> {
	return await client(sandbox).api<T>(method, route, body, workspaceId);
}

export async function admin<T = Record<string, unknown>>(
	sandbox: SandboxUrls,
	method: string,
	route: string,
	body?: unknown,
): Promise<T> {
	return await client(sandbox).admin<T>(method, route, body);
}

export async function clearRequestLog(sandbox: SandboxUrls): Promise<void> {
	await client(sandbox).clearRequests();
}

export async function requestLog(sandbox: SandboxUrls): Promise<LoggedRequest[]> {
	return await client(sandbox).requests();
}

/** Requests the sandbox logged (API and file host) since the log was last cleared. */
export async function countRequests(
	sandbox: SandboxUrls,
	host?: 'api' | 'storage',
): Promise<number> {
	const log = await requestLog(sandbox);
	return host ? log.filter((entry) => entry.host === host).length : log.length;
}

/**
 * Creates an export of `campaignId` in `fileFormat`, moves the sandbox clock on until it is
 * built, and returns its id and record count (throws when it did not complete).
 */
export async function completedExport(
	sandbox: SandboxUrls,
	campaignId: string,
	fileFormat: string,
): Promise<{ exportId: string; totalRecords: number }> {
	const { data } = await api<{ data: { exportId: string } }>(sandbox, 'POST', '/list-exports', {
		campaignId,
		fileFormat,
		dedupeByEmail: false,
	});
	await admin(sandbox, 'POST', '/clock/advance', { ms: 120_000 });
	const detail = await api<{ data: { status: string; totalRecords: number } }>(
		sandbox,
		'GET',
		`/list-exports/${data.exportId}`,
	);
	if (detail.data.status !== 'completed')
		throw new Error(`export ${data.exportId} is ${detail.data.status}`);
	return { exportId: data.exportId, totalRecords: detail.data.totalRecords };
}
