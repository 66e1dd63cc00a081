/**
 * Proves harness/engine/ (the engine harness): nodes run in n8n's real engine, credentials are applied by the
 * credential classes themselves, requests really go over the network, errors follow n8n's
 * continueOnFail / error-output rules, poll static data persists, and aborts reach the node.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	NodeApiError,
	NodeConnectionTypes,
	sleep,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { ScravioApi } from '../../credentials/ScravioApi.credentials';
import { createEngine, START_NODE_NAME } from '../../harness/engine';

// ---------------------------------------------------------------------------------------------
// A loopback server that answers with what it saw.
// ---------------------------------------------------------------------------------------------

interface Seen {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

let server: http.Server;
let baseUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
	server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c: Buffer) => (body += c.toString()));
		req.on('end', () => {
			const entry = { method: req.method!, url: req.url!, headers: req.headers, body };
			seen.push(entry);
			if (req.url?.startsWith('/fail')) {
				res.writeHead(422, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { code: 'invalid_input', message: 'name is required' } }));
				return;
			}
			if (req.url?.startsWith('/token')) {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ token: 'session-from-server' }));
				return;
			}
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ seen: entry }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
	seen.length = 0;
});

// ---------------------------------------------------------------------------------------------
// Throwaway credential and node classes.
// ---------------------------------------------------------------------------------------------

/** Function-style authenticate, like credentials/ScravioApi.credentials.ts. */
class TestCred implements ICredentialType {
	name = 'testCred';
	displayName = 'Test Cred';
	properties: ICredentialType['properties'] = [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', default: '' },
		{ displayName: 'Region', name: 'region', type: 'string', default: 'eu-1' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: 'http://invalid.example' },
	];
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...(requestOptions.headers ?? {}),
				'X-API-Key': credentials.apiKey as string,
				'X-Region': credentials.region as string,
			},
		};
	}
}

/** Generic (declarative) authenticate with expressions, plus an expirable preAuthentication token. */
class GenericCred implements ICredentialType {
	name = 'genericCred';
	displayName = 'Generic Cred';
	properties: ICredentialType['properties'] = [
		{ displayName: 'Token', name: 'token', type: 'string', default: '' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{
			displayName: 'Session',
			name: 'session',
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
	];
	async preAuthentication(
		this: import('n8n-workflow').IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	) {
		const res = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${credentials.baseUrl as string}/token`,
			json: true,
		})) as { token: string };
		return { session: res.token };
	}
	authenticate = {
		type: 'generic' as const,
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.token}}',
				'X-Session': '={{$credentials.session}}',
			},
			qs: { plain: 'literal' },
		},
	};
}

const echoDescription = (name: string, credential: string): INodeTypeDescription => ({
	displayName: name,
	name,
	group: ['transform'],
	version: 1,
	description: 'test node',
	defaults: { name },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: credential, required: true }],
	properties: [{ displayName: 'Path', name: 'path', type: 'string', default: '/echo' }],
});

/** Calls the server through httpRequestWithAuthentication and returns what the server saw. */
class EchoNode implements INodeType {
	description = echoDescription('echo', 'testCred');
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		const creds = await this.getCredentials('testCred');
		for (let i = 0; i < this.getInputData().length; i++) {
			const res = (await this.helpers.httpRequestWithAuthentication.call(this, 'testCred', {
				method: 'POST',
				url: `${creds.baseUrl as string}${this.getNodeParameter('path', i) as string}`,
				body: { item: i, input: this.getInputData()[i].json },
				json: true,
			})) as IDataObject;
			out.push({ json: res, pairedItem: { item: i } });
		}
		return [out];
	}
}

class GenericEchoNode implements INodeType {
	description = echoDescription('genericEcho', 'genericCred');
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const creds = await this.getCredentials('genericCred');
		const res = (await this.helpers.httpRequestWithAuthentication.call(this, 'genericCred', {
			url: `${creds.baseUrl as string}/echo`,
			json: true,
		})) as IDataObject;
		return [[{ json: res, pairedItem: { item: 0 } }]];
	}
}

/** Fails for items whose json.fail is true, with a NodeApiError from a real 422 response. */
class FailingNode implements INodeType {
	description = echoDescription('failing', 'testCred');
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const creds = await this.getCredentials('testCred');
		const ok: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				if (items[i].json.fail !== true) {
					ok.push({ json: { ok: i }, pairedItem: { item: i } });
					continue;
				}
				try {
					await this.helpers.httpRequestWithAuthentication.call(this, 'testCred', {
						url: `${creds.baseUrl as string}/fail`,
						json: true,
					});
				} catch (error) {
					throw new NodeApiError(this.getNode(), error as never, { itemIndex: i });
				}
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				// One output, as real nodes do: with onError 'continueErrorOutput' n8n itself moves
				// the items carrying json.error to the error output (output 1).
				ok.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
			}
		}
		return [ok];
	}
}

class SlowNode implements INodeType {
	description: INodeTypeDescription = {
		...echoDescription('slow', 'testCred'),
		credentials: [],
	};
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const signal = this.getExecutionCancelSignal();
		slowNodeSignal = signal;
		await sleep(10_000, signal); // rejects with the signal's reason once aborted
		return [[{ json: { slept: true }, pairedItem: { item: 0 } }]];
	}
}
let slowNodeSignal: AbortSignal | undefined;

/** Waits for the abort (up to 10 s) and then returns normally. */
class PatientNode implements INodeType {
	description: INodeTypeDescription = {
		...echoDescription('patient', 'testCred'),
		credentials: [],
	};
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const signal = this.getExecutionCancelSignal();
		const sawAbort = await sleep(10_000, signal).then(
			() => false,
			() => signal?.aborted === true,
		);
		return [[{ json: { sawAbort }, pairedItem: { item: 0 } }]];
	}
}

class PollNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Poller',
		name: 'poller',
		group: ['trigger'],
		version: 1,
		description: 'test poller',
		defaults: { name: 'Poller' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'testCred', required: true }],
		properties: [{ displayName: 'Label', name: 'label', type: 'string', default: '' }],
	};
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const state = this.getWorkflowStaticData('node');
		const creds = await this.getCredentials('testCred');
		const res = (await this.helpers.httpRequestWithAuthentication.call(this, 'testCred', {
			url: `${creds.baseUrl as string}/poll?since=${(state.lastSeen as string) ?? 'never'}`,
			json: true,
		})) as { seen: Seen };
		const previous = state.lastSeen;
		state.lastSeen = `tick-${((state.count as number) ?? 0) + 1}`;
		state.count = ((state.count as number) ?? 0) + 1;
		if (this.getMode() === 'manual' || previous !== undefined) {
			return [
				[
					{
						json: {
							label: this.getNodeParameter('label') as string,
							previous: (previous as string) ?? null,
							mode: this.getMode(),
							activation: this.getActivationMode(),
							url: res.seen.url,
							apiKey: res.seen.headers['x-api-key'] as string,
						},
					},
				],
			];
		}
		return null;
	}
}

const engine = createEngine({
	nodes: [EchoNode, GenericEchoNode, FailingNode, SlowNode, PatientNode, PollNode],
	credentialTypes: [TestCred, new GenericCred()],
});

// ---------------------------------------------------------------------------------------------

describe('engine.runNode', () => {
	it('runs the node in the real engine and sends the request with the credential class auth', async () => {
		const started = Date.now();
		const { outputs, error, runData } = await engine.runNode({
			type: 'n8n-nodes-scravio.echo',
			parameters: { path: '/things?x=1' },
			credentials: { testCred: { apiKey: 'sk_live_abc', baseUrl } },
			items: [{ json: { a: 1 } }, { json: { a: 2 } }],
		});
		const ms = Date.now() - started;

		expect(error).toBeUndefined();
		expect(Object.keys(runData).sort()).toEqual([START_NODE_NAME, 'echo'].sort());
		expect(outputs).toHaveLength(1);
		expect(outputs[0]).toHaveLength(2);
		// the request really went over the network to our server
		expect(seen).toHaveLength(2);
		const first = outputs[0][0].json.seen as unknown as Seen;
		expect(first.method).toBe('POST');
		expect(first.url).toBe('/things?x=1');
		expect(first.headers['x-api-key']).toBe('sk_live_abc');
		// a default of the credential type was applied (region not given)
		expect(first.headers['x-region']).toBe('eu-1');
		expect(JSON.parse(first.body)).toEqual({ item: 0, input: { a: 1 } });
		expect(JSON.parse((outputs[0][1].json.seen as unknown as Seen).body)).toEqual({
			item: 1,
			input: { a: 2 },
		});
		expect(outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		console.log(`runNode (2 items, 2 HTTP calls) took ${ms} ms`);
	});

	it('resolves expressions in node parameters against the input items', async () => {
		const { outputs, error } = await engine.runNode({
			type: 'echo',
			parameters: { path: '=/items/{{ $json.id }}' },
			credentials: { testCred: { apiKey: 'k', baseUrl } },
			items: [{ json: { id: 'abc' } }],
		});
		expect(error).toBeUndefined();
		expect((outputs[0][0].json.seen as unknown as Seen).url).toBe('/items/abc');
	});

	it('applies a generic authenticate object (expressions on $credentials) and preAuthentication', async () => {
		const { outputs, error } = await engine.runNode({
			type: 'genericEcho',
			parameters: {},
			credentials: { genericCred: { token: 'tok-123', baseUrl } },
		});
		expect(error).toBeUndefined();
		expect(seen.map((s) => s.url)).toEqual(['/token', '/echo?plain=literal']);
		const echoed = outputs[0][0].json.seen as unknown as Seen;
		expect(echoed.headers.authorization).toBe('Bearer tok-123');
		expect(echoed.headers['x-session']).toBe('session-from-server');
	});

	it('reports a NodeApiError as the run error when the node does not continue on fail', async () => {
		const { outputs, error, runData } = await engine.runNode({
			type: 'failing',
			parameters: {},
			credentials: { testCred: { apiKey: 'k', baseUrl } },
			items: [{ json: { fail: true } }],
		});
		expect(outputs).toEqual([]);
		expect(error).toBeDefined();
		expect(error!.name).toBe('NodeApiError');
		expect((error as NodeApiError).httpCode).toBe('422');
		expect(runData.failing[0].executionStatus).toBe('error');
		expect(seen[0].headers['x-api-key']).toBe('k');
	});

	it('continueOnFail: the error becomes an item with pairedItem on the main output', async () => {
		const { outputs, error } = await engine.runNode({
			type: 'failing',
			parameters: {},
			credentials: { testCred: { apiKey: 'k', baseUrl } },
			items: [{ json: {} }, { json: { fail: true } }],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(outputs).toHaveLength(1);
		expect(outputs[0]).toHaveLength(2);
		expect(outputs[0][0]).toMatchObject({ json: { ok: 0 }, pairedItem: { item: 0 } });
		expect(outputs[0][1].pairedItem).toEqual({ item: 1 });
		expect(String(outputs[0][1].json.error)).toMatch(
			/422|name is required|could not be processed/i,
		);
	});

	it("onError 'continueErrorOutput': failed items go to output 1 with pairedItem", async () => {
		const { outputs, error } = await engine.runNode({
			type: 'failing',
			parameters: {},
			credentials: { testCred: { apiKey: 'k', baseUrl } },
			items: [{ json: { fail: true } }, { json: {} }],
			onError: 'continueErrorOutput',
		});
		expect(error).toBeUndefined();
		expect(outputs).toHaveLength(2);
		expect(outputs[0]).toEqual([
			expect.objectContaining({ json: { ok: 1 }, pairedItem: { item: 1 } }),
		]);
		expect(outputs[1]).toHaveLength(1);
		expect(outputs[1][0].pairedItem).toEqual({ item: 0 });
		expect(outputs[1][0].json.error).toBeDefined();
	});

	it('passes the AbortSignal to this.getExecutionCancelSignal()', async () => {
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 150);
		const started = Date.now();
		const { outputs, error, run, canceled } = await engine.runNode({
			type: 'slow',
			parameters: {},
			signal: controller.signal,
		});
		const ms = Date.now() - started;
		// the node saw the abort: sleep() rejected long before its 10 s
		expect(ms).toBeLessThan(3000);
		expect(slowNodeSignal?.aborted).toBe(true);
		expect(canceled).toBe(true);
		expect(outputs).toEqual([]);
		// it rethrew the rejection, so the run ends as that node's error, like in n8n
		expect(run.status).toBe('error');
		expect(run.data.resultData.runData.slow[0].executionStatus).toBe('error');
		expect(error).toBeDefined();
	});

	it('a node that returns after the abort: the execution ends as canceled', async () => {
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 100);
		const { run, error, canceled } = await engine
			.runWorkflow(
				{
					nodes: [
						{
							id: '1',
							name: 'Start',
							type: 'n8n-nodes-base.manualTrigger',
							typeVersion: 1,
							position: [0, 0],
							parameters: {},
						},
						{
							id: '2',
							name: 'Patient',
							type: 'patient',
							typeVersion: 1,
							position: [200, 0],
							parameters: {},
						},
						{
							id: '3',
							name: 'Never',
							type: 'echo',
							typeVersion: 1,
							position: [400, 0],
							parameters: {},
							credentials: { testCred: { id: '1', name: 'c' } },
						},
					],
					connections: {
						Start: { main: [[{ node: 'Patient', type: 'main', index: 0 }]] },
						Patient: { main: [[{ node: 'Never', type: 'main', index: 0 }]] },
					},
				},
				{ signal: controller.signal, credentials: { testCred: { apiKey: 'k', baseUrl } } },
			)
			.then((r) => ({
				run: r,
				error: r.data.resultData.error,
				canceled: controller.signal.aborted,
			}));
		expect(canceled).toBe(true);
		expect(run.status).toBe('canceled');
		expect(error?.name).toBe('ManualExecutionCancelledError');
		expect(run.data.resultData.runData.Patient[0].data?.main[0]?.[0].json).toEqual({
			sawAbort: true,
		});
		expect(run.data.resultData.runData.Never).toBeUndefined();
		expect(seen).toHaveLength(0);
	});

	it('fails with a clear message when the credential is missing', async () => {
		const { error } = await engine.runNode({ type: 'echo', parameters: {} });
		expect(error?.message).toMatch(/credential/i);
		expect(seen).toHaveLength(0);
	});
});

describe('with the real ScravioApi credential class', () => {
	class ScravioEcho implements INodeType {
		description = echoDescription('scravioEcho', 'scravioApi');
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const creds = await this.getCredentials('scravioApi');
			const res = (await this.helpers.httpRequestWithAuthentication.call(this, 'scravioApi', {
				url: `${creds.baseUrl as string}/auth/me`,
				json: true,
			})) as IDataObject;
			return [[{ json: { ...res, creds }, pairedItem: { item: 0 } }]];
		}
	}
	const scravio = createEngine({ nodes: [ScravioEcho], credentialTypes: [ScravioApi] });

	it('API key: X-API-Key only; fields hidden by display options are dropped, as in n8n', async () => {
		const { outputs, error } = await scravio.runNode({
			type: 'scravioEcho',
			parameters: {},
			credentials: { scravioApi: { apiKey: 'sk_live_1', accessToken: 'stale', baseUrl } },
		});
		expect(error).toBeUndefined();
		const seenReq = outputs[0][0].json.seen as unknown as Seen;
		expect(seenReq.headers['x-api-key']).toBe('sk_live_1');
		expect(seenReq.headers.authorization).toBeUndefined();
		expect(outputs[0][0].json.creds).toEqual({
			authentication: 'apiKey',
			apiKey: 'sk_live_1',
			workspaceId: '',
			baseUrl,
		});
	});

	it('access token: Authorization: Bearer', async () => {
		const { outputs } = await scravio.runNode({
			type: 'scravioEcho',
			parameters: {},
			credentials: { scravioApi: { authentication: 'accessToken', accessToken: 'at_9', baseUrl } },
		});
		const seenReq = outputs[0][0].json.seen as unknown as Seen;
		expect(seenReq.headers.authorization).toBe('Bearer at_9');
		expect(seenReq.headers['x-api-key']).toBeUndefined();
	});
});

describe('engine, repeated runs', () => {
	// No wall-clock limit here (performance is measured in bench/, as ratios in one process).
	it('20 runNode calls in a row each succeed and send their one HTTP request', async () => {
		const n = 20;
		const started = Date.now();
		for (let i = 0; i < n; i++) {
			const { error } = await engine.runNode({
				type: 'echo',
				parameters: {},
				credentials: { testCred: { apiKey: 'k', baseUrl } },
			});
			expect(error).toBeUndefined();
		}
		const perCall = (Date.now() - started) / n;
		console.log(`runNode, warm, 1 item + 1 HTTP call: ${perCall.toFixed(1)} ms per call`);
		expect(seen).toHaveLength(n);
	});
});

describe('engine.runWorkflow', () => {
	it('runs a multi-node workflow and returns the run data of every node', async () => {
		const run = await engine.runWorkflow(
			{
				nodes: [
					{
						id: '1',
						name: 'Start',
						type: 'n8n-nodes-base.manualTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
					},
					{
						id: '2',
						name: 'First',
						type: 'echo',
						typeVersion: 1,
						position: [200, 0],
						parameters: { path: '/first' },
						credentials: { testCred: { id: '1', name: 'c' } },
					},
					{
						id: '3',
						name: 'Second',
						type: 'echo',
						typeVersion: 1,
						position: [400, 0],
						parameters: { path: '=/second/{{ $json.seen.url.length }}' },
						credentials: { testCred: { id: '1', name: 'c' } },
					},
				],
				connections: {
					Start: { main: [[{ node: 'First', type: 'main', index: 0 }]] },
					First: { main: [[{ node: 'Second', type: 'main', index: 0 }]] },
				},
			},
			{ credentials: { testCred: { apiKey: 'wf-key', baseUrl } } },
		);
		expect(run.status).toBe('success');
		expect(Object.keys(run.data.resultData.runData)).toEqual(['Start', 'First', 'Second']);
		expect(seen.map((s) => s.url)).toEqual(['/first', '/second/6']);
		expect(seen.every((s) => s.headers['x-api-key'] === 'wf-key')).toBe(true);
	});
});

describe('engine.poll', () => {
	it('persists node static data between two trigger-mode polls', async () => {
		const staticData: IDataObject = {};
		const creds = { testCred: { apiKey: 'poll-key', baseUrl } };

		const first = await engine.poll({
			type: 'poller',
			parameters: { label: 'L' },
			credentials: creds,
			staticData,
		});
		expect(first.items).toBeNull();
		expect(first.staticData).toBe(staticData);
		expect(staticData['node:Poller']).toEqual({ lastSeen: 'tick-1', count: 1 });

		const second = await engine.poll({
			type: 'poller',
			parameters: { label: 'L' },
			credentials: creds,
			staticData,
		});
		expect(second.items).toEqual([
			[
				{
					json: {
						label: 'L',
						previous: 'tick-1',
						mode: 'trigger',
						activation: 'activate',
						url: '/poll?since=tick-1',
						apiKey: 'poll-key',
					},
				},
			],
		]);
		expect(second.nodeStaticData).toEqual({ lastSeen: 'tick-2', count: 2 });
		expect(JSON.parse(JSON.stringify(staticData))).toEqual({
			'node:Poller': { lastSeen: 'tick-2', count: 2 },
		});
		expect(seen.map((s) => s.url)).toEqual(['/poll?since=never', '/poll?since=tick-1']);
	});

	it('manual mode returns items on the first poll', async () => {
		const { items } = await engine.poll({
			type: 'poller',
			parameters: { label: 'M' },
			credentials: { testCred: { apiKey: 'k', baseUrl } },
			mode: 'manual',
		});
		expect(items?.[0][0].json).toMatchObject({
			label: 'M',
			previous: null,
			mode: 'manual',
			activation: 'manual',
		});
	});

	it('rethrows poll errors', async () => {
		await expect(
			engine.poll({
				type: 'poller',
				parameters: {},
				credentials: { testCred: { apiKey: 'k', baseUrl: 'http://127.0.0.1:1' } },
			}),
		).rejects.toMatchObject({
			name: 'NodeApiError',
			message: expect.stringMatching(/refused|ECONNREFUSED/i),
		});
	});
});
