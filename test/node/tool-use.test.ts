/**
 * The node as an AI agent's tool, through n8n's engine against the sandbox. n8n runs a
 * `usableAsTool` node as its tool variant, type `<package>.scravioTool` (see toolUse.ts); here the
 * same class is registered under that name. Return All is capped, files come with a note, and the
 * description n8n builds for the model (n8n-workflow's own getToolDescriptionForNode) says which
 * operations reserve credits. The agent itself, in real n8n, is test/e2e/agent.test.ts.
 */
import type {
	INode,
	INodeProperties,
	INodePropertyCollection,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { ScravioApi } from '../../credentials/ScravioApi.credentials';
import { TOOL_FILE_NOTE, TOOL_RETURN_ALL_LIMIT } from '../../nodes/Scravio/actions/output/toolUse';
import { Scravio } from '../../nodes/Scravio/Scravio.node';
import { createEngine } from '../../harness/engine';
import {
	PRESETS,
	apiKeyCredential,
	byId,
	json,
	requestsOf,
	startTestbed,
	type Testbed,
} from './setup';

/** What n8n's convertNodeToAiTool makes of the node: the same class, name + "Tool". */
class ScravioTool extends Scravio {
	constructor() {
		super();
		this.description = {
			...this.description,
			name: 'scravioTool',
			displayName: 'Scravio Tool',
		} as INodeTypeDescription;
	}
}

const engine = createEngine({ nodes: [Scravio, ScravioTool], credentialTypes: [ScravioApi] });

let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed();
});
afterAll(async () => await bed.close());
beforeEach(async () => await bed.clearRequests());

const run = async (type: 'scravio' | 'scravioTool', parameters: Record<string, unknown>) =>
	await engine.runNode({
		type,
		parameters: parameters as never,
		credentials: { scravioApi: apiKeyCredential(bed.apiUrl) },
	});

describe('Return All in tool use', () => {
	it(`returns at most ${TOOL_RETURN_ALL_LIMIT} leads to an agent, asking for no more; a workflow still gets all`, async () => {
		const params = {
			resource: 'lead',
			operation: 'getMany',
			campaignId: byId('cmp_demo_hashtag'),
			returnAll: true,
		};
		const asWorkflow = json(await run('scravio', params));
		expect(asWorkflow.length).toBeGreaterThan(TOOL_RETURN_ALL_LIMIT);
		await bed.clearRequests();

		const asTool = json(await run('scravioTool', params));
		expect(asTool).toHaveLength(TOOL_RETURN_ALL_LIMIT);
		expect(asTool.map((lead) => lead.id)).toEqual(
			asWorkflow.slice(0, TOOL_RETURN_ALL_LIMIT).map((lead) => lead.id),
		);
		const pages = requestsOf(await bed.requests(), 'listCampaignLeads');
		expect(pages.map((request) => [request.query.page, request.query.perPage])).toEqual([
			['1', '100'],
		]);
	});

	it('a Limit the model sets is kept as it is', async () => {
		const leads = json(
			await run('scravioTool', {
				resource: 'lead',
				operation: 'getMany',
				campaignId: byId('cmp_demo_hashtag'),
				limit: 3,
			}),
		);
		expect(leads).toHaveLength(3);
	});
});

describe('files in tool use', () => {
	it('a downloaded export carries a note for the agent (which receives JSON only); a workflow item does not', async () => {
		await bed.advance(3601);
		const created = await fetch(`${bed.apiUrl}/list-exports`, {
			method: 'POST',
			headers: { 'X-API-Key': PRESETS.apiKeys.account, 'content-type': 'application/json' },
			body: JSON.stringify({ campaignId: 'cmp_demo_maps', fileFormat: 'csv' }),
		});
		const exportId = String(
			((await created.json()) as { data: { exportId: string } }).data.exportId,
		);
		await bed.advance(600);
		const params = { resource: 'export', operation: 'download', exportId: byId(exportId) };

		const [toolItem] = (await run('scravioTool', params)).outputs[0];
		expect(toolItem.json).toMatchObject({ note: TOOL_FILE_NOTE, mimeType: 'text/csv' });
		expect(toolItem.binary?.data).toBeDefined();
		const [workflowItem] = (await run('scravio', params)).outputs[0];
		expect(workflowItem.json).not.toHaveProperty('note');
	});
});

describe('parameters an agent can be asked to fill', () => {
	it('every field the editor lets you hand to the model ($fromAI: not options, not fixed lists) has a description', () => {
		const missing: string[] = [];
		const walk = (properties: INodeProperties[], prefix: string) => {
			for (const property of properties) {
				const fillable =
					['string', 'number', 'boolean', 'resourceLocator', 'dateTime', 'json'].includes(
						property.type,
					) && !property.noDataExpression;
				if (fillable && !property.description && !property.hint)
					missing.push(`${prefix}${property.name}`);
				if (property.type === 'collection')
					walk(property.options as INodeProperties[], `${prefix}${property.name}.`);
				if (property.type === 'fixedCollection') {
					for (const group of property.options as INodePropertyCollection[])
						walk(group.values, `${prefix}${property.name}.${group.name}.`);
				}
			}
		};
		walk(new Scravio().description.properties, '');
		expect(missing).toEqual([]);
	});
});

describe('what the model is told (n8n builds the tool description from the operation action)', () => {
	const nodeType = new ScravioTool();
	const describe_ = (resource: string, operation: string) =>
		NodeHelpers.getToolDescriptionForNode(
			{ parameters: { resource, operation } } as unknown as INode,
			nodeType,
		);

	it.each([
		['campaign', 'create'],
		['campaign', 'validate'],
	])('%s %s: says it reserves credits', (resource, operation) => {
		expect(describe_(resource, operation)).toMatch(/\(reserves credits\) in Scravio$/);
	});

	it('reads and previews do not claim to reserve credits; previews say they are free', () => {
		const all = nodeType.description.properties
			.filter((property) => property.name === 'operation')
			.flatMap((property) =>
				(property.options as Array<{ value: string }>).map((option) => [
					property.displayOptions!.show!.resource![0] as string,
					option.value,
				]),
			);
		const charging = all.filter(([resource, operation]) =>
			/reserves credits/.test(describe_(resource, operation)),
		);
		expect(charging).toEqual([
			['campaign', 'create'],
			['campaign', 'validate'],
		]);
		expect(describe_('campaign', 'previewCost')).toMatch(/\(free\)/);
	});
});
