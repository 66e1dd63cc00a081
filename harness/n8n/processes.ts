/**
 * The processes the driver starts (n8n CLI calls, n8n servers, npm): each in its own process
 * group, killed on exit; and small waiting helpers.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const liveChildren = new Set<ChildProcess>();

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
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

export function track(child: ChildProcess): void {
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
		super(
			`${message}\n--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`,
		);
		this.name = 'N8nCliError';
	}
}

export function tail(s: string, n = 4000): string {
	return s.length > n ? `…${s.slice(-n)}` : s;
}

/** Spawns a command in its own process group, collects output, kills the group on timeout. */
export function runProcess(
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
			if (timedOut)
				reject(new N8nCliError(`timed out after ${opts.timeoutMs} ms: ${args.join(' ')}`, result));
			else resolve(result);
		});
	});
}

export function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(
	fn: () => Promise<T | undefined | null | false>,
	timeoutMs = 60_000,
	intervalMs = 500,
): Promise<T> {
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
			throw new Error(
				`waitFor: timed out after ${timeoutMs} ms${lastErr ? `: ${String(lastErr)}` : ''}`,
			);
		}
		await sleep(intervalMs);
	}
}
