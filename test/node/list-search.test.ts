/**
 * The resource-locator searches ("From list") run in n8n-core's real LoadOptionsContext (what
 * the editor uses), with the engine's credentials helper, against the sandbox over real HTTP.
 */
import { LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialType,
	INode,
	INodeParameters,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { ScravioApi } from '../../credentials/ScravioApi.credentials';
import {
	searchCampaigns,
	searchExports,
	searchValidationJobs,
	withStatus,
} from '../../nodes/ui/listSearch';
import { Scravio } from '../../nodes/Scravio/Scravio.node';
import { createEngine, EngineCredentialsHelper } from '../../harness/engine';
import {
	PRESETS,
	accessTokenCredential,
	apiKeyCredential,
	byId,
	json,
	requestsOf,
	startTestbed,
	type Testbed,
} from './setup';

let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed();
});
afterAll(async () => await bed.close());
beforeEach(async () => await bed.clearRequests());

const engine = createEngine({ nodes: [Scravio], credentialTypes: [ScravioApi] });

/** What the editor builds when a "From list" locator asks for its entries. */
function loadOptionsContext(
	parameters: INodeParameters,
	credential = apiKeyCredential(bed.apiUrl),
) {
	const node: INode = {
		id: 'n1',
		name: 'Scravio',
		type: 'scravio',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { scravioApi: { id: 'cred-scravioApi', name: 'Scravio' } },
	};
	const workflow = new Workflow({
		id: 'w',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: engine.nodeTypes,
	});
	const credentialTypes = {
		byName: new Map<string, ICredentialType>([['scravioApi', new ScravioApi()]]),
		getByName(name: string) {
			return this.byName.get(name)!;
		},
		recognizes: (name: string) => name === 'scravioApi',
		getParentTypes: () => [],
	};
	const additionalData = {
		credentialsHelper: new EngineCredentialsHelper(credentialTypes as never, {
			scravioApi: credential,
		}),
		currentNodeParameters: parameters,
		restApiUrl: '',
		instanceBaseUrl: '',
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflow, node, additionalData, 'parameters.campaignId');
}

describe('list searches', () => {
	it('campaigns: the search text is sent as q, results name title and status', async () => {
		const result = await searchCampaigns.call(
			loadOptionsContext({ resource: 'campaign', operation: 'get' }),
			'cafés',
		);
		expect(result.results).toEqual([
			{ name: 'Sample: cafés in Berlin (fully_completed)', value: 'cmp_demo_maps' },
		]);
		expect(result.paginationToken).toBeUndefined();
		const [sent] = requestsOf(await bed.requests(), 'listCampaigns');
		expect(sent.query).toEqual({ q: 'cafés', page: '1', perPage: '50' });
	});

	it('campaigns: each option shows its status once, also when the title already ends with it', async () => {
		const result = await searchCampaigns.call(
			loadOptionsContext({ resource: 'campaign', operation: 'get' }),
		);
		const names: Record<string, string> = Object.fromEntries(
			result.results.map((entry) => [String(entry.value), entry.name]),
		);
		// The seeded sample's title is "Sample: TikTok followers (failed)".
		expect(names.cmp_demo_tiktok).toBe('Sample: TikTok followers (failed)');
		expect(names.cmp_demo_youtube).toBe('Sample: YouTube fitness channels (stopped)');
		for (const name of Object.values(names)) {
			expect(name.match(/\([a-z_]+\)/g)).toHaveLength(1);
		}
	});

	it('withStatus: appends the status unless the label already ends with it; no empty brackets', () => {
		expect(withStatus('Leads', 'failed')).toBe('Leads (failed)');
		expect(withStatus('Leads (Failed)', 'failed')).toBe('Leads (Failed)');
		expect(withStatus('Leads (failed) again', 'failed')).toBe('Leads (failed) again (failed)');
		expect(withStatus('Leads', undefined)).toBe('Leads');
	});

	it('campaigns: the node option workspace is used', async () => {
		const context = loadOptionsContext(
			{ resource: 'campaign', operation: 'get', options: { workspaceId: PRESETS.workspaces.team } },
			accessTokenCredential(bed.apiUrl),
		);
		const result = await searchCampaigns.call(context);
		expect(result.results.map((entry) => entry.value)).toEqual(['cmp_team_linkedin']);
		expect(requestsOf(await bed.requests(), 'listCampaigns')[0].workspaceId).toBe(
			PRESETS.workspaces.team,
		);
	});

	it('exports and validation jobs list what exists', async () => {
		await bed.advance(3601);
		const [created] = json(
			await bed.run({
				resource: 'export',
				operation: 'create',
				campaignId: byId('cmp_demo_maps'),
				fileFormat: 'csv',
			}),
		);
		const [job] = json(
			await bed.run({ resource: 'validationJob', operation: 'create', emails: 'anna@example.com' }),
		);

		const exports = await searchExports.call(
			loadOptionsContext({ resource: 'export', operation: 'get' }),
		);
		expect(exports.results.map((entry) => entry.value)).toContain(created.exportId);
		const jobs = await searchValidationJobs.call(
			loadOptionsContext({ resource: 'validationJob', operation: 'get' }),
		);
		expect(jobs.results).toEqual([
			expect.objectContaining({ value: job.jobId, name: expect.stringContaining('· 1 email (') }),
		]);
		expect(requestsOf(await bed.requests(), 'listValidationJobs')[0].query).toEqual({
			page: '1',
			limit: '50',
		});
	});
});
