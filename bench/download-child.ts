/**
 * One measured export download, in a fresh process (bench/download.ts starts it), so that the
 * peak RSS belongs to this download alone. Loads the engine and our node, collects garbage, takes
 * the baseline, runs export "Download" through the engine and prints one JSON line.
 */
import { createEngine } from '../test/helpers/engine';
import { collectGarbage, measure } from './lib/measure';
import { Scravio, ScravioApi } from './lib/nodes';
import { API_KEY, WS_LARGE } from './lib/sandbox';

process.env.N8N_LOG_LEVEL ??= 'silent';

async function main(): Promise<void> {
	const { apiUrl, exportId, warmExportId } = JSON.parse(process.env.BENCH_DOWNLOAD ?? '{}') as { apiUrl: string; exportId: string; warmExportId: string };
	const engine = createEngine({ nodes: [Scravio], credentialTypes: [ScravioApi] });
	const credentials = { scravioApi: { authentication: 'apiKey', apiKey: API_KEY, baseUrl: apiUrl, workspaceId: WS_LARGE } };
	const download = (id: string) => async () =>
		await engine.runNode({ type: 'scravio', parameters: { resource: 'export', operation: 'download', exportId: { __rl: true, mode: 'id', value: id } }, credentials });
	// Run every code path once on a small export, so that the baseline holds the loaded modules.
	const warm = await download(warmExportId)();
	if (warm.error) throw warm.error;
	collectGarbage();
	const measured = await measure(download(exportId), { sampleMs: 2 });
	const { outputs, error } = measured.result;
	if (error) throw error;
	const item = outputs[0]?.[0];
	const fileSize = Number(item?.json.fileSize ?? 0);
	process.stdout.write(
		`${JSON.stringify({ ms: measured.ms, fileSize, fileName: item?.json.fileName, rssBaseline: measured.baseline.rss, rssPeak: measured.peak.rss, heapDelta: measured.heapDelta, maxRss: process.resourceUsage().maxRSS * 1024 })}\n`,
	);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
