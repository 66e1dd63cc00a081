/** One run of a workflow through n8n-core's `WorkflowExecute`, and what every run needs. */
import { Container } from '@n8n/di';
import {
	BinaryDataConfig,
	BinaryDataService,
	ExecutionLifecycleHooks,
	WorkflowExecute,
} from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	UnexpectedError,
	Workflow,
} from 'n8n-workflow';
import type {
	IConnections,
	INode,
	IRun,
	IRunExecutionData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { EngineCredentialsHelper, type EngineCredentialTypes } from './credentials';
import type { EngineNodeTypes } from './nodeTypes';
import type { RunWorkflowOptions } from './types';

export interface ExecuteArgs extends RunWorkflowOptions {
	/** Sets up the engine's binary data mode before the run. */
	binaryData: () => Promise<void>;
	nodeTypes: EngineNodeTypes;
	credentialTypes: EngineCredentialTypes;
	nodes: INode[];
	connections: IConnections;
}

export async function execute(args: ExecuteArgs): Promise<IRun> {
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

/** The storage folder `BinaryDataService` was initialised on in this process, if any. */
let binaryDataStoragePath: string | undefined;

/**
 * n8n 2.x sets up binary data storage at start (`BinaryDataService.init()`, mode `filesystem`
 * unless configured otherwise). Without it, n8n-core keeps binary data in memory as base64.
 */
export async function useBinaryDataMode(
	mode: 'memory' | 'filesystem',
	storagePath: string | undefined,
): Promise<void> {
	if (mode === 'memory') {
		if (binaryDataStoragePath !== undefined) {
			throw new UnexpectedError(
				'Binary data storage was set up in this process already: use one binary data mode per process',
			);
		}
		return;
	}
	if (!storagePath) throw new UnexpectedError('binaryDataMode "filesystem" needs a binaryDataPath');
	if (binaryDataStoragePath === storagePath) return;
	if (binaryDataStoragePath !== undefined) {
		throw new UnexpectedError(
			`Binary data storage is set up on ${binaryDataStoragePath} in this process already`,
		);
	}
	const config = Container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.localStoragePath = storagePath;
	await Container.get(BinaryDataService).init();
	binaryDataStoragePath = storagePath;
}

export function createAdditionalData(
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
