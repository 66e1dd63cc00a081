/**
 * Benchmark 4: export "Download" of the 100,000-lead campaign as CSV and as XLSX, through our node
 * in n8n's engine. Each measurement runs in a fresh child process (bench/download-child.ts), so
 * its peak RSS is its own: baseline = RSS after loading engine + node and a full GC; peak = the
 * highest RSS sampled every 2 ms during the run (and at its end, while the item is still held).
 * Target: peak RSS − baseline ≤ 2 × file size. The sandbox builds each file once and caches it,
 * and the warm-up download happens before the measured ones, so server build time is not counted.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

import { summarize, type Summary } from './lib/measure';
import { admin, api, startSandboxProcess, type SandboxProcess } from './lib/sandbox';

export interface DownloadFormat {
	format: 'csv' | 'xlsx';
	exportId: string;
	fileBytes: number;
	ms: Summary;
	rssDeltaMB: Summary;
	heapDeltaMB: Summary;
	rssOverFile: Summary;
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

async function measureInChild(sandbox: SandboxProcess, exportId: string, warmExportId: string): Promise<ChildReport> {
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'download-child.ts')], {
		env: { ...process.env, BENCH_DOWNLOAD: JSON.stringify({ apiUrl: sandbox.apiUrl, exportId, warmExportId }) },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
	if (code !== 0) throw new Error(`download child exited with ${code}: ${stderr.trim()}`);
	return JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport;
}

export async function runDownload(opts: { quick: boolean; runs: number; warmups: number; log: (line: string) => void }): Promise<DownloadResult> {
	const { log } = opts;
	const sandbox = await startSandboxProcess({ largeData: true, clockSpeed: 0, enforceRateLimits: false });
	try {
		const campaignId = opts.quick ? 'cmp_large_00001' : 'cmp_large_100k';
		const formats: DownloadFormat[] = [];
		let rows = 0;
		// A small export of the same format warms the child's code paths before the measured download.
		const small = async (format: string) => {
			const { data } = await api<{ data: { exportId: string } }>(sandbox, 'POST', '/list-exports', { campaignId: 'cmp_large_00003', fileFormat: format });
			return data.exportId;
		};
		for (const format of ['csv', 'xlsx'] as const) {
			const warmExportId = await small(format);
			const { data } = await api<{ data: { exportId: string } }>(sandbox, 'POST', '/list-exports', { campaignId, fileFormat: format, dedupeByEmail: false });
			await admin(sandbox, 'POST', '/clock/advance', { ms: 120_000 });
			const detail = await api<{ data: { status: string; totalRecords: number } }>(sandbox, 'GET', `/list-exports/${data.exportId}`);
			if (detail.data.status !== 'completed') throw new Error(`export ${data.exportId} is ${detail.data.status}`);
			rows = detail.data.totalRecords;
			const runs: ChildReport[] = [];
			for (let round = 0; round < Math.max(1, opts.warmups) + opts.runs; round++) {
				const warm = round < Math.max(1, opts.warmups);
				const report = await measureInChild(sandbox, data.exportId, warmExportId);
				if (!warm) runs.push(report);
				log(
					`  ${warm ? 'warm-up' : `run ${round - Math.max(1, opts.warmups) + 1}`} ${format} ${(report.fileSize / 1048576).toFixed(1)} MB  ${report.ms.toFixed(0)} ms  RSS +${((report.rssPeak - report.rssBaseline) / 1048576).toFixed(1)} MB  heap+buffers +${(report.heapDelta / 1048576).toFixed(1)} MB`,
				);
			}
			const fileBytes = runs[0].fileSize;
			formats.push({
				format,
				exportId: data.exportId,
				fileBytes,
				ms: summarize(runs.map((r) => r.ms)),
				rssDeltaMB: summarize(runs.map((r) => (r.rssPeak - r.rssBaseline) / 1048576)),
				heapDeltaMB: summarize(runs.map((r) => r.heapDelta / 1048576)),
				rssOverFile: summarize(runs.map((r) => (r.rssPeak - r.rssBaseline) / fileBytes)),
				runs: runs.map((r) => ({ ms: r.ms, rssDelta: r.rssPeak - r.rssBaseline, heapDelta: r.heapDelta })),
			});
		}
		const notes = [
			'Each download in a fresh process, after one download of a small export of the same format in that process (code paths loaded), then a full GC and the baseline; the first (warm-up) process also makes the sandbox build and cache the file.',
			'The node buffers the file (n8n-core httpRequest, arraybuffer) and hands it to prepareBinaryData; in the engine harness binary data stays in memory (n8n\'s default mode), as base64.',
		];
		if (opts.quick) notes.push(`Quick mode: ${campaignId} (${rows} rows).`);
		return { campaignId, rows, formats, notes };
	} finally {
		await sandbox.close();
	}
}
