/** Where and how a benchmark ran: for the report header. */
import { execSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
	date: string;
	cpu: string;
	cores: number;
	memoryGiB: number;
	node: string;
	platform: string;
	commit: string;
	command: string;
}

export function machineInfo(command: string): MachineInfo {
	let commit = 'unknown';
	try {
		commit = execSync('git rev-parse --short HEAD', {
			cwd: __dirname,
			stdio: ['ignore', 'pipe', 'ignore'],
		})
			.toString()
			.trim();
	} catch {
		// not a git checkout
	}
	return {
		date: new Date().toISOString(),
		cpu: os.cpus()[0]?.model ?? 'unknown',
		cores: os.availableParallelism?.() ?? os.cpus().length,
		memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
		node: process.version,
		platform: `${os.platform()} ${os.release()} ${os.arch()}`,
		commit,
		command,
	};
}
