/** Exports: filters, formats, the 200-for-existing rule, webhooks and the download flow. */
import { createServer, type IncomingMessage } from 'http';
import type { AddressInfo } from 'net';
import ExcelJS from 'exceljs';
import { expectError, PRESETS, startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
	h = await startHarness();
});
afterAll(async () => h.sandbox.close());

async function completedExport(body: Record<string, unknown>) {
	const created = await h.call('POST', '/list-exports', { body });
	expect([200, 201]).toContain(created.status);
	await h.advance(60);
	const info = (await h.call('GET', `/list-exports/${created.body.data.exportId}`)).body.data;
	expect(info.status).toBe('completed');
	return { created, info };
}

async function download(exportId: string): Promise<Response> {
	const link = await h.call('GET', `/list-exports/${exportId}/download`);
	expect(link.status).toBe(200);
	return fetch(link.body.data.downloadUrl);
}

async function csvRows(exportId: string): Promise<Array<Record<string, string>>> {
	const text = await (await download(exportId)).text();
	const [header, ...lines] = text.trim().split('\r\n');
	const keys = header.split(',');
	return lines.map((line) => {
		// Simple RFC 4180 split (fields may be quoted).
		const cells: string[] = [];
		let cell = '';
		let quoted = false;
		for (let i = 0; i < line.length; i++) {
			const ch = line[i];
			if (quoted) {
				if (ch === '"' && line[i + 1] === '"') {
					cell += '"';
					i++;
				} else if (ch === '"') quoted = false;
				else cell += ch;
			} else if (ch === '"') quoted = true;
			else if (ch === ',') {
				cells.push(cell);
				cell = '';
			} else cell += ch;
		}
		cells.push(cell);
		return Object.fromEntries(keys.map((k, i) => [k, cells[i]]));
	});
}

test('status moves pending -> processing -> completed; filename and totalRecords appear at the end', async () => {
	await h.admin('POST', '/rate-limits/reset');
	const created = await h.call('POST', '/list-exports', {
		body: { campaignId: 'cmp_demo_hashtag', dedupeByEmail: false },
	});
	expect(created.status).toBe(201);
	expect(created.body.data).toMatchObject({
		status: 'pending',
		progress: 0,
		fileFormat: 'csv',
		filename: null,
		totalRecords: null,
		completedAt: null,
	});
	await h.advance(1.5);
	const processing = (await h.call('GET', `/list-exports/${created.body.data.exportId}`)).body.data;
	expect(processing.status).toBe('processing');
	expect(processing.progress).toBeGreaterThan(0);
	expectError(
		await h.call('GET', `/list-exports/${created.body.data.exportId}/download`),
		409,
		'EXPORT_NOT_READY',
	);
	await h.advance(5);
	const done = (await h.call('GET', `/list-exports/${created.body.data.exportId}`)).body.data;
	const campaign = (await h.call('GET', '/campaigns/cmp_demo_hashtag')).body.campaign;
	expect(done).toMatchObject({
		status: 'completed',
		progress: 100,
		totalRecords: campaign.profileCount,
	});
	expect(done.filename).toMatch(/\.csv$/);
	const rows = await csvRows(done.exportId);
	expect(rows).toHaveLength(campaign.profileCount);
});

test('an existing matching export answers 200; different options make a new one', async () => {
	await h.admin('POST', '/rate-limits/reset');
	const first = await h.call('POST', '/list-exports', {
		body: { campaignId: 'cmp_demo_maps', emailOnly: true },
	});
	expect(first.status).toBe(201);
	const same = await h.call('POST', '/list-exports', {
		body: { campaignId: 'cmp_demo_maps', emailOnly: true, fileFormat: 'csv', dedupeByEmail: true },
	});
	expect(same.status).toBe(200);
	expect(same.body.data.exportId).toBe(first.body.data.exportId);
	const other = await h.call('POST', '/list-exports', {
		body: { campaignId: 'cmp_demo_maps', emailOnly: false },
	});
	expect(other.status).toBe(201);
	expect(other.body.data.exportId).not.toBe(first.body.data.exportId);
	const list = (await h.call('GET', '/list-exports?campaignId=cmp_demo_maps')).body.data;
	expect(list.exports).toHaveLength(2);
	expect(list.pagination.totalCount).toBe(2);
});

test('filters: emailOnly, onlyValidEmails, dedupeByEmail, includeAIVerified, dateRange', async () => {
	await h.admin('POST', '/rate-limits/reset');
	const leadsWithEmail = (
		await h.call('GET', '/campaigns/cmp_demo_maps/leads?hasEmail=true&perPage=100')
	).body.pagination.totalCount;
	const validCount = (
		await h.call('GET', '/campaigns/cmp_demo_maps/leads?validationStatus=valid&perPage=100')
	).body.pagination.totalCount;
	const aiVerified = (
		await h.call('GET', '/campaigns/cmp_demo_maps/leads?emailSource=ai_verified&perPage=100')
	).body.pagination.totalCount;
	expect(aiVerified).toBeGreaterThan(0);

	const emailOnly = await completedExport({
		campaignId: 'cmp_demo_maps',
		emailOnly: true,
		dedupeByEmail: false,
		includeAIVerified: true,
	});
	const rows = await csvRows(emailOnly.info.exportId);
	expect(rows).toHaveLength(leadsWithEmail);
	expect(rows.every((r) => r.email.includes('@'))).toBe(true);
	expect(Object.keys(rows[0])).toContain('aiVerified');

	const noAi = await completedExport({
		campaignId: 'cmp_demo_maps',
		emailOnly: true,
		dedupeByEmail: false,
	});
	expect(noAi.info.totalRecords).toBe(leadsWithEmail - aiVerified);

	const deduped = await completedExport({
		campaignId: 'cmp_demo_maps',
		emailOnly: true,
		includeAIVerified: true,
	});
	const dedupedRows = await csvRows(deduped.info.exportId);
	expect(new Set(dedupedRows.map((r) => r.email)).size).toBe(dedupedRows.length);
	expect(dedupedRows.length).toBe(new Set(rows.map((r) => r.email)).size);

	await h.admin('POST', '/rate-limits/reset');
	const onlyValid = await completedExport({
		campaignId: 'cmp_demo_maps',
		onlyValidEmails: true,
		dedupeByEmail: false,
		includeAIVerified: true,
	});
	expect(onlyValid.info.totalRecords).toBe(validCount);
	expect(
		(await csvRows(onlyValid.info.exportId)).every((r) => r.validationStatus === 'valid'),
	).toBe(true);

	const leads = [
		...(
			await h.call('GET', '/campaigns/cmp_demo_maps/leads?sortBy=scrapedAt&order=asc&perPage=100')
		).body.items,
		...(
			await h.call(
				'GET',
				'/campaigns/cmp_demo_maps/leads?sortBy=scrapedAt&order=asc&perPage=100&page=2',
			)
		).body.items,
	];
	expect(leads).toHaveLength(
		(await h.call('GET', '/campaigns/cmp_demo_maps')).body.campaign.profileCount,
	);
	const cut = leads[Math.floor(leads.length / 2)].scrapedAt;
	const ranged = await completedExport({
		campaignId: 'cmp_demo_maps',
		dedupeByEmail: false,
		dateRange: { from: cut },
	});
	expect(ranged.info.totalRecords).toBe(
		leads.filter((l: { scrapedAt: string }) => l.scrapedAt >= cut).length,
	);
	const bad = await h.call('POST', '/list-exports', {
		body: { campaignId: 'cmp_demo_maps', dateRange: { from: 'last week' } },
	});
	expect(bad.body.errors[0]).toMatchObject({ param: 'dateRange.from', location: 'body' });
});

test('XLSX exports are real workbooks', async () => {
	await h.admin('POST', '/rate-limits/reset');
	const { info } = await completedExport({
		campaignId: 'cmp_demo_hashtag',
		fileFormat: 'xlsx',
		emailOnly: true,
	});
	const response = await download(info.exportId);
	expect(response.headers.get('content-type')).toMatch(/spreadsheetml/);
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
	const sheet = workbook.worksheets[0];
	expect(sheet.rowCount).toBe(info.totalRecords + 1);
	expect(sheet.getRow(1).getCell(1).value).toBe('email');
	expect(String(sheet.getRow(2).getCell(1).value)).toMatch(/@/);
});

test('download flow: opaque URL, 302 to another host, 304, refusal of X-API-Key, expiry, no credentials at the file host', async () => {
	await h.admin('POST', '/rate-limits/reset');
	const { info } = await completedExport({
		campaignId: 'cmp_demo_hashtag',
		emailOnly: true,
		dedupeByEmail: false,
	});
	const link = (await h.call('GET', `/list-exports/${info.exportId}/download`)).body.data;
	expect(link.filename).toBe(info.filename);
	expect(link.downloadUrl).toMatch(new RegExp(`^${h.sandbox.apiUrl}/list-exports/download/dl_`));

	const withKey = await fetch(link.downloadUrl, {
		headers: { 'x-api-key': PRESETS.apiKeys.account },
		redirect: 'manual',
	});
	expect(withKey.status).toBe(401);
	expect(await withKey.json()).toMatchObject({
		code: 'API_KEY_NOT_ALLOWED',
		errors: [{ param: 'X-API-Key', location: 'headers' }],
	});

	const redirect = await fetch(link.downloadUrl, { redirect: 'manual' });
	expect(redirect.status).toBe(302);
	const location = redirect.headers.get('location')!;
	expect(new URL(location).origin).toBe(h.sandbox.storageUrl);
	expect(new URL(location).origin).not.toBe(new URL(h.sandbox.apiUrl).origin);
	const etag = redirect.headers.get('etag')!;
	expect(etag).toMatch(/^".+"$/);

	const notModified = await fetch(link.downloadUrl, {
		headers: { 'if-none-match': etag },
		redirect: 'manual',
	});
	expect(notModified.status).toBe(304);
	const bearer = await fetch(link.downloadUrl, {
		headers: { authorization: `Bearer ${PRESETS.accessTokens.demo}` },
		redirect: 'manual',
	});
	expect(bearer.status).toBe(302);
	const badBearer = await fetch(link.downloadUrl, {
		headers: { authorization: 'Bearer nope' },
		redirect: 'manual',
	});
	expect(badBearer.status).toBe(401);

	await h.admin('DELETE', '/requests');
	const followed = await fetch(link.downloadUrl, {
		headers: { authorization: `Bearer ${PRESETS.accessTokens.demo}` },
	});
	expect(followed.status).toBe(200);
	expect((await followed.text()).split('\r\n')[0]).toMatch(/^email,/);
	const storageLog = (await h.admin('GET', '/storage/requests')).body.requests;
	expect(storageLog).toHaveLength(1);
	expect(storageLog[0].headerNames).not.toContain('x-api-key');
	expect(storageLog[0].headerNames).not.toContain('authorization');
	expect(storageLog[0]).toMatchObject({ apiKey: 'absent', authorization: 'absent', status: 200 });
	const all = (await h.admin('GET', '/requests')).body.requests;
	expect(all.map((r: { host: string }) => r.host)).toEqual(['api', 'storage']);

	// A tampered signature is refused by the file host.
	expect((await fetch(location.replace(/signature=[0-9a-f]{4}/, 'signature=0000'))).status).toBe(
		403,
	);

	await h.advance(16 * 60);
	const expired = await fetch(link.downloadUrl, { redirect: 'manual' });
	expect(expired.status).toBe(404);
	expect((await expired.json()).code).toBe('NOT_FOUND');
	expect((await fetch(location)).status).toBe(403);
	expect((await h.call('GET', `/list-exports/${info.exportId}/download`)).status).toBe(200);
});

test('webhookUrl must be https; with allowInsecureWebhooks a local receiver gets the POST on completion', async () => {
	await h.admin('POST', '/rate-limits/reset');
	const insecure = await h.call('POST', '/list-exports', {
		body: { campaignId: 'cmp_demo_youtube', webhookUrl: 'http://127.0.0.1:9/hook' },
	});
	expectError(insecure, 400, 'VALIDATION_ERROR');
	expect(insecure.body.errors[0]).toMatchObject({ param: 'webhookUrl', location: 'body' });
	expect(
		(
			await h.call('POST', '/list-exports', {
				body: { campaignId: 'cmp_demo_youtube', webhookUrl: 'not a url' },
			})
		).body.errors[0].param,
	).toBe('webhookUrl');

	const received: Array<{ headers: IncomingMessage['headers']; body: any }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
	const server = createServer((req, res) => {
		let data = '';
		req.on('data', (chunk) => (data += chunk));
		req.on('end', () => {
			received.push({ headers: req.headers, body: JSON.parse(data) });
			res.end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		await h.admin('PATCH', '/config', { allowInsecureWebhooks: true });
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
		const created = await h.call('POST', '/list-exports', {
			body: { campaignId: 'cmp_demo_youtube', webhookUrl: url },
		});
		expect(created.status).toBe(201);
		expect(received).toHaveLength(0);
		await h.advance(30);
		expect(received).toHaveLength(1);
		expect(received[0].body).toMatchObject({
			event: 'list_export.completed',
			data: { exportId: created.body.data.exportId, status: 'completed' },
		});
		expect(received[0].headers['x-api-key']).toBeUndefined();
		expect((await h.admin('GET', '/webhooks')).body.deliveries.at(-1)).toMatchObject({
			status: 200,
			error: null,
		});
		await h.advance(30);
		expect(received).toHaveLength(1);
	} finally {
		await h.admin('PATCH', '/config', { allowInsecureWebhooks: false });
		server.close();
	}
});

test('an export can be made to fail through the admin route', async () => {
	await h.admin('POST', '/rate-limits/reset');
	const created = await h.call('POST', '/list-exports', {
		body: { campaignId: 'cmp_demo_youtube', fileFormat: 'xlsx' },
	});
	await h.admin('POST', `/exports/${created.body.data.exportId}/outcome`, { status: 'failed' });
	expect(
		(await h.call('GET', `/list-exports/${created.body.data.exportId}`)).body.data.status,
	).toBe('failed');
	expect((await h.call('GET', '/list-exports?status=failed')).body.data.exports).toHaveLength(1);
	// A failed export is not "existing": the same request makes a new one.
	expect(
		(
			await h.call('POST', '/list-exports', {
				body: { campaignId: 'cmp_demo_youtube', fileFormat: 'xlsx' },
			})
		).status,
	).toBe(201);
});
