/**
 * Export download with n8n's `filesystem` binary data mode (n8n 2.x's default): the node hands
 * the file response to `prepareBinaryData` as a stream, which n8n writes to its storage folder.
 * The stored file must hold exactly the bytes the file host serves; the item's JSON has the same
 * shape as in memory mode, with fileSize from the stored file.
 *
 * Its own test file: n8n's BinaryDataService is set up once per process (test file).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import ExcelJS from 'exceljs';
import type { INodeParameters } from 'n8n-workflow';

import { ScravioApi } from '../../credentials/ScravioApi.credentials';
import { Scravio } from '../../nodes/Scravio/Scravio.node';
import { createEngine } from '../../harness/engine';
import { apiKeyCredential, byId, json, requestsOf, startTestbed, type Testbed } from './setup';

const storagePath = mkdtempSync(path.join(tmpdir(), 'scravio-binary-data-'));
const engine = createEngine({
	nodes: [Scravio],
	credentialTypes: [ScravioApi],
	binaryDataMode: 'filesystem',
	binaryDataPath: storagePath,
});

let bed: Testbed;
const run = async (parameters: INodeParameters) =>
	await engine.runNode({
		type: 'scravio',
		parameters,
		credentials: { scravioApi: apiKeyCredential(bed.apiUrl) },
	});

/** The file as the file host serves it, fetched directly (the opaque link needs no credential). */
async function served(exportId: string): Promise<Buffer> {
	const [link] = json(
		await run({ resource: 'export', operation: 'getDownloadUrl', exportId: byId(exportId) }),
	);
	const response = await fetch(String(link.downloadUrl));
	expect(response.status).toBe(200);
	return Buffer.from(await response.arrayBuffer());
}

beforeAll(async () => {
	bed = await startTestbed();
});
afterAll(async () => {
	await bed.close();
	rmSync(storagePath, { recursive: true, force: true });
});

describe('export download with the filesystem binary data mode', () => {
	const exports: Record<'csv' | 'xlsx', string> = { csv: '', xlsx: '' };
	beforeAll(async () => {
		await bed.advance(3601);
		for (const fileFormat of ['csv', 'xlsx'] as const) {
			const [created] = json(
				await run({
					resource: 'export',
					operation: 'create',
					campaignId: byId('cmp_demo_maps'),
					fileFormat,
				}),
			);
			exports[fileFormat] = String(created.exportId);
		}
		await bed.advance(120);
	});
	beforeEach(async () => await bed.clearRequests());

	it('streams the CSV into the storage folder: same bytes as the file host, fileSize from the stored file', async () => {
		const exportId = exports.csv;
		const result = await run({
			resource: 'export',
			operation: 'download',
			exportId: byId(exportId),
		});
		expect(result.error).toBeUndefined();
		const [item] = result.outputs[0];
		const file = item.binary!.data;
		expect(file.id).toMatch(/^filesystem(-v2)?:/);
		expect(file.data).toBe(file.id!.split(':')[0]); // n8n puts the mode's name there, not the content
		expect(file).toMatchObject({ mimeType: 'text/csv', fileExtension: 'csv' });
		expect(file.fileName).toMatch(new RegExp(`${exportId}\\.csv$`));

		const stored = await engine.readBinary(file);
		const expected = await served(exportId);
		expect(stored.equals(expected)).toBe(true);
		expect(file.bytes).toBe(expected.length);
		const onDisk = storedFile(file.id!);
		expect(statSync(onDisk).size).toBe(expected.length);

		// Same JSON shape as in memory mode (test/node/export.test.ts).
		expect(item.json).toEqual({
			exportId,
			fileName: file.fileName,
			mimeType: 'text/csv',
			fileSize: expected.length,
		});
		const [header, ...rows] = stored.toString('utf8').trim().split(/\r?\n/);
		expect(header.split(',')).toEqual(expect.arrayContaining(['email', 'fullName']));
		const [exp] = json(
			await run({ resource: 'export', operation: 'get', exportId: byId(exportId) }),
		);
		expect(rows).toHaveLength(Number(exp.totalRecords));
	});

	it('streams the XLSX too, and still sends no credential after the redirect', async () => {
		const exportId = exports.xlsx;
		const result = await run({
			resource: 'export',
			operation: 'download',
			exportId: byId(exportId),
			binaryPropertyName: 'sheet',
		});
		expect(result.error).toBeUndefined();
		const [item] = result.outputs[0];
		const file = item.binary!.sheet;
		expect(file.mimeType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		const stored = await engine.readBinary(file);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(stored as unknown as ArrayBuffer);
		expect(workbook.worksheets[0].getRow(1).values).toEqual(expect.arrayContaining(['email']));
		expect(item.json.fileSize).toBe(stored.length);

		const log = await bed.requests();
		expect(requestsOf(log, 'getListExportDownloadUrl')[0].apiKey).toBe('present');
		const follow = requestsOf(log, 'followListExportDownload');
		expect(follow).toHaveLength(1);
		expect(follow[0]).toMatchObject({ status: 302, apiKey: 'absent', authorization: 'absent' });
		const storage = await bed.storageRequests();
		expect(storage).toHaveLength(1);
		expect(storage[0]).toMatchObject({ status: 200, apiKey: 'absent', authorization: 'absent' });
		expect(await engine.readBinary(file)).toEqual(await served(exportId));
	});
});

/** The file of a binary data id (`<mode>:<fileId>`) in the storage folder. */
function storedFile(id: string): string {
	const file = path.resolve(storagePath, id.slice(id.indexOf(':') + 1));
	expect(file.startsWith(path.resolve(storagePath) + path.sep)).toBe(true);
	return file;
}
