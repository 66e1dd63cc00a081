/**
 * `npm run dev`: try the nodes by hand in real n8n.
 *
 * Builds and packs this package, starts the Scravio sandbox on http://127.0.0.1:5690/api, installs
 * the package into a persistent n8n home in `.n8n-dev/` (gitignored) the way users install community
 * nodes, imports the "Scravio sandbox" credential and, on the first run, the example workflows, and
 * starts n8n 2.40.7 on http://localhost:5678. Ctrl-C stops everything.
 *
 * Environment: SCRAVIO_SANDBOX_PORT (5690), SCRAVIO_SANDBOX_CLOCK_SPEED (2), N8N_DEV_PORT (5678).
 * `npm run dev -- --logs` echoes n8n's output. `npm run dev -- --reset` starts from an empty home.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { PRESETS, startSandbox, type Sandbox } from '../sandbox';
import {
	createN8nHome,
	ensureInstalled,
	getInstall,
	importCredentials,
	importWorkflow,
	installPackage,
	isInstalled,
	login,
	n8nCacheDir,
	processCleanup,
	setupOwner,
	startN8n,
	type OwnerAccount,
	type RunningN8n,
} from '../test/e2e/n8n';
import { build, EXAMPLES, loadExample, pack, PACKAGE_NAME, REPO_ROOT, sandboxCredential } from '../test/e2e/scravio';

const DEV_DIR = path.join(REPO_ROOT, '.n8n-dev');
const EXAMPLES_MARKER = path.join(DEV_DIR, '.examples-imported');
const OWNER: OwnerAccount = { email: 'dev@example.com', firstName: 'Scravio', lastName: 'Developer', password: 'Scravio-dev-1' };

const say = (message: string) => console.log(`[dev] ${message}`);

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const sandboxPort = Number(process.env.SCRAVIO_SANDBOX_PORT ?? 5690);
	const clockSpeed = Number(process.env.SCRAVIO_SANDBOX_CLOCK_SPEED ?? 2);
	const n8nPort = Number(process.env.N8N_DEV_PORT ?? 5678);
	const install = getInstall(2);

	let sandbox: Sandbox | undefined;
	let server: RunningN8n | undefined;
	let stopping = false;
	processCleanup.killOnSignal = false; // stop n8n gracefully below (its database is kept)
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		say('stopping n8n and the sandbox…');
		await server?.stop().catch(() => undefined);
		await sandbox?.close().catch(() => undefined);
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	if (args.includes('--reset')) {
		say(`--reset: removing ${DEV_DIR}`);
		fs.rmSync(DEV_DIR, { recursive: true, force: true });
	}

	say('building…');
	build();
	const tarball = pack(path.join(DEV_DIR, 'package'));
	say(`packed ${path.relative(REPO_ROOT, tarball)}`);

	if (!isInstalled(install)) say(`installing n8n ${install.version} into ${n8nCacheDir()} (first run: several minutes, progress below)`);
	ensureInstalled(2);

	sandbox = await startSandbox({ port: sandboxPort, clockSpeed, quiet: true });
	say(`sandbox: ${sandbox.apiUrl} (clock ×${clockSpeed}; admin ${sandbox.adminUrl})`);

	const home = await createN8nHome(install, { userFolder: path.join(DEV_DIR, 'home'), port: n8nPort });
	// A clean copy of the package each time, so the editor always runs the code just built.
	fs.rmSync(path.join(home.nodesDir, 'node_modules', PACKAGE_NAME), { recursive: true, force: true });
	await installPackage(home, tarball);
	say(`installed ${PACKAGE_NAME} into ${path.relative(REPO_ROOT, home.nodesDir)}`);
	const credential = sandboxCredential(sandbox.apiUrl);
	await importCredentials(home, [credential]);
	if (!fs.existsSync(EXAMPLES_MARKER)) {
		for (const name of EXAMPLES) await importWorkflow(home, loadExample(name));
		fs.writeFileSync(EXAMPLES_MARKER, `${new Date().toISOString()}\n`);
		say(`imported the example workflows: ${EXAMPLES.join(', ')}`);
	}

	say(`starting n8n ${install.version}…`);
	server = await startN8n(home, { echo: args.includes('--logs'), timeoutMs: 180_000 });
	const firstRun = await setupOwner(server, OWNER).then(
		() => true,
		() => false,
	);
	if (!firstRun) await login(server, OWNER).catch(() => undefined);

	console.log(`
  n8n ${install.version} with ${PACKAGE_NAME} is running.

  Editor:       http://localhost:${n8nPort}
  Sign in:      ${OWNER.email} / ${OWNER.password}${firstRun ? '   (owner account created now)' : ''}
  Credential:   "${credential.name}" (id ${credential.id}), type Scravio API
                Base URL ${sandbox.apiUrl}, API key ${PRESETS.apiKeys.account}
  Sandbox:      ${sandbox.apiUrl} — admin ${sandbox.adminUrl} (clock ×${clockSpeed})
  Examples:     Workflows → "Scravio: …" (examples/*.json)
  Data:         ${path.relative(REPO_ROOT, home.userFolder)} (npm run dev -- --reset starts over)

  Ctrl-C stops n8n and the sandbox.
`);

	server.process.once('exit', (code) => {
		if (!stopping) {
			console.error(`[dev] n8n exited unexpectedly (code ${code}). Last output:\n${server!.logs().slice(-4000)}`);
			void stop(1);
		}
	});
}

main().catch(async (error) => {
	console.error(`[dev] failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
