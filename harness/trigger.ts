/**
 * The Scravio Trigger in an active workflow, polled through n8n's real poll machinery
 * (./engine: n8n-core's PollContext and PollTriggerExecutor), keeping the workflow's static
 * data between polls as n8n does. Used by the trigger tests and bench/trigger.ts.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { ScravioApi } from '../credentials/ScravioApi.credentials';
import { ScravioTrigger } from '../nodes/ScravioTrigger/ScravioTrigger.node';
import { PRESETS } from '../sandbox';
import { createEngine, type Engine } from './engine';
import type { SandboxUrls } from './sandboxClient';

export const TRIGGER_TYPE = 'scravioTrigger';
export const NODE_NAME = 'Scravio Trigger';

let triggerClass: typeof ScravioTrigger = ScravioTrigger;

/**
 * For scripts run with tsx, whose resolver picks `ScravioTrigger.node.json` (the codex file) for
 * the import `ScravioTrigger.node`: they load the class by its full `.ts` path and hand it here.
 */
export function useTriggerClass(cls: typeof ScravioTrigger): void {
	triggerClass = cls;
}

export function newEngine(): Engine {
	return createEngine({ nodes: [triggerClass], credentialTypes: [ScravioApi] });
}

/** The sandbox credential of the demo account (account-scoped key) in a workspace. */
export function credentialsFor(
	sandbox: Pick<SandboxUrls, 'apiUrl'>,
	workspaceId: string = PRESETS.workspaces.main,
) {
	return {
		scravioApi: {
			authentication: 'apiKey',
			apiKey: PRESETS.apiKeys.account,
			baseUrl: sandbox.apiUrl,
			workspaceId,
		},
	};
}

/** A Scravio Trigger node in an active workflow: same parameters, its own static data. */
export class TriggerUnderTest {
	engine: Engine = newEngine();
	/** The workflow's whole static data, as n8n keeps it between polls. */
	staticData: IDataObject = {};
	/** Errors the last poll reported (__emitError) while emitting items. */
	reported: Error[] = [];

	constructor(
		private readonly sandbox: Pick<SandboxUrls, 'apiUrl'>,
		readonly parameters: INodeParameters,
		private readonly workspaceId: string = PRESETS.workspaces.main,
	) {}

	/** The raw result of one poll (throws what the poll throws). */
	async pollRaw(mode: 'trigger' | 'manual' = 'trigger'): Promise<INodeExecutionData[] | null> {
		const result = await this.engine.poll({
			type: TRIGGER_TYPE,
			name: NODE_NAME,
			parameters: this.parameters,
			credentials: credentialsFor(this.sandbox, this.workspaceId),
			mode,
			staticData: this.staticData,
		});
		this.reported = result.reportedErrors;
		return result.items ? result.items[0] : null;
	}

	/** Polls and returns the items emitted ([] for "nothing new"). */
	async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<INodeExecutionData[]> {
		return (await this.pollRaw(mode)) ?? [];
	}

	/** n8n restarted: a new engine, and the static data as it was stored (JSON). */
	restart(): void {
		this.engine = newEngine();
		this.staticData = JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
	}

	/** The node's own static data (where the trigger keeps its state). */
	get nodeState(): IDataObject | undefined {
		return this.staticData[`node:${NODE_NAME}`] as IDataObject | undefined;
	}
}
