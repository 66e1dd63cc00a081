/**
 * The Scravio node as tools of n8n's AI Agent, in REAL n8n 2.40.7 (`n8n execute`), with n8n's
 * own "OpenAI Chat Model" node whose credential's Base URL points at a scripted OpenAI-compatible
 * server on loopback (scripted-openai.ts). The script plays the model: it asks for the account's
 * credits, then a filtered campaign list, then three leads of the campaign it found, then "all"
 * leads of a campaign of 150+ (Return All, capped at 100 for agents), and answers with what the
 * tools returned. The test checks what the model was shown (tool descriptions and
 * $fromAI argument schemas), that our tools ran with the model's arguments against the sandbox
 * (its request log), and that the answer, built from the tools' results, is the agent's output.
 *
 * N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE is NOT set (createN8nHome drops every N8N_* variable of
 * the calling shell): n8n 2.40.7 offers community nodes as tools without it.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import {
	executeWorkflow,
	getInstall,
	importCredentials,
	importWorkflow,
	nodeOutput,
	removeN8nHome,
	type N8nHome,
	type WorkflowJson,
} from '../../harness/n8n';
import { sandboxClient } from '../../harness/sandboxClient';
import {
	messageText,
	startScriptedOpenAi,
	type ChatRequest,
	type ScriptStep,
	type ScriptedOpenAi,
} from './scripted-openai';
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

const TOOL_TYPE = `${NODE_TYPE}Tool`;
const OPENAI_CREDENTIAL = { id: 'scripted-openai', name: 'Scripted OpenAI' };
const PROMPT =
	'How many credits do I have? Find my finished campaigns about cafés and show me 3 leads with an e-mail from the first one.';

/** The tool the agent offers under this name (n8n makes it from the node name: "Scravio Leads" → "Scravio_Leads"). */
function toolName(request: ChatRequest, name: string): string {
	const tool = request.tools?.find((candidate) => candidate.function.name === name);
	if (!tool)
		throw new Error(
			`no tool "${name}" among ${request.tools?.map((t) => t.function.name).join(', ')}`,
		);
	return tool.function.name;
}

/** The JSON objects a tool result holds (n8n sends the items' JSON as a JSON string). */
function toolResult(request: ChatRequest, index: number): Array<Record<string, unknown>> {
	const results = request.messages.filter((message) => message.role === 'tool');
	const parsed = JSON.parse(messageText(results[index])) as unknown;
	const list = Array.isArray(parsed) ? parsed : [parsed];
	return list.flatMap((entry) =>
		typeof entry === 'string'
			? (JSON.parse(entry) as Array<Record<string, unknown>>)
			: [entry as Record<string, unknown>],
	);
}

function findKey(value: unknown, key: string): unknown {
	if (!value || typeof value !== 'object') return undefined;
	if (key in (value as Record<string, unknown>)) return (value as Record<string, unknown>)[key];
	for (const child of Object.values(value as Record<string, unknown>)) {
		const found = findKey(child, key);
		if (found !== undefined) return found;
	}
	return undefined;
}

/** The model: one step per answer it has received so far. */
function script(request: ChatRequest): ScriptStep {
	const answered = request.messages.filter((message) => message.role === 'tool').length;
	if (answered === 0)
		return { toolCalls: [{ name: toolName(request, 'Scravio_Account'), arguments: {} }] };
	if (answered === 1)
		return {
			toolCalls: [
				{
					name: toolName(request, 'Scravio_Campaigns'),
					arguments: { status: 'fully_completed', search: 'cafés', limit: 5 },
				},
			],
		};
	if (answered === 2) {
		const [campaign] = toolResult(request, 1);
		return {
			toolCalls: [
				{
					name: toolName(request, 'Scravio_Leads'),
					arguments: { campaignId: campaign.id, limit: 3 },
				},
			],
		};
	}
	if (answered === 3)
		return {
			toolCalls: [
				{
					name: toolName(request, 'Scravio_All_Leads'),
					arguments: { campaignId: 'cmp_demo_hashtag' },
				},
			],
		};
	const credits = findKey(toolResult(request, 0), 'credits');
	const [campaign] = toolResult(request, 1);
	const emails = toolResult(request, 2).map((lead) => lead.email);
	const all = toolResult(request, 3).length;
	return {
		text: `You have ${String(credits)} credits. Campaign "${String(campaign.title)}" (${String(campaign.id)}): ${emails.join(', ')}. All leads asked for: ${all}.`,
	};
}

function agentWorkflow(): WorkflowJson {
	const scravio = (
		name: string,
		position: [number, number],
		parameters: Record<string, unknown>,
	) => ({
		id: name.replace(/\W/g, '-'),
		name,
		type: TOOL_TYPE,
		typeVersion: 1,
		position,
		parameters,
		credentials: { scravioApi: SANDBOX_CREDENTIAL_REF },
	});
	return {
		name: 'Scravio tools for an AI agent',
		// What the editor sets on every new workflow; with the legacy order (v0) the agent resumes
		// before its requested tool has run and sees an empty result.
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
				id: 'agent',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3.1,
				position: [300, 0],
				parameters: { promptType: 'define', text: PROMPT, options: {} },
			},
			{
				id: 'model',
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.3,
				position: [200, 250],
				parameters: {
					model: { __rl: true, mode: 'id', value: 'scripted-model' },
					responsesApiEnabled: false,
					options: {},
				},
				credentials: { openAiApi: OPENAI_CREDENTIAL },
			},
			scravio('Scravio Account', [350, 250], { resource: 'account', operation: 'get' }),
			scravio('Scravio Campaigns', [500, 250], {
				resource: 'campaign',
				operation: 'getMany',
				limit: "={{ $fromAI('limit', 'How many campaigns to return, 1 to 100', 'number') }}",
				simplify: true,
				filters: {
					status:
						"={{ $fromAI('status', 'Campaign status: pending, scraping, scraping_completed, processing_emails, fully_completed, failed or stopped', 'string') }}",
					q: "={{ $fromAI('search', 'Words to find in the campaign title or target', 'string') }}",
				},
			}),
			scravio('Scravio Leads', [650, 250], {
				resource: 'lead',
				operation: 'getMany',
				campaignId: {
					__rl: true,
					mode: 'id',
					value: "={{ $fromAI('campaignId', 'ID of the campaign, starting with cmp_', 'string') }}",
				},
				limit: "={{ $fromAI('limit', 'How many leads to return, 1 to 100', 'number') }}",
				simplify: true,
				filters: { hasEmail: true },
			}),
			// Return All, as an agent would misuse it on a campaign of 150+ leads: capped at 100.
			scravio('Scravio All Leads', [800, 250], {
				resource: 'lead',
				operation: 'getMany',
				campaignId: {
					__rl: true,
					mode: 'id',
					value: "={{ $fromAI('campaignId', 'ID of the campaign, starting with cmp_', 'string') }}",
				},
				returnAll: true,
				simplify: true,
			}),
		],
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': {
				ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
			},
			'Scravio Account': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
			'Scravio Campaigns': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
			'Scravio Leads': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
			'Scravio All Leads': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
	};
}

describe('n8n 2.x: the Scravio node as an AI Agent tool', () => {
	const install = getInstall(2);
	reportTiming(`n8n ${install.version}: AI agent with Scravio tools`);
	let sb: Sandbox;
	let model: ScriptedOpenAi;
	let home: N8nHome;

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, quiet: true });
		model = await startScriptedOpenAi(script);
		({ home } = await prepareHome(install, tarball(), sb.apiUrl));
		await importCredentials(home, [
			{
				...OPENAI_CREDENTIAL,
				type: 'openAiApi',
				data: { apiKey: 'sk-scripted-test', url: model.url },
			},
		]);
	});

	afterAll(async () => {
		if (home) await removeN8nHome(home);
		await model?.close();
		await sb?.close();
	});

	test('the agent calls our tools with the model arguments against the sandbox, and answers with their results', async () => {
		expect(home.env.N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE).toBeUndefined();
		const id = await importWorkflow(home, agentWorkflow());
		await sandboxClient(sb).clearRequests();
		const run = await executeWorkflow(home, id);

		// What the model was shown: n8n's tool names, the descriptions built from our actions, and
		// the $fromAI arguments with their descriptions and types.
		const first = model.requests[0];
		expect(messageText(first.messages.find((message) => message.role === 'user')!)).toContain(
			PROMPT,
		);
		const tools = Object.fromEntries(
			(first.tools ?? []).map((tool) => [tool.function.name, tool.function]),
		);
		expect(Object.keys(tools).sort()).toEqual([
			'Scravio_Account',
			'Scravio_All_Leads',
			'Scravio_Campaigns',
			'Scravio_Leads',
		]);
		expect(tools.Scravio_Account.description).toBe('Get the account in Scravio');
		expect(tools.Scravio_Leads.description).toBe('Get many leads in Scravio');
		expect(tools.Scravio_Campaigns.parameters?.properties).toMatchObject({
			status: { type: 'string', description: expect.stringContaining('fully_completed') },
			search: { type: 'string' },
			limit: { type: 'number' },
		});
		expect(tools.Scravio_Leads.parameters?.properties).toMatchObject({
			campaignId: { type: 'string', description: 'ID of the campaign, starting with cmp_' },
			limit: { type: 'number' },
		});
		expect(model.requests).toHaveLength(5);

		// Our tools ran with those arguments, against the sandbox.
		const log = await sandboxClient(sb).requests({ host: 'api' });
		const query = (url: string) => Object.fromEntries(new URL(url, 'http://sandbox').searchParams);
		expect(log.map((entry) => entry.operationId)).toEqual([
			'getAccount',
			'listCampaigns',
			'listCampaignLeads',
			'listCampaignLeads',
		]);
		expect(query(log[1].url)).toMatchObject({
			status: 'fully_completed',
			q: 'cafés',
			perPage: '5',
		});
		expect(log[2].path).toBe('/api/campaigns/cmp_demo_maps/leads');
		expect(query(log[2].url)).toMatchObject({ hasEmail: 'true', perPage: '3', page: '1' });
		// Return All in tool use: one page of 100, although the campaign has more.
		expect(log[3].path).toBe('/api/campaigns/cmp_demo_hashtag/leads');
		expect(query(log[3].url)).toEqual({ page: '1', perPage: '100' });
		const total = (
			await sandboxClient(sb).data<{ pagination: { totalCount: number } }>(
				'GET',
				'/campaigns/cmp_demo_hashtag/leads?perPage=1',
			)
		).pagination.totalCount;
		expect(total).toBeGreaterThan(100);

		// The answer, built by the "model" from the tools' results, is the agent's output.
		const account = await sandboxClient(sb).data<Record<string, unknown>>('GET', '/auth/me');
		const leads = await sandboxClient(sb).data<{ items: Array<{ email: string }> }>(
			'GET',
			'/campaigns/cmp_demo_maps/leads?hasEmail=true&page=1&perPage=3',
		);
		const expected = `You have ${String(findKey(account, 'credits'))} credits. Campaign "Sample: cafés in Berlin" (cmp_demo_maps): ${leads.items.map((lead) => lead.email).join(', ')}. All leads asked for: 100.`;
		const [output] = nodeOutput(run, 'AI Agent');
		expect(output.json.output).toBe(expected);
		expect(findKey(account, 'credits')).toEqual(expect.any(Number));
		expect(leads.items).toHaveLength(3);
	});
});
