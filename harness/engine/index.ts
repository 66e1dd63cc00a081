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
 * Modules: ./types (the public types), ./nodeTypes (the registry and the Start node),
 * ./credentials (the credentials helper), ./execute (one WorkflowExecute run, binary data mode,
 * additional data), ./credentialTest (the credential's Test button).
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
import { BinaryDataService, PollContext, PollTriggerExecutor } from 'n8n-core';
import { UnexpectedError, Workflow } from 'n8n-workflow';
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { runCredentialTest } from './credentialTest';
import { EngineCredentialsHelper, EngineCredentialTypes } from './credentials';
import { createAdditionalData, execute, useBinaryDataMode } from './execute';
import {
	defaultNodeName,
	defaultVersion,
	EngineNodeTypes,
	instantiate,
	nodeCredentials,
	START_NODE_NAME,
	startNode,
} from './nodeTypes';
import type { Engine, EngineOptions } from './types';

export { EngineCredentialsHelper } from './credentials';
export { START_NODE_NAME, START_NODE_TYPE } from './nodeTypes';
export type {
	CredentialsByType,
	Engine,
	EngineOptions,
	PollArgs,
	PollResult,
	RunNodeArgs,
	RunNodeResult,
	RunWorkflowOptions,
} from './types';

// n8n-core reports node errors through its ErrorReporter, which logs them with n8n's (winston)
// logger straight to stdout. Keep test output clean unless a level is asked for explicitly
// (N8N_LOG_LEVEL=debug npx jest ...). Read lazily by n8n, at the first report.
process.env.N8N_LOG_LEVEL ??= 'silent';

export function createEngine(opts: EngineOptions): Engine {
	const nodeTypes = new EngineNodeTypes(opts.nodes.map((n) => instantiate(n)));
	const credentialTypes = new EngineCredentialTypes(
		opts.credentialTypes.map((c) => instantiate(c)),
	);
	const binaryData = async () =>
		await useBinaryDataMode(opts.binaryDataMode ?? 'memory', opts.binaryDataPath);

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
