/**
 * Campaign › Create with Wait for Completion and Output "Leads", in REAL n8n 2.40.7 (`n8n execute`,
 * the packed package): one item per lead of the new campaign, filtered and limited as asked. The
 * engine tests (test/node/campaign-leads.test.ts) cover the cases; this proves the step in n8n.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import {
	executeWorkflow,
	getInstall,
	importWorkflow,
	nodeOutput,
	removeN8nHome,
	type N8nHome,
} from '../../harness/n8n';
import { sandboxClient } from '../../harness/sandboxClient';
import { NODE_TYPE, prepareHome, SANDBOX_CREDENTIAL_REF } from '../../harness/n8n/scravio';
import { reportTiming } from './timing';

const tarball = () => {
	const t = process.env.SCRAVIO_E2E_TARBALL;
	if (!t)
		throw new Error(
			'SCRAVIO_E2E_TARBALL is not set: run with jest -c jest.e2e.config.js (its globalSetup packs the package)',
		);
	return t;
};

describe('n8n 2.x: Campaign Create, Output Leads', () => {
	const install = getInstall(2);
	reportTiming(`n8n ${install.version}: campaign create with leads output`);
	let sb: Sandbox;
	let home: N8nHome;

	beforeAll(async () => {
		// 20 virtual seconds per second: the campaign finishes in a few seconds.
		sb = await startSandbox({ port: 0, quiet: true, clockSpeed: 20 });
		({ home } = await prepareHome(install, tarball(), sb.apiUrl));
	});

	afterAll(async () => {
		if (home) await removeN8nHome(home);
		await sb?.close();
	});

	test('one item per lead with an e-mail of the finished campaign, up to the Limit', async () => {
		const id = await importWorkflow(home, {
			name: 'Campaign and its leads',
			settings: { executionOrder: 'v1' },
			nodes: [
				{
					id: 'start',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'create',
					name: 'Create Campaign, Get Leads',
					type: NODE_TYPE,
					typeVersion: 1,
					position: [250, 0],
					credentials: { scravioApi: SANDBOX_CREDENTIAL_REF },
					parameters: {
						resource: 'campaign',
						operation: 'create',
						campaignType: 'X_FOLLOWERS',
						targetUser: '@nasa',
						targetEmails: 60,
						waitForCompletion: true,
						maxWaitMinutes: 5,
						output: 'leads',
						limit: 7,
						simplify: true,
						filters: { hasEmail: true },
					},
				},
			],
			connections: {
				Start: { main: [[{ node: 'Create Campaign, Get Leads', type: 'main', index: 0 }]] },
			},
		});
		const run = await executeWorkflow(home, id);
		const leads = nodeOutput(run, 'Create Campaign, Get Leads');

		const [created] = await sandboxClient(sb).requests({ operationId: 'createCampaign' });
		expect(created.status).toBe(201);
		const campaignId = String(leads[0]?.json.campaignId);
		expect(campaignId).toMatch(/^cmp_/);
		const expected = (await sandboxClient(sb).allLeads(campaignId, { hasEmail: 'true' })).slice(
			0,
			7,
		);
		expect(leads.map((item) => item.json.id)).toEqual(expected.map((lead) => lead.id));
		expect(
			leads.every(
				(item) =>
					typeof item.json.email === 'string' &&
					'validationStatus' in item.json &&
					!('biography' in item.json),
			),
		).toBe(true);
		expect(await sandboxClient(sb).requests({ operationId: 'createCampaign' })).toHaveLength(1);
	});
});
