/**
 * Export operations through n8n's engine against the sandbox: create (201 new / 200 existing,
 * HTTPS webhook checked before sending), get, getMany, getDownloadUrl and download (binary CSV
 * and XLSX, fetched with no credential on the redirect route and the file host).
 */
import ExcelJS from 'exceljs';

import { byId, json, requestsOf, startTestbed, type Testbed } from './setup';

let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed();
});
afterAll(async () => await bed.close());
beforeEach(async () => await bed.clearRequests());

const CAMPAIGN = 'cmp_demo_hashtag';

describe('export create', () => {
	beforeEach(async () => {
		// POST /list-exports allows 5 requests per hour: start every test in a fresh window.
		await bed.advance(3601);
		await bed.clearRequests();
	});

	it('creates an export (201), then returns the same one for the same settings (200)', async () => {
		const parameters = {
			resource: 'export',
			operation: 'create',
			campaignId: byId(CAMPAIGN),
			fileFormat: 'csv',
			options: { emailOnly: true },
		};
		const [created] = json(await bed.run(parameters));
		expect(created).toMatchObject({
			campaignId: CAMPAIGN,
			fileFormat: 'csv',
			status: 'pending',
			alreadyExisted: false,
		});
		expect(String(created.exportId)).toMatch(/^exp_/);

		const [again] = json(await bed.run(parameters));
		expect(again).toMatchObject({ exportId: created.exportId, alreadyExisted: true });

		const sent = requestsOf(await bed.requests(), 'createListExport');
		expect(sent.map((request) => request.status)).toEqual([201, 200]);
	});

	it('sends every option the user set (and only those)', async () => {
		const [created] = json(
			await bed.run({
				resource: 'export',
				operation: 'create',
				campaignId: byId(CAMPAIGN),
				fileFormat: 'xlsx',
				options: {
					emailOnly: true,
					onlyValidEmails: true,
					includeAIVerified: true,
					dedupeByEmail: false,
					scrapedAfter: '2020-01-01T00:00:00',
					scrapedBefore: '',
					webhookUrl: 'https://hooks.example.com/scravio/export-ready',
				},
			}),
		);
		expect(created).toMatchObject({ fileFormat: 'xlsx', alreadyExisted: false });
		// The body is not in the log; a second export differing only in dedupeByEmail is new,
		// which proves dedupeByEmail: false was sent and honoured.
		const [other] = json(
			await bed.run({
				resource: 'export',
				operation: 'create',
				campaignId: byId(CAMPAIGN),
				fileFormat: 'xlsx',
				options: {
					emailOnly: true,
					onlyValidEmails: true,
					includeAIVerified: true,
					scrapedAfter: '2020-01-01T00:00:00',
				},
			}),
		);
		expect(other.exportId).not.toBe(created.exportId);
	});

	it.each([
		['an http:// URL', 'http://hooks.example.com/x'],
		['text that is not a URL', 'hooks.example.com/x'],
	])('refuses %s as webhook before sending anything', async (_case, webhookUrl) => {
		const result = await bed.run({
			resource: 'export',
			operation: 'create',
			campaignId: byId(CAMPAIGN),
			fileFormat: 'csv',
			options: { webhookUrl },
		});
		expect(result.error?.message).toBe('Webhook URL must be an https:// URL');
		expect(result.error?.description).toContain('"Webhook URL"');
		expect(await bed.requests()).toHaveLength(0);
	});

	it("an export of another workspace's campaign is a 404", async () => {
		const result = await bed.run({
			resource: 'export',
			operation: 'create',
			campaignId: byId('cmp_other_hashtag'),
			fileFormat: 'csv',
		});
		expect((result.error as unknown as { httpCode: string }).httpCode).toBe('404');
	});
});

describe('export get, getMany, getDownloadUrl and download', () => {
	let csvExport: string;
	let xlsxExport: string;
	beforeAll(async () => {
		await bed.advance(3601);
		const [csv] = json(
			await bed.run({
				resource: 'export',
				operation: 'create',
				campaignId: byId('cmp_demo_maps'),
				fileFormat: 'csv',
			}),
		);
		const [xlsx] = json(
			await bed.run({
				resource: 'export',
				operation: 'create',
				campaignId: byId('cmp_demo_maps'),
				fileFormat: 'xlsx',
			}),
		);
		csvExport = String(csv.exportId);
		xlsxExport = String(xlsx.exportId);
	});

	it("download before completion fails with the API's 409 and downloads nothing", async () => {
		const result = await bed.run({
			resource: 'export',
			operation: 'download',
			exportId: byId(csvExport),
		});
		expect((result.error as unknown as { httpCode: string }).httpCode).toBe('409');
		expect(await bed.storageRequests()).toHaveLength(0);
	});

	it('get returns the export; completed after some time with file name and records', async () => {
		await bed.advance(120);
		const [exp] = json(
			await bed.run({ resource: 'export', operation: 'get', exportId: byId(csvExport) }),
		);
		expect(exp).toMatchObject({
			exportId: csvExport,
			campaignId: 'cmp_demo_maps',
			status: 'completed',
			progress: 100,
			fileFormat: 'csv',
		});
		expect(String(exp.filename)).toMatch(/\.csv$/);
		expect(exp.totalRecords).toBeGreaterThan(0);
	});

	it('getMany filters by campaign and status and sorts', async () => {
		const exports = json(
			await bed.run({
				resource: 'export',
				operation: 'getMany',
				returnAll: true,
				filters: { campaignId: 'cmp_demo_maps', status: 'completed' },
				options: { sortBy: 'createdAt', order: 'asc' },
			}),
		);
		expect(exports.map((e) => e.exportId)).toEqual([csvExport, xlsxExport]);
		const [sent] = requestsOf(await bed.requests(), 'listListExports');
		expect(sent.query).toEqual({
			page: '1',
			perPage: '100',
			campaignId: 'cmp_demo_maps',
			status: 'completed',
			sortBy: 'createdAt',
			order: 'asc',
		});
	});

	it('getMany with Limit 1 sends perPage=1', async () => {
		expect(
			json(await bed.run({ resource: 'export', operation: 'getMany', limit: 1 })),
		).toHaveLength(1);
		expect(requestsOf(await bed.requests(), 'listListExports')[0].query).toEqual({
			page: '1',
			perPage: '1',
		});
	});

	it('getDownloadUrl returns an opaque URL and the file name', async () => {
		const [link] = json(
			await bed.run({ resource: 'export', operation: 'getDownloadUrl', exportId: byId(csvExport) }),
		);
		expect(String(link.downloadUrl)).toMatch(/\/list-exports\/download\/[^/]+$/);
		expect(String(link.filename)).toMatch(new RegExp(`${csvExport}\\.csv$`));
	});

	it('download gives the CSV as binary; the redirect route and the file host never see credentials', async () => {
		const result = await bed.run({
			resource: 'export',
			operation: 'download',
			exportId: byId(csvExport),
		});
		expect(result.error).toBeUndefined();
		const [item] = result.outputs[0];
		const file = item.binary!.data;
		expect(file.mimeType).toBe('text/csv');
		expect(file.fileName).toMatch(new RegExp(`${csvExport}\\.csv$`));
		expect(file.fileExtension).toBe('csv');
		const text = Buffer.from(file.data, 'base64').toString('utf8');
		const [header, ...rows] = text.trim().split(/\r?\n/);
		expect(header.split(',')).toEqual(expect.arrayContaining(['email', 'fullName']));
		const [exp] = json(
			await bed.run({ resource: 'export', operation: 'get', exportId: byId(csvExport) }),
		);
		expect(rows).toHaveLength(Number(exp.totalRecords));
		expect(item.json).toMatchObject({
			exportId: csvExport,
			fileName: file.fileName,
			mimeType: 'text/csv',
			fileSize: Buffer.byteLength(text),
		});

		const log = await bed.requests();
		const [linkRequest] = requestsOf(log, 'getListExportDownloadUrl');
		expect(linkRequest.apiKey).toBe('present');
		const follow = requestsOf(log, 'followListExportDownload');
		expect(follow).toHaveLength(1);
		expect(follow[0]).toMatchObject({ status: 302, apiKey: 'absent', authorization: 'absent' });
		expect(follow[0].headerNames).not.toContain('x-workspace-id');
		const storage = await bed.storageRequests();
		expect(storage).toHaveLength(1);
		expect(storage[0]).toMatchObject({ status: 200, apiKey: 'absent', authorization: 'absent' });
		expect(storage[0].headerNames).not.toContain('cookie');
	});

	it('download gives the XLSX as binary in the chosen field, with the spreadsheet MIME type', async () => {
		const result = await bed.run({
			resource: 'export',
			operation: 'download',
			exportId: byId(xlsxExport),
			binaryPropertyName: 'sheet',
		});
		const [item] = result.outputs[0];
		expect(item.binary!.data).toBeUndefined();
		const file = item.binary!.sheet;
		expect(file.mimeType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		expect(file.fileName).toMatch(new RegExp(`${xlsxExport}\\.xlsx$`));
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(Buffer.from(file.data, 'base64') as unknown as ArrayBuffer);
		const sheet = workbook.worksheets[0];
		expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['email']));
		const [exp] = json(
			await bed.run({ resource: 'export', operation: 'get', exportId: byId(xlsxExport) }),
		);
		expect(sheet.rowCount - 1).toBe(Number(exp.totalRecords));
		expect(
			requestsOf(await bed.requests(), 'followListExportDownload').every(
				(request) => request.apiKey === 'absent',
			),
		).toBe(true);
	});

	it('with an access token the download still sends no Authorization to the redirect route or the file host', async () => {
		const { accessTokenCredential } = await import('./setup');
		const result = await bed.run(
			{ resource: 'export', operation: 'download', exportId: byId(csvExport) },
			{ credential: accessTokenCredential(bed.apiUrl) },
		);
		expect(result.error).toBeUndefined();
		const log = await bed.requests();
		expect(requestsOf(log, 'getListExportDownloadUrl')[0].authorization).toBe('Bearer');
		expect(requestsOf(log, 'followListExportDownload')[0].authorization).toBe('absent');
		expect(
			(await bed.storageRequests()).every((request) => request.authorization === 'absent'),
		).toBe(true);
	});
});
