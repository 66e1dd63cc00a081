/**
 * `npm run sandbox`: starts the sandbox on 127.0.0.1:5690 (SCRAVIO_SANDBOX_* variables change it)
 * and prints its URLs, preset credentials and controls. Ctrl-C stops it.
 */
import { EXTRA_ACCESS_TOKENS, EXTRA_API_KEYS, SAMPLE_CAMPAIGNS } from './model/seedData';
import { optionsFromEnv, PRESETS, startSandbox } from './index';

async function main(): Promise<void> {
	const sandbox = await startSandbox({
		...optionsFromEnv(),
		quiet: process.env.SCRAVIO_SANDBOX_QUIET === '1',
	});
	const { config } = sandbox;
	const lines = [
		'',
		'Scravio sandbox is running',
		`  API base URL   ${sandbox.apiUrl}`,
		`  Admin          ${sandbox.adminUrl}   (GET it for the list of controls)`,
		`  File host      ${sandbox.storageUrl}   (download redirects point here)`,
		`  Clock speed    ${config.clockSpeed}x    seed ${config.seed}    large data ${config.largeData ? 'on (ws_large, cmp_large_100k)' : 'off'}`,
		`  Faults         latency ${config.faults.latencyMs} ms, error ${config.faults.errorRate}, drop ${config.faults.dropRate}, malformed ${config.faults.malformedRate}, 429 storm ${config.faults.rateLimitStorm}`,
		`  Readings       ${Object.entries(config.readings)
			.map(([k, v]) => `${k}=${v === null ? 'none' : v}`)
			.join(', ')}   (SCRAVIO_SANDBOX_READINGS, PATCH /__sandbox/readings)`,
		'',
		'Accounts',
		...Object.values(PRESETS.accounts).map(
			(a) => `  ${a.id.padEnd(14)} ${a.email.padEnd(32)} ${String(a.credits).padStart(7)} credits`,
		),
		'Workspaces',
		...Object.entries(PRESETS.workspaces).map(([name, id]) => `  ${name.padEnd(8)} ${id}`),
		'API keys (X-API-Key)',
		`  ${PRESETS.apiKeys.account}    demo, account-scoped`,
		`  ${PRESETS.apiKeys.teamBound}       demo, bound to ${PRESETS.workspaces.team}`,
		`  ${PRESETS.apiKeys.free}    free, account-scoped (emails masked)`,
		`  ${PRESETS.apiKeys.stranger} stranger, account-scoped`,
		...EXTRA_API_KEYS.map((k) => `  ${k.key}     ${k.accountId}, bound to ${k.workspaceId}`),
		'Access tokens (Authorization: Bearer ...)',
		`  ${PRESETS.accessTokens.demo}    demo`,
		`  ${PRESETS.accessTokens.free}    free`,
		...EXTRA_ACCESS_TOKENS.map((t) => `  ${t.token}    ${t.accountId}`),
		'Sample campaigns',
		...SAMPLE_CAMPAIGNS.map((c) => `  ${c.id.padEnd(20)} ${c.workspaceId.padEnd(10)} ${c.outcome}`),
		'',
		'Controls (no auth, loopback only):',
		`  curl -X POST ${sandbox.adminUrl}/clock/advance -H 'content-type: application/json' -d '{"seconds":60}'`,
		`  curl -X PATCH ${sandbox.adminUrl}/config -H 'content-type: application/json' -d '{"clockSpeed":10}'`,
		`  curl -X PATCH ${sandbox.adminUrl}/readings -H 'content-type: application/json' -d '{"pageSizeCap":50,"overPageSizeCap":"clamp"}'`,
		`  curl -X POST ${sandbox.adminUrl}/reset`,
		'',
		'Try:',
		`  curl ${sandbox.apiUrl}/auth/me -H 'X-API-Key: ${PRESETS.apiKeys.account}'`,
		'',
		'Ctrl-C stops it.',
	];
	console.log(lines.join('\n'));
	const stop = async () => {
		await sandbox.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(`Sandbox failed to start: ${error instanceof Error ? error.message : error}`);
	process.exit(1);
});
