/**
 * Runs nodes inside n8n's REAL execution engine, in-process, without an n8n server.
 *
 *  - `runNode` / `runWorkflow` build an n8n-workflow `Workflow` and execute it with n8n-core's
 *    `WorkflowExecute.processRunExecutionData`, exactly like n8n's own node test harness
 *    (`packages/core/nodes-testing/node-test-harness.ts` in n8n-io/n8n).
 *  - Credentials go through a real `ICredentialsHelper` subclass (`EngineCredentialsHelper`),
 *    which behaves like the CLI's `CredentialsHelper`: it applies the credential type's property
 *    defaults (and display options), resolves `={{ }}` expressions in credential data, applies the
 *    credential class's own `authenticate` (function or `generic` object) and `preAuthentication`.
 *    `httpRequestWithAuthentication` inside a node therefore sends a real request over the network.
 *  - `poll` builds n8n-core's real `PollContext` and runs it through n8n-core's
 *    `PollTriggerExecutor` (the path n8n uses at activation and on every poll tick).
 *
 * Nothing here mocks HTTP.
 *
 * @example
 *   const engine = createEngine({ nodes: [Scravio], credentialTypes: [ScravioApi] });
 *   const { outputs, error } = await engine.runNode({
 *     type: 'scravio',
 *     parameters: { resource: 'credits', operation: 'get' },
 *     credentials: { scravioApi: { apiKey: 'sk_live_x', baseUrl: sandbox.url } },
 *   });
 *   expect(outputs[0][0].json).toEqual(...);
 */
import { Container } from '@n8n/di';
import {
	BinaryDataConfig,
	BinaryDataService,
	ExecutionLifecycleHooks,
	getAdditionalKeys,
	ExecuteContext,
	PollContext,
	PollTriggerExecutor,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import {
	createEmptyRunExecutionData,
	createRunExecutionData,
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	UnexpectedError,
	Workflow,
} from 'n8n-workflow';
import type {
	ExecutionError,
	IBinaryData,
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsDecrypted,
	ICredentialsExpressionResolveValues,
	ICredentialTestRequest,
	INodeCredentialTestResult,
	ICredentialType,
	IConnections,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentials,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IRunData,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';

// n8n-core reports node errors through its ErrorReporter, which logs them with n8n's (winston)
// logger straight to stdout. Keep test output clean unless a level is asked for explicitly
// (N8N_LOG_LEVEL=debug npx jest ...). Read lazily by n8n, at the first report.
process.env.N8N_LOG_LEVEL ??= 'silent';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** Node type name of the trigger node that `runNode` puts in front of the node under test. */
export const START_NODE_TYPE = 'n8n-nodes-base.manualTrigger';
/** Name of that trigger node in the workflow `runNode` builds. */
export const START_NODE_NAME = 'Start';

type Ctor<T> = new () => T;

export interface EngineOptions {
	/** Node classes or instances. Each is registered under its `description.name`. */
	nodes: Array<INodeType | IVersionedNodeType | Ctor<INodeType | IVersionedNodeType>>;
	/** Credential classes or instances, registered under their `name`. */
	credentialTypes: Array<ICredentialType | Ctor<ICredentialType>>;
	/**
	 * Where `prepareBinaryData` puts files. Default `'memory'`: n8n-core's fallback when no
	 * storage is set up (base64 in the item, like n8n 1.x's default mode). `'filesystem'`: n8n
	 * 2.x's default, `BinaryDataService` initialised on `binaryDataPath`, files streamed to disk.
	 * n8n keeps this service once per process, so one process (test file) uses one mode.
	 */
	binaryDataMode?: 'memory' | 'filesystem';
	/** Storage folder of the `'filesystem'` mode (n8n's N8N_BINARY_DATA_STORAGE_PATH). */
	binaryDataPath?: string;
}

/** Decrypted credential data by credential type name, e.g. `{ scravioApi: { apiKey, baseUrl } }`. */
export type CredentialsByType = Record<string, ICredentialDataDecryptedObject>;

export interface RunNodeArgs {
	/** Node type: `description.name` of a registered node, optionally prefixed (`n8n-nodes-scravio.scravio`). */
	type: string;
	parameters: INodeParameters;
	credentials?: CredentialsByType;
	/** Items the Start node outputs, i.e. the input of the node under test. Default `[{ json: {} }]`. */
	items?: INodeExecutionData[];
	typeVersion?: number;
	/** Name of the node under test. Default: the node's `defaults.name`, else its display name. */
	name?: string;
	continueOnFail?: boolean;
	onError?: INode['onError'];
	/**
	 * n8n's "Retry On Fail" on the node under test: n8n-core's WorkflowExecute then runs the node
	 * again when it fails (or its first output item is an error), up to `maxTries` times in all
	 * (n8n clamps it to 2..5, default 3), `waitBetweenTries` ms apart (0..5000, default 1000).
	 */
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	/** Aborting it cancels the execution; the node sees it as `this.getExecutionCancelSignal()`. */
	signal?: AbortSignal;
	/** Execution mode. Default `'manual'`. */
	mode?: WorkflowExecuteMode;
}

export interface RunNodeResult {
	/** Items of the node under test, by output index (`outputs[1]` is the error output with `onError: 'continueErrorOutput'`). */
	outputs: INodeExecutionData[][];
	/** Error of the node under test (or of the execution), when it failed. */
	error?: ExecutionError;
	/** Run data of every node in the workflow. */
	runData: IRunData;
	/** The whole run, as the engine finished it (see `canceled`). */
	run: IRun;
	/**
	 * True when `signal` fired during the run. n8n then cancels the execution (its abort
	 * controller fires `this.getExecutionCancelSignal()`), waits for the running node to return,
	 * and finishes the run with that node's outcome: a node that rethrows the abort ends with
	 * `run.status === 'error'` and `error` set; `status` is `'canceled'` only when the node
	 * returned normally.
	 */
	canceled: boolean;
}

export interface RunWorkflowOptions {
	credentials?: CredentialsByType;
	/** Input items of the start node. Default `[{ json: {} }]`. */
	items?: INodeExecutionData[];
	/** Name of the node to start from. Default: the first trigger/start node n8n finds. */
	startNode?: string;
	signal?: AbortSignal;
	mode?: WorkflowExecuteMode;
	settings?: IWorkflowSettings;
	/** Workflow static data (mutated in place by the run). */
	staticData?: IDataObject;
}

export interface PollArgs {
	type: string;
	parameters: INodeParameters;
	credentials?: CredentialsByType;
	typeVersion?: number;
	name?: string;
	/** `'trigger'`: a poll of an active workflow. `'manual'`: the editor's "Fetch test event". Default `'trigger'`. */
	mode?: 'trigger' | 'manual';
	/** The WHOLE workflow static data (`{ 'node:<name>': {...}, global: {...} }`). Mutated in place, then returned. */
	staticData?: IDataObject;
}

export interface PollResult {
	/** Errors the poll reported with __emitError while still emitting items. */
	reportedErrors: Error[];
	/** What `poll()` returned (`null` = nothing new). */
	items: INodeExecutionData[][] | null;
	/** The workflow static data object (the one given, mutated in place). */
	staticData: IDataObject;
	/** The node's own static data (`staticData['node:<name>']`). */
	nodeStaticData: IDataObject;
}

export interface Engine {
	/** Runs Start (manual trigger emitting `items`) → the node under test. Resolves also when the node fails. */
	runNode(args: RunNodeArgs): Promise<RunNodeResult>;
	/** Runs a full workflow (nodes + connections) and returns n8n's `IRun`. */
	runWorkflow(
		workflow: { nodes: INode[]; connections: IConnections },
		opts?: RunWorkflowOptions,
	): Promise<IRun>;
	/** Calls the node's `poll()` through n8n-core's poll machinery with a real `PollContext`. */
	poll(args: PollArgs): Promise<PollResult>;
	/** The node types registry handed to `Workflow` (for advanced use). */
	readonly nodeTypes: INodeTypes;
	/** The bytes of a binary data entry of an output item, in either binary data mode. */
	readBinary(binary: IBinaryData): Promise<Buffer>;
	/**
	 * The credential's **Test** button: its `test` request run the way n8n's CLI runs it
	 * (`CredentialsTester.runRequestTest`): n8n-core's `RoutingNode` on an `ExecuteContext`, the
	 * request through `httpRequestWithAuthentication` with the decrypted data, the test's rules.
	 */
	testCredential(credentialType: string, data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult>;
}

export function createEngine(opts: EngineOptions): Engine {
	const nodeTypes = new EngineNodeTypes(
		opts.nodes.map((n) => instantiate(n)),
	);
	const credentialTypes = new EngineCredentialTypes(
		opts.credentialTypes.map((c) => instantiate(c)),
	);
	const binaryData = async () => await useBinaryDataMode(opts.binaryDataMode ?? 'memory', opts.binaryDataPath);

	const runWorkflow: Engine['runWorkflow'] = async (wf, o = {}) =>
		await execute({
			binaryData,
			nodeTypes,
			credentialTypes,
			nodes: wf.nodes,
			connections: wf.connections,
			...o,
		});

	return {
		nodeTypes,
		runWorkflow,

		async readBinary(binary) {
			return await Container.get(BinaryDataService).getAsBuffer(binary);
		},

		async testCredential(credentialType, data) {
			return await runCredentialTest(credentialTypes, credentialType, data);
		},

		async runNode(args) {
			const nodeType = nodeTypes.getByNameAndVersion(args.type, args.typeVersion);
			const name = args.name ?? defaultNodeName(nodeType);
			const node: INode = {
				id: 'node-under-test',
				name,
				type: args.type,
				typeVersion: args.typeVersion ?? defaultVersion(nodeTypes.getByName(args.type)),
				position: [200, 0],
				parameters: structuredClone(args.parameters),
				credentials: nodeCredentials(args.credentials),
			};
			if (args.continueOnFail !== undefined) node.continueOnFail = args.continueOnFail;
			if (args.onError !== undefined) node.onError = args.onError;
			if (args.retryOnFail !== undefined) node.retryOnFail = args.retryOnFail;
			if (args.maxTries !== undefined) node.maxTries = args.maxTries;
			if (args.waitBetweenTries !== undefined) node.waitBetweenTries = args.waitBetweenTries;

			const run = await execute({
				binaryData,
				nodeTypes,
				credentialTypes,
				nodes: [startNode(), node],
				connections: {
					[START_NODE_NAME]: { main: [[{ node: name, type: 'main', index: 0 }]] },
				},
				credentials: args.credentials,
				items: args.items,
				signal: args.signal,
				mode: args.mode,
			});

			const { runData } = run.data.resultData;
			const task = runData[name]?.[0];
			const outputs = (task?.data?.main ?? []).map((items) => items ?? []);
			const error = task?.error ?? run.data.resultData.error;
			return { outputs, error, runData, run, canceled: args.signal?.aborted === true };
		},

		async poll(args) {
			const nodeType = nodeTypes.getByNameAndVersion(args.type, args.typeVersion);
			if (!nodeType.poll) throw new UnexpectedError(`Node type "${args.type}" has no poll()`);
			await binaryData();
			const name = args.name ?? defaultNodeName(nodeType);
			const staticData = args.staticData ?? {};
			const node: INode = {
				id: 'poll-node',
				name,
				type: args.type,
				typeVersion: args.typeVersion ?? defaultVersion(nodeTypes.getByName(args.type)),
				position: [0, 0],
				parameters: structuredClone(args.parameters),
				credentials: nodeCredentials(args.credentials),
			};
			const workflow = new Workflow({
				id: 'engine-poll-workflow',
				name: 'Engine poll workflow',
				nodes: [node],
				connections: {},
				active: true,
				nodeTypes,
				staticData,
			});
			const mode = args.mode ?? 'trigger';
			const additionalData = createAdditionalData(
				new EngineCredentialsHelper(credentialTypes, { ...(args.credentials ?? {}) }),
				undefined,
			);

			let emitted: INodeExecutionData[][] | null = null;
			const reported: Error[] = [];
			const pollFunctions = new PollContext(
				workflow,
				workflow.getNode(name)!,
				additionalData,
				mode,
				mode === 'manual' ? 'manual' : 'activate',
				(data) => {
					emitted = data;
				},
				(error) => {
					reported.push(error);
				},
			);
			// manual = "Fetch test event" (errors are thrown); trigger = a scheduled tick (errors
			// go to __emitError, as n8n routes them to the error workflow).
			const executePoll = Container.get(PollTriggerExecutor).create(
				workflow,
				workflow.getNode(name)!,
				pollFunctions,
				() => true,
			);
			await executePoll(mode === 'manual');
			// A poll that threw reaches __emitError and emits nothing: throw it. A poll may also
			// report errors (__emitError) and emit items: both are returned.
			if (reported.length > 0 && emitted === null) throw reported[reported.length - 1];
			return {
				items: emitted,
				reportedErrors: reported,
				staticData,
				nodeStaticData: staticData[`node:${name}`] as IDataObject,
			};
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Execution
// ---------------------------------------------------------------------------------------------

interface ExecuteArgs extends RunWorkflowOptions {
	/** Sets up the engine's binary data mode before the run. */
	binaryData: () => Promise<void>;
	nodeTypes: EngineNodeTypes;
	credentialTypes: EngineCredentialTypes;
	nodes: INode[];
	connections: IConnections;
}

async function execute(args: ExecuteArgs): Promise<IRun> {
	await args.binaryData();
	const mode = args.mode ?? 'manual';
	const nodes = structuredClone(args.nodes);
	const workflow = new Workflow({
		id: 'engine-workflow',
		name: 'Engine workflow',
		nodes,
		connections: args.connections,
		active: false,
		nodeTypes: args.nodeTypes,
		settings: { executionOrder: 'v1', ...(args.settings ?? {}) },
		staticData: args.staticData,
	});

	const start = args.startNode ? workflow.getNode(args.startNode) : workflow.getStartNode();
	if (!start) throw new UnexpectedError('No start node found in the workflow');

	const workflowData = {
		id: workflow.id,
		name: workflow.name,
		active: false,
		isArchived: false,
		nodes,
		connections: args.connections,
		settings: workflow.settings,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks(mode, 'engine-execution', workflowData);
	let reported!: (run: IRun) => void;
	const done = new Promise<IRun>((resolve) => (reported = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => reported(run));

	const additionalData = createAdditionalData(
		new EngineCredentialsHelper(args.credentialTypes, { ...(args.credentials ?? {}) }),
		hooks,
	);

	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: start, data: { main: [args.items ?? [{ json: {} }]] }, source: null },
			],
		},
	});

	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	const execution = workflowExecute.processRunExecutionData(workflow);

	const { signal } = args;
	const onAbort = () => execution.cancel();
	if (signal?.aborted) onAbort();
	signal?.addEventListener('abort', onAbort, { once: true });
	try {
		// On cancel, n8n reports the run through `workflowExecuteAfter` right away (status
		// 'canceled', without the running node's outcome); the execution promise itself settles
		// once the running node has returned. We wait for the latter, so a test sees how the
		// node reacted to the abort.
		const finished = await execution;
		return finished ?? (await done);
	} finally {
		signal?.removeEventListener('abort', onAbort);
	}
}

/**
 * What n8n's CLI does for a credential type with a `test` request (n8n 2.40.7,
 * `packages/cli/src/services/credentials-tester.service.ts`, `runRequestTest`): a temporary node
 * type whose one property routes the test request, run by n8n-core's `RoutingNode` on an
 * `ExecuteContext` in mode `internal`, and the same mapping of errors and rules to a result.
 */
async function runCredentialTest(
	credentialTypes: EngineCredentialTypes,
	credentialType: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const type = credentialTypes.getByName(credentialType);
	if (!type.test) return { status: 'Error', message: 'No testing function found for this credential.' };
	const testRequest: ICredentialTestRequest = type.test;
	const credentialsHelper = new EngineCredentialsHelper(credentialTypes, { [credentialType]: data });
	// The CLI applies the credential's defaults before the test (applyDefaultsAndOverwrites).
	const additionalData = createAdditionalData(credentialsHelper, undefined);
	const withDefaults = await credentialsHelper.getDecrypted(additionalData, { id: 'test', name: 'test' }, credentialType, 'internal');
	const credentialsDecrypted: ICredentialsDecrypted = { id: 'cred-test', name: 'credential under test', type: credentialType, data: withDefaults };
	const nodeTypeCopy = {
		description: {
			displayName: 'Temp',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: 'Credential test',
			defaults: { name: 'Temp-Node' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: testRequest.request }, default: '' }],
		},
	} as unknown as INodeType;
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		credentials: { [credentialType]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: { getByName: () => nodeTypeCopy, getByNameAndVersion: () => nodeTypeCopy, getKnownTypes: () => ({}) },
	});
	const executeFunctions = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (caught) {
		const error = caught as { cause?: { response?: { status: number; statusText?: string }; code?: string }; message: string };
		if (error.cause?.response) {
			const statusCode = error.cause.response.status;
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && statusCode === rule.properties.value) return { status: 'Error', message: rule.properties.message };
			}
			if (statusCode < 199 || statusCode > 299) {
				return { status: 'Error', message: error.cause.response.statusText || `Received HTTP status code: ${statusCode}` };
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const body = response?.[0]?.[0]?.json as IDataObject | undefined;
			const value = rule.properties.key.split('.').reduce<unknown>((v, k) => (v as IDataObject | undefined)?.[k], body);
			if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** The storage folder `BinaryDataService` was initialised on in this process, if any. */
let binaryDataStoragePath: string | undefined;

/**
 * n8n 2.x sets up binary data storage at start (`BinaryDataService.init()`, mode `filesystem`
 * unless configured otherwise). Without it, n8n-core keeps binary data in memory as base64.
 */
async function useBinaryDataMode(mode: 'memory' | 'filesystem', storagePath: string | undefined): Promise<void> {
	if (mode === 'memory') {
		if (binaryDataStoragePath !== undefined) {
			throw new UnexpectedError('Binary data storage was set up in this process already: use one binary data mode per process');
		}
		return;
	}
	if (!storagePath) throw new UnexpectedError('binaryDataMode "filesystem" needs a binaryDataPath');
	if (binaryDataStoragePath === storagePath) return;
	if (binaryDataStoragePath !== undefined) {
		throw new UnexpectedError(`Binary data storage is set up on ${binaryDataStoragePath} in this process already`);
	}
	const config = Container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.localStoragePath = storagePath;
	await Container.get(BinaryDataService).init();
	binaryDataStoragePath = storagePath;
}

function createAdditionalData(
	credentialsHelper: ICredentialsHelper,
	hooks: ExecutionLifecycleHooks | undefined,
): IWorkflowExecuteAdditionalData {
	const notAvailable = (what: string) => async () => {
		throw new UnexpectedError(`${what} is not available in the test engine`);
	};
	const data: Partial<IWorkflowExecuteAdditionalData> = {
		credentialsHelper,
		hooks,
		executionId: 'engine-execution',
		workflowId: 'engine-workflow',
		userId: 'engine-user',
		currentNodeExecutionIndex: 0,
		currentNodeParameters: undefined,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		executeWorkflow: notAvailable('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: notAvailable('The task runner (Code node)'),
	};
	return data as IWorkflowExecuteAdditionalData;
}

// ---------------------------------------------------------------------------------------------
// Node types
// ---------------------------------------------------------------------------------------------

/** The Start node: a manual trigger that outputs the items the engine puts on its input. */
class StartNode implements INodeType {
	description: INodeType['description'] = {
		displayName: 'When clicking ‘Execute workflow’',
		name: START_NODE_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Start of a test run',
		defaults: { name: START_NODE_NAME },
		inputs: [],
		outputs: ['main' as never],
		properties: [],
	};

	async execute(this: import('n8n-workflow').IExecuteFunctions) {
		return [this.getInputData()];
	}
}

function startNode(): INode {
	return {
		id: 'start',
		name: START_NODE_NAME,
		type: START_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

class EngineNodeTypes implements INodeTypes {
	private readonly byName = new Map<string, INodeType | IVersionedNodeType>();

	constructor(nodes: Array<INodeType | IVersionedNodeType>) {
		this.byName.set(START_NODE_TYPE, new StartNode());
		for (const node of nodes) this.byName.set(node.description.name, node);
	}

	getByName(type: string): INodeType | IVersionedNodeType {
		const found =
			this.byName.get(type) ?? this.byName.get(type.slice(type.lastIndexOf('.') + 1));
		if (!found) throw new UnexpectedError(`Unknown node type "${type}" (not registered in the engine)`);
		return found;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries([...this.byName.keys()].map((k) => [k, {}]));
	}
}

class EngineCredentialTypes {
	private readonly byName = new Map<string, ICredentialType>();

	constructor(types: ICredentialType[]) {
		for (const t of types) this.byName.set(t.name, t);
	}

	getByName(name: string): ICredentialType {
		const found = this.byName.get(name);
		if (!found)
			throw new UnexpectedError(`Unknown credential type "${name}" (not registered in the engine)`);
		return found;
	}

	recognizes(name: string) {
		return this.byName.has(name);
	}

	getParentTypes(name: string): string[] {
		const parents = this.byName.get(name)?.extends ?? [];
		return parents.flatMap((p) => [p, ...this.getParentTypes(p)]);
	}
}

// ---------------------------------------------------------------------------------------------
// Credentials helper (what the n8n CLI's CredentialsHelper does, minus the database)
// ---------------------------------------------------------------------------------------------

const credentialMockNode: INode = {
	id: 'credential-mock',
	name: '',
	type: 'mock',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const credentialMockNodeTypes: INodeTypes = {
	getByName: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getKnownTypes: () => ({}),
};

export class EngineCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialTypes: EngineCredentialTypes,
		/** Stored (decrypted) credential data by type; `updateCredentials` writes here. */
		private readonly store: CredentialsByType,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, _nodeType: string): boolean {
		if (!this.credentialTypes.recognizes(credentialType)) return true;
		const def = this.credentialTypes.getByName(credentialType);
		if (!def.restrictToSupportedNodes) return true;
		return (def.supportedNodes ?? []).some(
			(n) => n === _nodeType || _nodeType.endsWith(`.${n}`),
		);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (typeof authenticate === 'object' && authenticate.type === 'generic') {
			if (!workflow || !node) {
				throw new UnexpectedError(
					'Workflow and node are required for declarative credential authentication',
				);
			}
			if (requestOptions.headers === undefined) requestOptions.headers = {};
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
					const k = resolveCredentialValue(key, credentials, workflow, node);
					const v = resolveCredentialValue(value as string, credentials, workflow, node);
					if (!target[outerKey]) target[outerKey] = {};
					target[outerKey][k] = v;
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirable = credentialType.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (expirable?.name === undefined) return undefined;
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;

		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials) {
			await this.updateCredentials(node.credentials[credentialType.name], typeName, {
				...(this.store[typeName] ?? {}),
				...(output as ICredentialDataDecryptedObject),
			});
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		return (output as ICredentialDataDecryptedObject) ?? undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const store = this.store;
		return {
			id: nodeCredentials.id ?? undefined,
			name: nodeCredentials.name,
			type,
			data: undefined,
			getData: async () => ({ ...(store[type] ?? {}) }),
			getDataToSave: () => ({ id: nodeCredentials.id, name: nodeCredentials.name, type, data: '' }),
			setData: async (data: ICredentialDataDecryptedObject) => {
				store[type] = { ...data };
			},
			updateData: async (toUpdate: ICredentialDataDecryptedObject, toDelete: string[] = []) => {
				const next = { ...(store[type] ?? {}), ...toUpdate };
				for (const key of toDelete) delete next[key];
				store[type] = next;
			},
		} as unknown as ICredentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.store[type];
		if (stored === undefined) {
			throw new UnexpectedError(`No credentials of type "${type}" were given to the test engine`);
		}
		if (raw === true) return { ...stored };

		// Defaults of the credential's properties (display options apply, as in n8n).
		const properties = this.getCredentialsProperties(type);
		let data = NodeHelpers.getNodeParameters(
			properties,
			{ ...stored } as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (stored.oauthTokenData !== undefined) data.oauthTokenData = stored.oauthTokenData;

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			data = expressionResolveValues.workflow.expression.getParameterValue(
				data as INodeParameters,
				expressionResolveValues.runExecutionData,
				expressionResolveValues.runIndex,
				expressionResolveValues.itemIndex,
				expressionResolveValues.node.name,
				expressionResolveValues.connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				data,
			) as ICredentialDataDecryptedObject;
		} else {
			const workflow = new Workflow({
				nodes: [credentialMockNode],
				connections: {},
				active: false,
				nodeTypes: credentialMockNodeTypes,
			});
			data = workflow.expression.getComplexParameterValue(
				credentialMockNode,
				data as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				data,
			) as ICredentialDataDecryptedObject;
		}
		return data;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = { ...data };
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = { ...(this.store[type] ?? {}), oauthTokenData: data.oauthTokenData };
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const def = this.credentialTypes.getByName(type);
		if (def.extends === undefined) return def.properties;
		const combined: INodeProperties[] = [];
		for (const parent of def.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, def.properties);
		return combined;
	}
}

function resolveCredentialValue(
	value: string,
	credentials: ICredentialDataDecryptedObject,
	workflow: Workflow,
	node: INode,
): string {
	if (!isExpression(value)) return value;
	const resolved = workflow.expression.getSimpleParameterValue(
		node,
		value,
		'internal',
		{ $credentials: credentials },
		undefined,
		'',
	);
	return resolved ? String(resolved) : '';
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function instantiate<T>(x: T | Ctor<T>): T {
	return typeof x === 'function' ? new (x as Ctor<T>)() : x;
}

function defaultVersion(type: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in type) return type.currentVersion;
	const v = type.description.defaultVersion ?? type.description.version;
	return Array.isArray(v) ? Math.max(...v) : v;
}

function defaultNodeName(type: INodeType): string {
	return type.description.defaults?.name ?? type.description.displayName;
}

function nodeCredentials(credentials?: CredentialsByType): INodeCredentials | undefined {
	if (!credentials) return undefined;
	return Object.fromEntries(
		Object.keys(credentials).map((type, i) => [type, { id: `cred-${i + 1}`, name: type }]),
	);
}
