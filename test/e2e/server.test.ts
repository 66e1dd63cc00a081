/**
 * REAL `n8n start` with the packed package: the nodes and the credential load with their icons,
 * the credential's Test works against the sandbox (and fails with a wrong key), and ACTIVE
 * workflows with the Scravio Trigger fire exactly once per event: nothing at activation, one
 * execution when a campaign finishes / an export is ready, no duplicate at the next poll.
 * Both pinned n8n versions.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';

import { startSandbox, type Sandbox } from '../../sandbox';
import {
	getExecution,
	getInstall,
	httpRequest,
	importWorkflow,
	listExecutions,
	publishWorkflow,
	removeN8nHome,
	setupOwner,
	startN8n,
	waitFor,
	waitForExecutions,
	type N8nHome,
	type N8nMajor,
	type N8nSession,
	type RunningN8n,
	type WorkflowJson,
} from '../../harness/n8n';
import { sandboxClient } from '../../harness/sandboxClient';
import { reportTiming } from './timing';
import {
	importExample,
	NODE_TYPE,
	PACKAGE_NAME,
	prepareHome,
	SANDBOX_CREDENTIAL_REF,
	sandboxCredential,
	TRIGGER_TYPE,
} from '../../harness/n8n/scravio';

const tarball = () => {
	const t = process.env.SCRAVIO_E2E_TARBALL;
	if (!t)
		throw new Error(
			'SCRAVIO_E2E_TARBALL is not set: run with jest -c jest.e2e.config.js (its globalSetup packs the package)',
		);
	return t;
};

/** Polls run every minute (n8n refuses sub-minute poll times): allow one full period and margin. */
const POLL_PERIOD_MS = 60_000;
const ONE_POLL_MS = POLL_PERIOD_MS + 30_000;

const CAMPAIGN_WORKFLOW: WorkflowJson = {
	id: 'e2eCampaignFinished',
	name: 'e2e: Scravio Trigger, campaign finished',
	nodes: [
		{
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'campaignFinished' },
			id: 'a3c0d1e2-0000-4000-8000-000000000001',
			name: 'Campaign Finished',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			credentials: { scravioApi: SANDBOX_CREDENTIAL_REF },
		},
	],
	connections: {},
	settings: { executionOrder: 'v1' },
	active: false,
};
const EXPORT_WORKFLOW_ID = 'scravioTriggerExport';

describe.each([2, 1] as N8nMajor[])('n8n %s.x: n8n start with the package', (major) => {
	const install = getInstall(major);
	reportTiming(`n8n ${install.version}: n8n start, icons, credential test, trigger`);
	let sb: Sandbox;
	let home: N8nHome;
	let server: RunningN8n;
	let session: N8nSession;
	const authed = () => ({ headers: { cookie: session.cookie, 'browser-id': session.browserId } });
	const polls = async (operationId: string) =>
		(await sandboxClient(sb).requests({ operationId })).length;

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, quiet: true, clockSpeed: 20 });
		({ home } = await prepareHome(install, tarball(), sb.apiUrl));
		await importExample(home, 'triggered-export');
		await importExample(home, 'lead-pipeline'); // so the editor has a workflow with our node, inactive
		await importWorkflow(home, CAMPAIGN_WORKFLOW);
		await publishWorkflow(home, CAMPAIGN_WORKFLOW.id as string);
		await publishWorkflow(home, EXPORT_WORKFLOW_ID);
		server = await startN8n(home);
		session = await setupOwner(server);
	});

	afterAll(async () => {
		if (server) {
			await server.stop();
			if (process.env.SCRAVIO_E2E_LOGS) process.stderr.write(server.logs());
		}
		if (home) await removeN8nHome(home);
		await sb?.close();
	});

	test('activation polls both triggers once and emits nothing that happened before', async () => {
		// The sample campaigns and exports of the sandbox finished before activation.
		await waitFor(
			async () => (await polls('listCampaigns')) >= 1 && (await polls('listListExports')) >= 1,
			30_000,
		);
		expect(await listExecutions(session, CAMPAIGN_WORKFLOW.id as string)).toEqual([]);
		expect(await listExecutions(session, EXPORT_WORKFLOW_ID)).toEqual([]);
		expect(server.logs()).not.toMatch(
			/polling interval is too short|There was a problem activating/i,
		);
	});

	test('the nodes and the credential load from the package, with their icons', async () => {
		const nodes = (await httpRequest('GET', `${server.url}/types/nodes.json`, authed())).json<
			Array<{ name: string; iconUrl?: { light: string; dark: string }; displayName: string }>
		>();
		const ours = new Map(
			nodes.filter((n) => n.name.startsWith(`${PACKAGE_NAME}.`)).map((n) => [n.name, n]),
		);
		expect(ours.get(NODE_TYPE)?.displayName).toBe('Scravio');
		expect(ours.get(TRIGGER_TYPE)?.displayName).toBe('Scravio Trigger');
		const creds = (await httpRequest('GET', `${server.url}/types/credentials.json`, authed())).json<
			Array<{ name: string; iconUrl?: { light: string; dark: string } }>
		>();
		const cred = creds.find((c) => c.name === 'scravioApi');
		expect(cred).toBeDefined();
		for (const owner of [ours.get(NODE_TYPE)!, ours.get(TRIGGER_TYPE)!, cred!]) {
			expect(owner.iconUrl).toEqual({
				light: expect.stringMatching(/^icons\/n8n-nodes-scravio\/.+\.svg$/),
				dark: expect.stringMatching(/\.dark\.svg$/),
			});
			for (const url of [owner.iconUrl!.light, owner.iconUrl!.dark]) {
				const icon = await httpRequest('GET', `${server.url}/${url}`, authed());
				expect(icon.status).toBe(200);
				expect(icon.headers['content-type']).toMatch(/image\/svg\+xml/);
				expect(icon.body).toMatch(/^<svg[\s>]/);
			}
		}
	});

	test("the credential's Test succeeds against the sandbox and fails with a wrong key", async () => {
		const testWith = async (apiKey: string) => {
			// 1.x tests a stored credential by id (with the data given); 2.x accepts both.
			const r = await httpRequest('POST', `${server.url}/rest/credentials/test`, {
				...authed(),
				body: { credentials: sandboxCredential(sb.apiUrl, apiKey) },
			});
			expect(r.status).toBe(200);
			return r.json<{ data: { status: string; message: string } }>().data;
		};
		const before = await polls('getAccount');
		expect(await testWith('sk_live_sandbox_demo_account')).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		const bad = await testWith('sk_live_not_a_real_key');
		expect(bad.status).toBe('Error');
		// Both reached the sandbox's GET /auth/me with X-API-Key (n8n tries a failing test twice).
		const [ok, ...refused] = (
			await sandboxClient(sb).requests({ operationId: 'getAccount' })
		).slice(before);
		expect([ok.apiKey, ok.status]).toEqual(['present', 200]);
		expect(refused.length).toBeGreaterThanOrEqual(1);
		for (const r of refused) expect([r.apiKey, r.status]).toEqual(['present', 401]);
	});

	test("the credential's Test never follows a redirect: the key does not reach the host the redirect names", async () => {
		// Another host (a second loopback server on its own port) that would answer like the API,
		// and a Base URL that answers 302 to it.
		const otherSeen: IncomingHttpHeaders[] = [];
		const other = createServer((request, response) => {
			otherSeen.push(request.headers);
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ success: true, user: { id: 'usr_other' } }));
		});
		const redirectorSeen: IncomingHttpHeaders[] = [];
		const redirector = createServer((request, response) => {
			redirectorSeen.push(request.headers);
			response.writeHead(302, { location: `${origin(other)}${request.url ?? '/'}` });
			response.end();
		});
		const origin = (srv: Server) => `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
		await Promise.all(
			[other, redirector].map(
				(srv) => new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve)),
			),
		);
		try {
			const r = await httpRequest('POST', `${server.url}/rest/credentials/test`, {
				...authed(),
				body: { credentials: sandboxCredential(`${origin(redirector)}/api`) },
			});
			expect(r.status).toBe(200);
			const result = r.json<{ data: { status: string; message: string } }>().data;
			expect(result.status).toBe('Error');
			// n8n 2.x applies the credential's test rules to the 3xx and shows our message; n8n 1.x
			// stops at the 302 itself ("Request failed with status code 302"). Either way the Test
			// fails and nothing reaches the other host (below).
			expect(result.message).toContain(major === 2 ? 'redirect (HTTP 302)' : 'status code 302');
			expect(redirectorSeen.length).toBeGreaterThanOrEqual(1);
			expect(redirectorSeen[0]['x-api-key']).toBeDefined(); // the Test did send the key to the Base URL
			expect(
				otherSeen.filter((h) => h['x-api-key'] !== undefined || h.authorization !== undefined),
			).toEqual([]);
			expect(otherSeen).toHaveLength(0);
		} finally {
			await Promise.all(
				[other, redirector].map((srv) => new Promise((resolve) => srv.close(resolve))),
			);
		}
	});

	test('a finished campaign and a ready export each start exactly one execution, with the right data', async () => {
		const { campaign } = await sandboxClient(sb).data<{ campaign: { id: string } }>(
			'POST',
			'/campaigns',
			{
				type: 'INSTAGRAM_HASHTAG',
				title: 'e2e trigger campaign',
				inputs: { hashtags: ['espresso'] },
				targetEmails: 20,
			},
		);
		const exportJob = await sandboxClient(sb).data<{ exportId: string }>('POST', '/list-exports', {
			campaignId: 'cmp_demo_hashtag',
			fileFormat: 'csv',
		});
		await waitFor(
			async () =>
				(
					await sandboxClient(sb).data<{ campaign: { status: string } }>(
						'GET',
						`/campaigns/${campaign.id}`,
					)
				).campaign.status === 'fully_completed',
			30_000,
		);
		await waitFor(
			async () =>
				(
					await sandboxClient(sb).data<{ status: string }>(
						'GET',
						`/list-exports/${exportJob.exportId}`,
					)
				).status === 'completed',
			30_000,
		);

		const [campaignRun] = await waitForExecutions(
			session,
			CAMPAIGN_WORKFLOW.id as string,
			1,
			ONE_POLL_MS,
		);
		const [exportRun] = await waitForExecutions(session, EXPORT_WORKFLOW_ID, 1, ONE_POLL_MS);

		// Wait for one more poll of each trigger after those executions: no duplicate may appear.
		const listed = {
			campaigns: await polls('listCampaigns'),
			exports: await polls('listListExports'),
		};
		await waitFor(
			async () =>
				(await polls('listCampaigns')) > listed.campaigns &&
				(await polls('listListExports')) > listed.exports,
			ONE_POLL_MS,
			1000,
		);
		await new Promise((r) => setTimeout(r, 5000)); // an execution that poll started would be listed by now
		const campaignRuns = await listExecutions(session, CAMPAIGN_WORKFLOW.id as string);
		const exportRuns = await listExecutions(session, EXPORT_WORKFLOW_ID);
		expect(campaignRuns.map((e) => e.id)).toEqual([campaignRun.id]);
		expect(exportRuns.map((e) => e.id)).toEqual([exportRun.id]);
		expect(campaignRun).toMatchObject({ mode: 'trigger', status: 'success' });
		expect(exportRun).toMatchObject({ mode: 'trigger', status: 'success' });

		const c = await getExecution(session, install, campaignRun.id);
		const emitted = c.data.resultData.runData['Campaign Finished'][0].data!.main![0]!;
		expect(emitted).toHaveLength(1);
		expect(emitted[0].json).toMatchObject({
			id: campaign.id,
			title: 'e2e trigger campaign',
			type: 'INSTAGRAM_HASHTAG',
			status: 'fully_completed',
		});
		expect(emitted[0].json).toHaveProperty('postValidation');

		const e = await getExecution(session, install, exportRun.id);
		const ready = e.data.resultData.runData['Export Ready'][0].data!.main![0]!;
		expect(ready).toHaveLength(1);
		const exp = ready[0].json as {
			exportId: string;
			status: string;
			filename: string;
			totalRecords: number;
		};
		expect(exp).toMatchObject({
			exportId: exportJob.exportId,
			campaignId: 'cmp_demo_hashtag',
			status: 'completed',
		});
		expect(ready[0].binary!.data).toMatchObject({
			fileName: exp.filename,
			mimeType: 'text/csv',
			fileExtension: 'csv',
		});
		const rows = e.data.resultData.runData['CSV to Rows'][0].data!.main![0]!;
		expect(rows).toHaveLength(exp.totalRecords);
		expect(rows[0].json).toHaveProperty('username');

		// The trigger's download, too, kept the credential away from the link and the file host.
		const downloads = await sandboxClient(sb).requests({ operationId: 'followListExportDownload' });
		expect(downloads.length).toBeGreaterThanOrEqual(1);
		for (const r of downloads)
			expect(r).toMatchObject({ apiKey: 'absent', authorization: 'absent' });
		for (const r of await sandboxClient(sb).requests({ host: 'storage' }))
			expect(r).toMatchObject({ apiKey: 'absent', authorization: 'absent' });
	});
});
