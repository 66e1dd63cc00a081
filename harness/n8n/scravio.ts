/**
 * The Scravio side of the end-to-end tests, `npm run demo` and `npm run dev`: build and pack this
 * package, the sandbox credential, the example workflows, and an n8n home with all of it.
 * Only Node.js built-ins here (plus the sandbox and the n8n driver beside it), so scripts and tests share it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { PRESETS } from '../../sandbox';
import {
	importCredentials,
	importWorkflow,
	installPackage,
	type N8nCredential,
	type WorkflowJson,
} from './cli';
import { createN8nHome, type CreateHomeOptions, type N8nHome } from './home';
import type { N8nInstall } from './install';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

export const PACKAGE_NAME = 'n8n-nodes-scravio';
export const NODE_TYPE = `${PACKAGE_NAME}.scravio`;
export const TRIGGER_TYPE = `${PACKAGE_NAME}.scravioTrigger`;
export const CREDENTIAL_TYPE = 'scravioApi';

/** The credential every example references: `{"id":"scravio-sandbox","name":"Scravio sandbox"}`. */
export const SANDBOX_CREDENTIAL_REF = { id: 'scravio-sandbox', name: 'Scravio sandbox' } as const;

export const EXAMPLES = ['lead-pipeline', 'validate-list', 'triggered-export'] as const;
export type ExampleName = (typeof EXAMPLES)[number];

/** The packed package every e2e test installs (packed once by jest.e2e.config.js's globalSetup). */
export function e2eTarball(): string {
	const t = process.env.SCRAVIO_E2E_TARBALL;
	if (!t)
		throw new Error(
			'SCRAVIO_E2E_TARBALL is not set: run with jest -c jest.e2e.config.js (its globalSetup packs the package)',
		);
	return t;
}

/** The sandbox credential (demo account, account-scoped API key) for a sandbox at `apiUrl`. */
export function sandboxCredential(
	apiUrl: string,
	apiKey: string = PRESETS.apiKeys.account,
): N8nCredential {
	return {
		...SANDBOX_CREDENTIAL_REF,
		type: CREDENTIAL_TYPE,
		data: { authentication: 'apiKey', apiKey, accessToken: '', workspaceId: '', baseUrl: apiUrl },
	};
}

export function loadExample(name: ExampleName): WorkflowJson {
	return JSON.parse(
		fs.readFileSync(path.join(EXAMPLES_DIR, `${name}.json`), 'utf8'),
	) as WorkflowJson;
}

function run(cmd: string, args: string[], what: string, opts: { quiet?: boolean } = {}): string {
	const r = spawnSync(cmd, args, {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		env: process.env,
		maxBuffer: 64 * 1024 * 1024,
	});
	if (r.status !== 0) {
		throw new Error(
			`${what} failed (${cmd} ${args.join(' ')}, exit ${r.status ?? r.signal}):\n${r.stdout ?? ''}${r.stderr ?? ''}`,
		);
	}
	if (!opts.quiet && r.stderr.trim()) process.stderr.write(r.stderr);
	return r.stdout;
}

/** `npm run build` (tsc + icons into dist/). */
export function build(): void {
	run('npm', ['run', 'build', '--silent'], 'npm run build', { quiet: true });
}

/**
 * `npm pack` into `destDir` (created if needed): the tarball users get from the registry.
 * Returns its absolute path.
 */
export function pack(destDir: string): string {
	fs.mkdirSync(destDir, { recursive: true });
	const out = run(
		'npm',
		['pack', '--json', '--pack-destination', destDir, '--loglevel=error'],
		'npm pack',
		{ quiet: true },
	);
	const info = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
	const tarball = path.join(destDir, info[0].filename);
	if (!fs.existsSync(tarball)) throw new Error(`npm pack did not write ${tarball}`);
	return tarball;
}

/** Builds and packs into a new temp folder; returns the tarball. */
export function buildAndPack(parentDir: string = os.tmpdir()): string {
	build();
	return pack(fs.mkdtempSync(path.join(parentDir, 'scravio-pack-')));
}

export interface PreparedHome {
	home: N8nHome;
	/** The installed package's name, as n8n's nodes folder lists it. */
	packageName: string;
}

/**
 * A fresh n8n home with the packed package installed in its nodes folder (as users install
 * community nodes) and the sandbox credential imported.
 */
export async function prepareHome(
	install: N8nInstall,
	tarball: string,
	sandboxApiUrl: string,
	opts: CreateHomeOptions = {},
): Promise<PreparedHome> {
	const home = await createN8nHome(install, opts);
	const packageName = await installPackage(home, tarball);
	await importCredentials(home, [sandboxCredential(sandboxApiUrl)]);
	return { home, packageName };
}

/** Imports an example workflow (keeping its id) and returns the id. */
export function importExample(
	home: N8nHome,
	name: ExampleName,
	patch?: (wf: WorkflowJson) => WorkflowJson,
): Promise<string> {
	const wf = loadExample(name);
	return importWorkflow(home, patch ? patch(wf) : wf);
}

/** A minimal RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF) for checking files. */
export function parseCsv(text: string): { headers: string[]; rows: Array<Record<string, string>> } {
	const records: string[][] = [];
	let field = '';
	let record: string[] = [];
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					field += '"';
					i++;
				} else quoted = false;
			} else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			record.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			record.push(field);
			records.push(record);
			record = [];
			field = '';
		} else field += c;
	}
	if (field !== '' || record.length > 0) {
		record.push(field);
		records.push(record);
	}
	const [headers = [], ...body] = records;
	return {
		headers,
		rows: body
			.filter((r) => r.length > 1 || r[0] !== '')
			.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? '']))),
	};
}
