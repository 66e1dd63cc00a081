/**
 * Once per `npm run test:queue`: build and pack the package (or use SCRAVIO_E2E_TARBALL), make
 * sure n8n 2.40.7 is installed in the cache (queue mode is tested on 2.x only), and check that
 * PostgreSQL and redis-server are on the machine.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

import { ensureInstalled, getInstall, isInstalled, n8nCacheDir } from '../../harness/n8n';
import { buildAndPack } from '../../harness/n8n/scravio';
import { PG_BIN } from '../../harness/queue/cluster';

export default async function globalSetup(): Promise<void> {
	const say = (message: string) => process.stderr.write(`[queue setup] ${message}\n`);
	process.stderr.write('\n');
	if (!fs.existsSync(path.join(PG_BIN, 'pg_ctl')))
		throw new Error(`PostgreSQL is missing (${PG_BIN}/pg_ctl): apt-get install -y postgresql`);
	const redis = spawnSync(process.env.SCRAVIO_REDIS_SERVER || 'redis-server', ['--version'], {
		encoding: 'utf8',
	});
	if (redis.status !== 0)
		throw new Error('redis-server is missing: apt-get install -y redis-server');

	const preset = process.env.SCRAVIO_E2E_TARBALL;
	if (preset && fs.existsSync(preset)) {
		say(`using the tarball in SCRAVIO_E2E_TARBALL: ${preset}`);
	} else {
		const t1 = Date.now();
		const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'scravio-queue-pack-'));
		process.env.SCRAVIO_E2E_TARBALL = buildAndPack(parent);
		process.env.SCRAVIO_E2E_TMP = parent;
		say(`built and packed (${((Date.now() - t1) / 1000).toFixed(1)} s)`);
	}
	const install = getInstall(2);
	if (!isInstalled(install))
		say(
			`installing n8n ${install.version} into ${n8nCacheDir()} (several minutes, once per machine)`,
		);
	ensureInstalled(2);
	say(`n8n ${install.version} ready; ${redis.stdout.trim().split(' ').slice(0, 3).join(' ')}`);
}
