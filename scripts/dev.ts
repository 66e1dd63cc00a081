/**
 * `npm run dev`: try the nodes by hand in real n8n.
 *
 * Builds and packs this package, starts the Scravio sandbox on http://127.0.0.1:5690/api, installs
 * the package into a persistent n8n home in `.n8n-dev/` (gitignored) the way users install community
 * nodes, imports the "Scravio sandbox" credential and, on the first run, the example workflows, and
 * starts n8n 2.40.7 on http://localhost:5678. Ctrl-C stops everything.
 *
 * Saving a file under nodes/, credentials/ or icons/ (or package.json) reloads the package, as
 * `n8n-node dev` does: rebuild, repack, stop n8n, reinstall the package, start n8n again (about
 * 30 s; refresh the editor afterwards). A failed build leaves the running n8n as it was.
 *
 * Environment: SCRAVIO_SANDBOX_PORT (5690), SCRAVIO_SANDBOX_CLOCK_SPEED (2), N8N_DEV_PORT (5678),
 * SCRAVIO_DEV_DIR (.n8n-dev). `npm run dev -- --logs` echoes n8n's output; `-- --reset` starts from
 * an empty home; `-- --no-watch` does not reload on save.
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
	type N8nHome,
	type OwnerAccount,
	type RunningN8n,
} from '../harness/n8n';
import {
	build,
	EXAMPLES,
	loadExample,
	pack,
	PACKAGE_NAME,
	REPO_ROOT,
	sandboxCredential,
} from '../harness/n8n/scravio';
import { serialReloader, watchSources } from './watch';

const DEV_DIR = path.resolve(process.env.SCRAVIO_DEV_DIR ?? path.join(REPO_ROOT, '.n8n-dev'));
const WATCHED = ['nodes', 'credentials', 'icons', 'package.json'].map((entry) =>
	path.join(REPO_ROOT, entry),
);
const EXAMPLES_MARKER = path.join(DEV_DIR, '.examples-imported');
const OWNER: OwnerAccount = {
	email: 'dev@example.com',
	firstName: 'Scravio',
	lastName: 'Developer',
	password: 'Scravio-dev-1',
};

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
	let restarting = false;
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
	let tarball = pack(path.join(DEV_DIR, 'package'));
	say(`packed ${path.relative(REPO_ROOT, tarball)}`);

	if (!isInstalled(install))
		say(
			`installing n8n ${install.version} into ${n8nCacheDir()} (first run: several minutes, progress below)`,
		);
	ensureInstalled(2);

	sandbox = await startSandbox({ port: sandboxPort, clockSpeed, quiet: true });
	say(`sandbox: ${sandbox.apiUrl} (clock ×${clockSpeed}; admin ${sandbox.adminUrl})`);

	const home = await createN8nHome(install, {
		userFolder: path.join(DEV_DIR, 'home'),
		port: n8nPort,
	});
	await reinstall(home, tarball);
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

	const watchExit = (running: RunningN8n) =>
		running.process.once('exit', (code) => {
			if (!stopping && !restarting) {
				console.error(
					`[dev] n8n exited unexpectedly (code ${code}). Last output:\n${running.logs().slice(-4000)}`,
				);
				void stop(1);
			}
		});
	watchExit(server);

	if (args.includes('--no-watch')) return;
	const reload = serialReloader(async (files) => {
		if (stopping) return;
		say(`changed: ${files.map((file) => path.relative(REPO_ROOT, file)).join(', ')}; rebuilding…`);
		const started = Date.now();
		try {
			build();
			tarball = pack(path.join(DEV_DIR, 'package'));
		} catch (error) {
			say(
				`build failed; n8n keeps running the previous build.\n${error instanceof Error ? error.message : String(error)}`,
			);
			return;
		}
		restarting = true;
		try {
			await server?.stop();
			await reinstall(home, tarball);
			server = await startN8n(home, { echo: args.includes('--logs'), timeoutMs: 180_000 });
			watchExit(server);
			if (stopping) await server.stop(); // Ctrl-C came while n8n was starting
		} finally {
			restarting = false;
		}
		say(
			`reloaded in ${((Date.now() - started) / 1000).toFixed(1)} s: refresh the editor (http://localhost:${n8nPort})`,
		);
	});
	watchSources(WATCHED, (files) => {
		reload(files).catch((error) => {
			console.error(
				`[dev] reload failed: ${error instanceof Error ? error.message : String(error)}`,
			);
			void stop(1);
		});
	});
	say(
		`watching ${WATCHED.map((entry) => path.relative(REPO_ROOT, entry)).join(', ')}: saving a file reloads the package`,
	);
}

/** A clean copy of the package each time, so the editor always runs the code just built. */
async function reinstall(home: N8nHome, tarball: string): Promise<void> {
	fs.rmSync(path.join(home.nodesDir, 'node_modules', PACKAGE_NAME), {
		recursive: true,
		force: true,
	});
	await installPackage(home, tarball);
	say(`installed ${PACKAGE_NAME} into ${path.relative(REPO_ROOT, home.nodesDir)}`);
}

main().catch(async (error) => {
	console.error(`[dev] failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
