import * as fs from 'node:fs';

/** Removes the temp folder of the tarball packed by globalSetup (not a tarball given by the caller). */
export default async function globalTeardown(): Promise<void> {
	const dir = process.env.SCRAVIO_E2E_TMP;
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
