/**
 * The example workflows, executed by REAL n8n's CLI (`n8n execute`) with the packed package
 * installed in n8n's nodes folder, against the sandbox. Both pinned n8n versions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox';
import {
	executeWorkflow,
	getInstall,
	nodeOutput,
	readBinary,
	removeN8nHome,
	type N8nHome,
	type N8nItem,
	type N8nMajor,
} from '../../harness/n8n';
import { sandboxClient } from '../../harness/sandboxClient';
import { reportTiming } from './timing';
import {
	importExample,
	loadExample,
	PACKAGE_NAME,
	parseCsv,
	prepareHome,
	SANDBOX_CREDENTIAL_REF,
} from '../../harness/n8n/scravio';

const tarball = () => {
	const t = process.env.SCRAVIO_E2E_TARBALL;
	if (!t)
		throw new Error(
			'SCRAVIO_E2E_TARBALL is not set: run with jest -c jest.e2e.config.js (its globalSetup packs the package)',
		);
	return t;
};

describe('example workflows, shipped nodes only, referencing the sandbox credential', () => {
	test.each(['lead-pipeline', 'validate-list', 'triggered-export'] as const)('%s.json', (name) => {
		const wf = loadExample(name);
		for (const node of wf.nodes as Array<{ type: string; credentials?: Record<string, unknown> }>) {
			expect(node.type).toMatch(/^(n8n-nodes-base\.|n8n-nodes-scravio\.)/);
			if (node.type.startsWith(`${PACKAGE_NAME}.`))
				expect(node.credentials).toEqual({ scravioApi: SANDBOX_CREDENTIAL_REF });
		}
	});
});

describe.each([2, 1] as N8nMajor[])('n8n %s.x: examples executed by the n8n CLI', (major) => {
	const install = getInstall(major);
	reportTiming(`n8n ${install.version}: examples via n8n execute`);
	let sb: Sandbox;
	let home: N8nHome;
	let packageName: string;

	beforeAll(async () => {
		// 20 virtual seconds per second: a 100-email campaign (~57 s) ends in ~3 s.
		sb = await startSandbox({ port: 0, quiet: true, clockSpeed: 20 });
		({ home, packageName } = await prepareHome(install, tarball(), sb.apiUrl));
	});

	afterAll(async () => {
		if (home) await removeN8nHome(home);
		await sb?.close();
	});

	test(`the packed package installs into n8n ${install.version}'s nodes folder like a community package`, () => {
		expect(packageName).toBe(PACKAGE_NAME);
		const pkgDir = path.join(home.nodesDir, 'node_modules', PACKAGE_NAME);
		const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials])
			expect(fs.existsSync(path.join(pkgDir, file))).toBe(true);
		// No runtime dependencies: nothing but our package in the nodes folder's node_modules.
		const installed = fs
			.readdirSync(path.join(home.nodesDir, 'node_modules'))
			.filter((n) => !n.startsWith('.'));
		expect(installed).toEqual([PACKAGE_NAME]);
	});

	test('lead-pipeline: campaign → wait → CSV export of valid e-mails → Extract From File rows', async () => {
		const id = await importExample(home, 'lead-pipeline');
		const run = await executeWorkflow(home, id);
		expect(run.finished).toBe(true);
		expect(run.data.resultData.runData['Every Monday 08:00']).toBeUndefined(); // the disabled alternative

		const [campaign] = nodeOutput(run, 'Create Campaign and Wait');
		expect(campaign.json).toMatchObject({
			type: 'INSTAGRAM_HASHTAG',
			status: 'fully_completed',
			title: 'Coffee lovers (#coffee #latteart)',
			inputs: { hashtags: ['coffee', 'latteart'] },
			progressPercentage: 100,
			enableEmailValidation: true,
		});
		const campaignId = String(campaign.json.id);
		expect(campaignId).toMatch(/^cmp_/);

		const exported = nodeOutput(run, 'Export Valid Emails (CSV)');
		expect(exported).toHaveLength(1);
		const exp = exported[0];
		expect(exp.json).toMatchObject({
			campaignId,
			status: 'completed',
			fileFormat: 'csv',
			mimeType: 'text/csv',
		});
		const file = exp.binary!.data;
		expect(file.mimeType).toBe('text/csv');
		expect(file.fileExtension).toBe('csv');
		expect(file.fileName).toBe(exp.json.filename);
		expect(file.fileName).toMatch(/^coffee-lovers.*\.csv$/);
		const csv = parseCsv(readBinary(home, file).toString('utf8'));
		expect(csv.headers.slice(0, 3)).toEqual(['email', 'emailSource', 'validationStatus']);
		expect(csv.rows).toHaveLength(Number(exp.json.totalRecords));

		// The rows are exactly the campaign's leads with a valid e-mail (not AI-verified, deduplicated), in order.
		const valid = await sandboxClient(sb).allLeads(campaignId, {
			validationStatus: 'valid',
			sortBy: 'scrapedAt',
			order: 'asc',
		});
		const seen = new Set<string>();
		const expected = valid.filter((l) => {
			if (!l.email || l.emailSource === 'ai_verified' || seen.has(l.email.toLowerCase()))
				return false;
			seen.add(l.email.toLowerCase());
			return true;
		});
		expect(expected.length).toBeGreaterThan(20);
		expect(csv.rows.map((r) => r.email)).toEqual(expected.map((l) => l.email));
		expect(csv.rows.map((r) => r.username)).toEqual(expected.map((l) => l.username));

		const rows = nodeOutput(run, 'CSV to Rows');
		expect(rows.map((r) => r.json.email)).toEqual(expected.map((l) => l.email));
		expect(new Set(rows.map((r) => r.json.validationStatus))).toEqual(new Set(['valid']));
		expect(rows[0].json).toMatchObject({
			platform: 'instagram',
			emailSource: expected[0].emailSource,
			username: expected[0].username,
		});

		// The credential went to the API only: neither the public download route nor the file host saw it.
		const downloads = await sandboxClient(sb).requests({ operationId: 'followListExportDownload' });
		expect(downloads.length).toBeGreaterThanOrEqual(1);
		for (const r of downloads)
			expect(r).toMatchObject({ apiKey: 'absent', authorization: 'absent', status: 302 });
		const files = await sandboxClient(sb).requests({ host: 'storage' });
		expect(files.length).toBeGreaterThanOrEqual(1);
		for (const r of files)
			expect(r).toMatchObject({ apiKey: 'absent', authorization: 'absent', status: 200 });
		const created = await sandboxClient(sb).requests({ operationId: 'createCampaign' });
		expect(created.map((r) => [r.apiKey, r.status])).toEqual([['present', 201]]);
	});

	test('validate-list: items → one validation job (Combine All Items) → one result per item, paired', async () => {
		const id = await importExample(home, 'validate-list');
		const run = await executeWorkflow(home, id);
		const inputs = nodeOutput(run, 'One Item per Contact');
		expect(inputs.map((i) => i.json.email)).toEqual([
			'ada.lovelace@example.com',
			'grace.hopper@example.org',
			'alan.turing@example.net',
			'ADA.LOVELACE@example.com',
			'katherine.johnson@example.com',
			'not-an-email',
		]);
		const results = nodeOutput(run, 'Validate All Emails');
		expect(results).toHaveLength(inputs.length);
		results.forEach((item: N8nItem, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.email).toBe(inputs[i].json.email);
		});
		// One job for the 4 distinct addresses (the duplicate in other case shares Ada's result).
		const jobIds = new Set(results.slice(0, 5).map((r) => r.json.jobId));
		expect(jobIds.size).toBe(1);
		const [jobId] = [...jobIds] as string[];
		const job = await sandboxClient(sb).data<{ status: string; totalEmails?: number }>(
			'GET',
			`/validation-jobs/${jobId}`,
		);
		expect(job.status).toBe('completed');
		expect((await sandboxClient(sb).requests({ operationId: 'createValidationJob' })).length).toBe(
			1,
		);
		for (const r of results.slice(0, 5)) {
			expect(r.json).toMatchObject({ jobStatus: 'completed' });
			expect(['valid', 'invalid']).toContain(r.json.status);
			expect(typeof r.json.isValid).toBe('boolean');
		}
		expect(results[3].json).toMatchObject({
			status: results[0].json.status,
			isValid: results[0].json.isValid,
		});
		expect(results[5].json).toEqual({
			email: 'not-an-email',
			status: 'skipped',
			reason: 'not_an_email_address',
			jobId: null,
			jobStatus: null,
		});
		for (const r of await sandboxClient(sb).requests({ host: 'storage' }))
			expect(r).toMatchObject({ apiKey: 'absent', authorization: 'absent' });
	});
});
