/** The n8n CLI for a home: the community package, credentials and workflows, `n8n execute` and its run. */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { N8nHome } from './home';
import { N8nCliError, runProcess, tail, type CliResult } from './processes';

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

async function runN8nCliOk(
	home: N8nHome,
	args: string[],
	opts: { timeoutMs?: number } = {},
): Promise<CliResult> {
	const r = await runN8nCli(home, args, opts);
	if (r.code !== 0)
		throw new N8nCliError(`n8n ${args.join(' ')} exited with ${r.code ?? r.signal}`, r);
	return r;
}

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
		fs.writeFileSync(
			pkgJson,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	}
	const npmEnv: NodeJS.ProcessEnv = { ...process.env };
	const r = await runProcess(
		'npm',
		[
			'install',
			tarball,
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--legacy-peer-deps',
			'--omit=dev',
			'--loglevel=error',
		],
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
export type WorkflowJson = Record<string, unknown> & {
	id?: string;
	name?: string;
	nodes: unknown[];
	connections: unknown;
};

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
			runData: Record<
				string,
				Array<{
					data?: { main?: Array<Array<N8nItem> | null> };
					error?: unknown;
					executionStatus?: string;
				}>
			>;
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
export async function executeWorkflow(
	home: N8nHome,
	id: string,
	opts: ExecuteOptions = {},
): Promise<N8nRun> {
	const r = await runN8nCli(home, ['execute', `--id=${id}`, '--rawOutput'], {
		timeoutMs: opts.timeoutMs,
	});
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
export function nodeOutput(
	run: N8nRun,
	nodeName: string,
	output = 0,
	runIndex?: number,
): N8nItem[] {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs || runs.length === 0) {
		throw new Error(
			`node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`,
		);
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
		home.install.major >= 2
			? ['publish:workflow', `--id=${id}`]
			: ['update:workflow', `--id=${id}`, '--active=true'];
	await runN8nCliOk(home, args);
}
