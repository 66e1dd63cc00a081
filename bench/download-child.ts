/**
 * One measured export download, in a fresh process (bench/download.ts starts it), so that the
 * peak RSS belongs to this download alone. Loads the engine and our node in the binary data mode
 * asked for (`filesystem`: BinaryDataService on a temporary storage folder, n8n 2.x's default;
 * `memory`: no storage set up, base64 in the item), downloads a small export once (warm-up),
 * collects garbage, takes the baseline, runs export "Download" through the engine and prints
 * one JSON line.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createEngine } from '../harness/engine';
import { collectGarbage, measure } from './lib/measure';
import { Scravio, ScravioApi } from './lib/nodes';
import { API_KEY, WS_LARGE } from './lib/sandbox';

process.env.N8N_LOG_LEVEL ??= 'silent';

async function main(): Promise<void> {
	const { apiUrl, exportId, warmExportId, mode } = JSON.parse(
		process.env.BENCH_DOWNLOAD ?? '{}',
	) as {
		apiUrl: string;
		exportId: string;
		warmExportId: string;
		mode: 'filesystem' | 'memory';
	};
	const storage =
		mode === 'filesystem'
			? mkdtempSync(path.join(os.tmpdir(), 'scravio-bench-binary-'))
			: undefined;
	try {
		await measureDownload({ apiUrl, exportId, warmExportId, mode, storage });
	} finally {
		if (storage) rmSync(storage, { recursive: true, force: true });
	}
}

async function measureDownload(args: {
	apiUrl: string;
	exportId: string;
	warmExportId: string;
	mode: 'filesystem' | 'memory';
	storage?: string;
}): Promise<void> {
	const { apiUrl, exportId, warmExportId, mode, storage } = args;
	const engine = createEngine({
		nodes: [Scravio],
		credentialTypes: [ScravioApi],
		binaryDataMode: mode,
		binaryDataPath: storage,
	});
	const credentials = {
		scravioApi: {
			authentication: 'apiKey',
			apiKey: API_KEY,
			baseUrl: apiUrl,
			workspaceId: WS_LARGE,
		},
	};
	const download = (id: string) => async () =>
		await engine.runNode({
			type: 'scravio',
			parameters: {
				resource: 'export',
				operation: 'download',
				exportId: { __rl: true, mode: 'id', value: id },
			},
			credentials,
		});
	// Run every code path once on a small export, so that the baseline holds the loaded modules.
	const warm = await download(warmExportId)();
	if (warm.error) throw warm.error;
	collectGarbage();
	const measured = await measure(download(exportId), { sampleMs: 2 });
	const { outputs, error } = measured.result;
	if (error) throw error;
	const item = outputs[0]?.[0];
	const fileSize = Number(item?.json.fileSize ?? 0);
	// Where the bytes went: the stored file (filesystem) or the base64 text in the item (memory).
	const binary = item?.binary?.data;
	const storedBytes =
		binary?.id && storage
			? statSync(path.join(storage, binary.id.slice(binary.id.indexOf(':') + 1))).size
			: Buffer.byteLength(binary?.data ?? '', 'base64');
	if (storedBytes !== fileSize)
		throw new Error(`stored ${storedBytes} bytes, but the item says fileSize ${fileSize}`);
	process.stdout.write(
		`${JSON.stringify({ mode, stored: binary?.id ? 'file' : 'base64', ms: measured.ms, fileSize, fileName: item?.json.fileName, rssBaseline: measured.baseline.rss, rssPeak: measured.peak.rss, heapDelta: measured.heapDelta, maxRss: process.resourceUsage().maxRSS * 1024 })}\n`,
	);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
