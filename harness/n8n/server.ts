/** Long-running n8n processes (`n8n start`, `n8n worker`) for a home: start, wait until ready, stop. */
import { spawn, type ChildProcess } from 'node:child_process';

import type { N8nHome } from './home';
import { killGroup, sleep, tail, track } from './processes';
import { httpRequest } from './rest';

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
	const exitStatus = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
		(resolve) =>
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
	const running: RunningN8n = {
		home,
		url: home.url,
		process: child,
		logs: () => output,
		stop,
		signal,
		exited: exitStatus,
	};
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
			if (exited)
				throw new Error(`n8n ${args[0]} exited early (code ${child.exitCode}):\n${tail(output)}`);
			if (Date.now() > deadline)
				throw new Error(
					`n8n ${args[0]} was not ready (${home.url}) within ${timeoutMs} ms:\n${tail(output)}`,
				);
			if (await isReady(output)) return running;
			await sleep(250);
		}
	} catch (err) {
		await stop();
		throw err;
	}
}
