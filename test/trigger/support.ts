/**
 * Shared pieces of the trigger tests: a sandbox with a frozen clock (time moves only when a test
 * advances it), small clients for its API and admin routes, and `TriggerUnderTest`, which polls
 * the Scravio Trigger through n8n's real poll machinery (test/helpers/engine.ts) and keeps the
 * workflow's static data between polls like an active workflow does.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { ScravioApi } from '../../credentials/ScravioApi.credentials';
import { ScravioTrigger } from '../../nodes/ScravioTrigger/ScravioTrigger.node';
import { PRESETS, startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';
import { createEngine, type Engine } from '../../harness/engine';

export { PRESETS };
export const TRIGGER_TYPE = 'scravioTrigger';
export const NODE_NAME = 'Scravio Trigger';

export async function startFrozenSandbox(options: Partial<SandboxOptions> = {}): Promise<Sandbox> {
	return await startSandbox({ port: 0, quiet: true, clockSpeed: 0, enforceRateLimits: false, ...options });
}

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

export function credentialsFor(sandbox: Sandbox, workspaceId: string = PRESETS.workspaces.main) {
	return {
		scravioApi: { authentication: 'apiKey', apiKey: PRESETS.apiKeys.account, baseUrl: sandbox.apiUrl, workspaceId },
	};
}

/** Calls the sandbox API as the demo account (account-scoped key) in a workspace. */
export async function api<T = IDataObject>(
	sandbox: Sandbox,
	method: string,
	path: string,
	body?: unknown,
	workspaceId: string = PRESETS.workspaces.main,
): Promise<T> {
	const response = await fetch(`${sandbox.apiUrl}${path}`, {
		method,
		headers: { 'X-API-Key': PRESETS.apiKeys.account, 'X-Workspace-Id': workspaceId, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = (await response.json()) as T;
	if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
	return json;
}

export async function admin<T = IDataObject>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<T> {
	const response = await fetch(`${sandbox.adminUrl}${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = (await response.json()) as T;
	if (response.status >= 300) throw new Error(`admin ${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
	return json;
}

export async function allowManyRunningCampaigns(sandbox: Sandbox, limit = 100_000): Promise<void> {
	await admin(sandbox, 'PATCH', `/accounts/${PRESETS.accounts.demo.id}`, { concurrentCampaignLimit: limit });
}

let campaignCounter = 0;

/** Launches a campaign; `targetEmails` sets how long it runs (10 emails: ~50 s of sandbox time). */
export async function createCampaign(
	sandbox: Sandbox,
	options: { type?: string; inputs?: IDataObject; targetEmails?: number; workspaceId?: string; title?: string } = {},
): Promise<string> {
	campaignCounter++;
	const body = {
		type: options.type ?? 'INSTAGRAM_HASHTAG',
		inputs: options.inputs ?? { hashtag: `trigger${campaignCounter}` },
		targetEmails: options.targetEmails ?? 10,
		...(options.title ? { title: options.title } : {}),
	};
	const { campaign } = await api<{ campaign: { id: string } }>(sandbox, 'POST', '/campaigns', body, options.workspaceId);
	return campaign.id;
}

export async function endCampaign(sandbox: Sandbox, id: string, status: 'fully_completed' | 'failed' | 'stopped'): Promise<void> {
	await admin(sandbox, 'POST', `/campaigns/${id}/outcome`, { status });
}

let exportCounter = 0;

/** Creates a distinct export of a campaign (a new date range each time, so never "the same export"). */
export async function createExport(sandbox: Sandbox, campaignId: string, extra: IDataObject = {}): Promise<string> {
	exportCounter++;
	const day = new Date(Date.UTC(2020, 0, 1) + exportCounter * 86_400_000).toISOString().slice(0, 10);
	const { data } = await api<{ data: { exportId: string } }>(sandbox, 'POST', '/list-exports', {
		campaignId,
		dateRange: { from: day },
		...extra,
	});
	return data.exportId;
}

let jobCounter = 0;

export async function createValidationJob(sandbox: Sandbox, emails = 3): Promise<string> {
	jobCounter++;
	const list = Array.from({ length: emails }, (_, i) => `person${jobCounter}.${i}@example.com`);
	const { data } = await api<{ data: { jobId: string } }>(sandbox, 'POST', '/validation-jobs/text', { emails: list });
	return data.jobId;
}

export async function advance(sandbox: Sandbox, ms: number): Promise<void> {
	await admin(sandbox, 'POST', '/clock/advance', { ms });
}

export interface LoggedRequest {
	method: string;
	path: string;
	url: string;
	status: number | null;
	apiKey: 'present' | 'absent';
	authorization: string;
	host: 'api' | 'storage';
	operationId: string | null;
	/** The X-Workspace-Id header the request carried, null without one. */
	workspaceId: string | null;
}

export async function requestLog(sandbox: Sandbox): Promise<LoggedRequest[]> {
	return (await admin<{ requests: LoggedRequest[] }>(sandbox, 'GET', '/requests')).requests;
}

export async function clearRequestLog(sandbox: Sandbox): Promise<void> {
	await admin(sandbox, 'DELETE', '/requests');
}

export async function addFault(sandbox: Sandbox, spec: IDataObject): Promise<void> {
	await admin(sandbox, 'POST', '/faults', spec);
}

export async function clearFaults(sandbox: Sandbox): Promise<void> {
	await admin(sandbox, 'DELETE', '/faults');
}

/** A Scravio Trigger node in an active workflow: same parameters, its own static data. */
export class TriggerUnderTest {
	engine: Engine = newEngine();
	/** The workflow's whole static data, as n8n keeps it between polls. */
	staticData: IDataObject = {};
	/** Errors the last poll reported (__emitError) while emitting items. */
	reported: Error[] = [];

	constructor(
		private readonly sandbox: Sandbox,
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

export function idsOf(items: INodeExecutionData[], field = 'id'): string[] {
	return items.map((item) => String(item.json[field]));
}

/** A deep copy of a JSON value, for "unchanged" assertions. */
export function snapshot<T>(value: T): T {
	return JSON.parse(JSON.stringify(value ?? null)) as T;
}
