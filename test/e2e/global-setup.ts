/**
 * Once per e2e run: build and `npm pack` the package into a temp folder (the tarball every test
 * installs into n8n's nodes folder, as users install community packages), then make sure both
 * pinned n8n versions are installed in the cache (a fresh machine: ~7 min each, with progress).
 * The tarball's path reaches the tests through SCRAVIO_E2E_TARBALL (tests run in band).
 * Set SCRAVIO_E2E_TARBALL yourself to test a tarball you packed (no build then).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ensureInstalled, getInstalls, isInstalled, n8nCacheDir } from '../../harness/n8n';
import { buildAndPack } from '../../harness/n8n/scravio';

export default async function globalSetup(): Promise<void> {
	const say = (message: string) => process.stderr.write(`[e2e setup] ${message}\n`);
	process.stderr.write('\n');

	const preset = process.env.SCRAVIO_E2E_TARBALL;
	if (preset && fs.existsSync(preset)) {
		say(`using the tarball in SCRAVIO_E2E_TARBALL: ${preset}`);
	} else {
		const t1 = Date.now();
		const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'scravio-e2e-'));
		const tarball = buildAndPack(parent);
		process.env.SCRAVIO_E2E_TARBALL = tarball;
		process.env.SCRAVIO_E2E_TMP = parent;
		say(`built and packed ${path.basename(tarball)} (${((Date.now() - t1) / 1000).toFixed(1)} s)`);
	}

	const t0 = Date.now();
	const missing = getInstalls().filter((i) => !isInstalled(i));
	if (missing.length > 0) {
		say(
			`installing n8n ${missing.map((i) => i.version).join(' and ')} into ${n8nCacheDir()} ` +
				'(first run on this machine: several minutes per version, progress below; later runs reuse it)',
		);
	}
	ensureInstalled('all');
	say(
		`n8n ${getInstalls()
			.map((i) => i.version)
			.join(' and ')} ready in ${n8nCacheDir()} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
	);
}
