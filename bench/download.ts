/**
 * Benchmark 4: export "Download" of the 100,000-lead campaign as CSV and as XLSX, through our node
 * in n8n's engine, in both binary data modes: `filesystem` (n8n 2.x's default: the file is
 * streamed to the storage folder) and `memory` (no storage set up: base64 in the item, n8n 1.x's
 * default). Each measurement runs in a fresh child process (bench/download-child.ts), so its peak
 * RSS is its own: baseline = RSS after loading engine + node, one small download in the same mode
 * and a full GC; peak = the highest RSS sampled every 2 ms during the run (and at its end, while
 * the item is still held). Target: peak RSS − baseline ≤ 2 × file size. The sandbox builds each
 * file once and caches it, and the warm-up download happens before the measured ones, so server
 * build time is not counted.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

import { summarize, type Summary } from './lib/measure';
import { api, completedExport, startSandboxProcess, type SandboxProcess } from './lib/sandbox';

export type BinaryDataMode = 'filesystem' | 'memory';

export const BINARY_DATA_MODES: BinaryDataMode[] = ['filesystem', 'memory'];

export interface DownloadFormat {
	/** Absent in results written before both modes were measured (they were memory mode). */
	mode?: BinaryDataMode;
	format: 'csv' | 'xlsx';
	exportId: string;
	fileBytes: number;
	ms: Summary;
	rssDeltaMB: Summary;
	heapDeltaMB: Summary;
	rssOverFile: Summary;
	heapOverFile?: Summary;
	runs: Array<{ ms: number; rssDelta: number; heapDelta: number }>;
}

export interface DownloadResult {
	campaignId: string;
	rows: number;
	formats: DownloadFormat[];
	notes: string[];
}

interface ChildReport {
	ms: number;
	fileSize: number;
	rssBaseline: number;
	rssPeak: number;
	heapDelta: number;
	maxRss: number;
}

async function measureInChild(
	sandbox: SandboxProcess,
	mode: BinaryDataMode,
	exportId: string,
	warmExportId: string,
): Promise<ChildReport> {
	const child = spawn(
		process.execPath,
		['--import', 'tsx', path.join(__dirname, 'download-child.ts')],
		{
			env: {
				...process.env,
				BENCH_DOWNLOAD: JSON.stringify({ apiUrl: sandbox.apiUrl, exportId, warmExportId, mode }),
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
	if (code !== 0) throw new Error(`download child exited with ${code}: ${stderr.trim()}`);
	return JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport;
}

export async function runDownload(opts: {
	quick: boolean;
	runs: number;
	warmups: number;
	log: (line: string) => void;
}): Promise<DownloadResult> {
	const { log } = opts;
	const sandbox = await startSandboxProcess({
		largeData: true,
		clockSpeed: 0,
		enforceRateLimits: false,
	});
	try {
		const campaignId = opts.quick ? 'cmp_large_00001' : 'cmp_large_100k';
		const formats: DownloadFormat[] = [];
		let rows = 0;
		// A small export of the same format warms the child's code paths before the measured download.
		const small = async (format: string) => {
			const { data } = await api<{ data: { exportId: string } }>(sandbox, 'POST', '/list-exports', {
				campaignId: 'cmp_large_00003',
				fileFormat: format,
			});
			return data.exportId;
		};
		for (const format of ['csv', 'xlsx'] as const) {
			const warmExportId = await small(format);
			const data = await completedExport(sandbox, campaignId, format);
			rows = data.totalRecords;
			for (const mode of BINARY_DATA_MODES) {
				const runs: ChildReport[] = [];
				for (let round = 0; round < Math.max(1, opts.warmups) + opts.runs; round++) {
					const warm = round < Math.max(1, opts.warmups);
					const report = await measureInChild(sandbox, mode, data.exportId, warmExportId);
					if (!warm) runs.push(report);
					log(
						`  ${warm ? 'warm-up' : `run ${round - Math.max(1, opts.warmups) + 1}`} ${mode} ${format} ${(report.fileSize / 1048576).toFixed(1)} MB  ${report.ms.toFixed(0)} ms  RSS +${((report.rssPeak - report.rssBaseline) / 1048576).toFixed(1)} MB  heap+buffers +${(report.heapDelta / 1048576).toFixed(1)} MB`,
					);
				}
				const fileBytes = runs[0].fileSize;
				formats.push({
					mode,
					format,
					exportId: data.exportId,
					fileBytes,
					ms: summarize(runs.map((r) => r.ms)),
					rssDeltaMB: summarize(runs.map((r) => (r.rssPeak - r.rssBaseline) / 1048576)),
					heapDeltaMB: summarize(runs.map((r) => r.heapDelta / 1048576)),
					rssOverFile: summarize(runs.map((r) => (r.rssPeak - r.rssBaseline) / fileBytes)),
					heapOverFile: summarize(runs.map((r) => r.heapDelta / fileBytes)),
					runs: runs.map((r) => ({
						ms: r.ms,
						rssDelta: r.rssPeak - r.rssBaseline,
						heapDelta: r.heapDelta,
					})),
				});
			}
		}
		const notes = [
			'Each download in a fresh process, after one download of a small export of the same format in the same mode in that process (code paths loaded), then a full GC and the baseline; the first (warm-up) process also makes the sandbox build and cache the file.',
			'The node requests the file response as a stream (n8n-core httpRequest, encoding: stream) and hands the stream to prepareBinaryData.',
			"filesystem: n8n 2.x's default binary data mode (BinaryDataService initialised on a temporary folder); n8n writes the stream to disk as it arrives, so the file is never whole in memory.",
			"memory: no binary data storage set up (n8n-core's fallback, and n8n 1.x's default mode); n8n collects the stream into one Buffer and keeps the file in the item as base64 text (4/3 of the file), so this mode holds the file in memory by design.",
			'In filesystem mode the RSS above baseline is not a copy of the file: it is the response chunks already written to disk, whose Buffers V8 frees only at its next garbage collection, so it grows with the file until a GC runs (a separate run of the CSV download with a forced GC every 10 ms peaked at 0.1–0.3 MB above baseline).',
			'Heap+buffers is heapUsed + external + arrayBuffers (bench/lib/measure.ts); Node counts arrayBuffers inside external too, so Buffers count twice there: RSS is the measure of the target.',
		];
		if (opts.quick) notes.push(`Quick mode: ${campaignId} (${rows} rows).`);
		return { campaignId, rows, formats, notes };
	} finally {
		await sandbox.close();
	}
}
