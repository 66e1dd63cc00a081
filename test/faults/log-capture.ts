/**
 * Imported first by the fault matrix: n8n's own logger (the one n8n-core reports node errors
 * with) writes at debug level to a file of this run, so that the matrix can check that no secret
 * reaches the log. n8n reads these settings when it first logs. `restoreLogSettings` puts the
 * environment back for the next test file of the same jest worker.
 */
import os from 'os';
import path from 'path';

export const N8N_LOG_FILE = path.join(
	os.tmpdir(),
	`scravio-fault-matrix-${process.pid}-${Date.now()}.log`,
);
const SETTINGS: Record<string, string> = {
	N8N_LOG_LEVEL: 'debug',
	N8N_LOG_OUTPUT: 'file',
	N8N_LOG_FILE_LOCATION: N8N_LOG_FILE,
};
const previous = Object.fromEntries(Object.keys(SETTINGS).map((name) => [name, process.env[name]]));
Object.assign(process.env, SETTINGS);

export function restoreLogSettings(): void {
	for (const [name, value] of Object.entries(previous)) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
}
