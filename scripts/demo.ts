/**
 * `npm run demo`: the package's main job, end to end, in REAL n8n, with nothing but `npm ci` before.
 *
 * 1. builds and packs this package (the tarball users would install);
 * 2. makes sure n8n 2.40.7 is installed in ~/.cache/n8n-nodes-scravio (first run: several minutes);
 * 3. starts the Scravio sandbox (the local API simulator) with a fast clock;
 * 4. installs the tarball into a fresh n8n home as a community package and imports the
 *    "Scravio sandbox" credential;
 * 5. runs examples/lead-pipeline.json with the n8n CLI: create an Instagram hashtag campaign, wait
 *    for it, export its valid e-mails as CSV, download the file, turn it into rows;
 * 6. writes the downloaded CSV to ./demo-output/ and prints a summary.
 *
 * Exit code 0 on success; 1 with a message otherwise. Every process it starts is stopped.
 * Environment: SCRAVIO_DEMO_CLOCK_SPEED (virtual seconds per second, default 10).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../sandbox';
import {
	ensureInstalled,
	executeWorkflow,
	getInstall,
	isInstalled,
	killAllChildren,
	n8nCacheDir,
	N8nCliError,
	nodeOutput,
	processCleanup,
	readBinary,
	removeN8nHome,
	type N8nHome,
} from '../harness/n8n';
import {
	buildAndPack,
	importExample,
	parseCsv,
	prepareHome,
	REPO_ROOT,
} from '../harness/n8n/scravio';

const OUTPUT_DIR = path.join(REPO_ROOT, 'demo-output');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const step = (message: string) => console.log(`[demo ${elapsed().padStart(7)}] ${message}`);

let sandbox: Sandbox | undefined;
let home: N8nHome | undefined;
let packDir: string | undefined;

async function cleanUp(): Promise<void> {
	if (home) await removeN8nHome(home).catch(() => undefined);
	home = undefined;
	await sandbox?.close().catch(() => undefined);
	sandbox = undefined;
	if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
	packDir = undefined;
}

async function main(): Promise<void> {
	const clockSpeed = Number(process.env.SCRAVIO_DEMO_CLOCK_SPEED ?? 10);
	const install = getInstall(2);
	console.log(
		'n8n-nodes-scravio demo: the lead-pipeline example in real n8n, against the local Scravio sandbox\n',
	);

	step('building and packing the package…');
	const tarball = buildAndPack();
	packDir = path.dirname(tarball);
	step(`packed ${path.basename(tarball)}`);

	if (!isInstalled(install)) {
		step(
			`n8n ${install.version} is not installed yet: installing it into ${n8nCacheDir()}. ` +
				'This happens once and takes several minutes (about 7 here); progress follows.',
		);
	}
	ensureInstalled(2);
	step(`n8n ${install.version} ready`);

	sandbox = await startSandbox({ port: 0, quiet: true, clockSpeed });
	step(
		`sandbox running at ${sandbox.apiUrl} (clock ×${clockSpeed}: a ~1 min campaign takes ~${Math.ceil(60 / clockSpeed)} s)`,
	);

	({ home } = await prepareHome(install, tarball, sandbox.apiUrl));
	step(
		'package installed into a fresh n8n home as a community package; "Scravio sandbox" credential imported',
	);
	const workflowId = await importExample(home, 'lead-pipeline');
	step(
		'imported examples/lead-pipeline.json; running it with `n8n execute` (campaign → wait → export → download → rows)…',
	);
	const run = await executeWorkflow(home, workflowId, { timeoutMs: 15 * 60_000 });

	const campaign = nodeOutput(run, 'Create Campaign and Wait')[0]?.json;
	const exported = nodeOutput(run, 'Export Valid Emails (CSV)')[0];
	const rows = nodeOutput(run, 'CSV to Rows');
	const file = exported?.binary?.data;
	if (!campaign || !exported || !file)
		throw new Error('the workflow ran but produced no campaign or no file');
	const bytes = readBinary(home, file);
	fs.mkdirSync(OUTPUT_DIR, { recursive: true });
	const fileName = path.basename(file.fileName ?? `${String(exported.json.exportId)}.csv`);
	const outFile = path.join(OUTPUT_DIR, fileName);
	fs.writeFileSync(outFile, bytes);
	const csv = parseCsv(bytes.toString('utf8'));
	if (csv.rows.length !== rows.length) {
		throw new Error(
			`the file has ${csv.rows.length} rows but Extract From File gave ${rows.length}`,
		);
	}
	step('done');

	const sample = rows
		.slice(0, 3)
		.map(
			(r) =>
				`      ${String(r.json.email).padEnd(38)} @${String(r.json.username ?? '')}  ${String(r.json.fullName ?? '')}`,
		);
	console.log(`
  Campaign      ${String(campaign.id)}  "${String(campaign.title)}"
                ${String(campaign.type)}, status ${String(campaign.status)}
  Leads         ${String(campaign.profileCount)} profiles, ${String(campaign.emailCount)} with an e-mail
  Valid e-mails ${rows.length} (export ${String(exported.json.exportId)}: valid e-mails only, deduplicated)
  File          ${path.relative(process.cwd(), outFile) || outFile} (${bytes.length} bytes, ${file.mimeType}, ${csv.headers.length} columns)
  Rows          ${rows.length} items out of "Extract From File", e.g.
${sample.join('\n')}

  Real n8n ${install.version}, package installed from its npm tarball, sandbox API; total ${elapsed()}.
  Try it by hand: npm run dev (editor at http://localhost:5678).
`);
	if (campaign.status !== 'fully_completed' || rows.length === 0) {
		throw new Error(`unexpected result: campaign ${String(campaign.status)}, ${rows.length} rows`);
	}
}

// Ctrl-C: stop n8n first, then remove the temp home and tarball, then exit.
processCleanup.killOnSignal = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		console.error(`\n[demo] ${signal}: stopping`);
		killAllChildren();
		void cleanUp().finally(() => process.exit(130));
	});
}

main()
	.then(cleanUp)
	.then(() => process.exit(0))
	.catch(async (error: unknown) => {
		const detail =
			error instanceof N8nCliError
				? error.message
				: error instanceof Error
					? error.message
					: String(error);
		console.error(`\n[demo] FAILED after ${elapsed()}: ${detail}`);
		await cleanUp();
		process.exit(1);
	});
