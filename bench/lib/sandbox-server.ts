/**
 * The sandbox in its own process, so that its CPU work (Fastify, building pages and files) does
 * not share the event loop of the client being measured. Started by bench/lib/sandbox.ts; prints
 * one JSON line with its URLs on stdout, then serves until stdin closes or it gets SIGTERM.
 *
 *   SANDBOX_OPTIONS='{"largeData":true}' npx tsx bench/lib/sandbox-server.ts
 */
import { startSandbox, type SandboxOptions } from '../../sandbox';

async function main(): Promise<void> {
	const options = JSON.parse(process.env.BENCH_SANDBOX_OPTIONS ?? '{}') as Partial<SandboxOptions>;
	const started = Date.now();
	const sandbox = await startSandbox({ port: 0, quiet: true, ...options });
	const stop = async () => {
		await sandbox.close().catch(() => undefined);
		process.exit(0);
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
	process.stdin.on('end', stop);
	process.stdin.resume();
	process.stdout.write(
		`${JSON.stringify({ ready: true, apiUrl: sandbox.apiUrl, adminUrl: sandbox.adminUrl, storageUrl: sandbox.storageUrl, pid: process.pid, startMs: Date.now() - started })}\n`,
	);
}

main().catch((error) => {
	process.stderr.write(
		`sandbox failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
	);
	process.exit(1);
});
