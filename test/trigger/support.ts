/**
 * Shared pieces of the trigger tests: a sandbox with a frozen clock (time moves only when a test
 * advances it), its API and admin routes through the one sandbox client (harness/sandboxClient.ts),
 * and `TriggerUnderTest` (harness/trigger.ts), which polls the Scravio Trigger through n8n's real
 * poll machinery and keeps the workflow's static data between polls like an active workflow does.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { sandboxClient, type LoggedRequest } from '../../harness/sandboxClient';
import { PRESETS, startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';

export { PRESETS };
export type { LoggedRequest };
export {
	credentialsFor,
	newEngine,
	NODE_NAME,
	TRIGGER_TYPE,
	TriggerUnderTest,
	useTriggerClass,
} from '../../harness/trigger';

export async function startFrozenSandbox(options: Partial<SandboxOptions> = {}): Promise<Sandbox> {
	return await startSandbox({
		port: 0,
		quiet: true,
		clockSpeed: 0,
		enforceRateLimits: false,
		...options,
	});
}

/** Calls the sandbox API as the demo account (account-scoped key) in a workspace. */
export async function api<T = IDataObject>(
	sandbox: Sandbox,
	method: string,
	path: string,
	body?: unknown,
	workspaceId: string = PRESETS.workspaces.main,
): Promise<T> {
	return await sandboxClient(sandbox).api<T>(method, path, body, workspaceId);
}

export async function admin<T = IDataObject>(
	sandbox: Sandbox,
	method: string,
	path: string,
	body?: unknown,
): Promise<T> {
	return await sandboxClient(sandbox).admin<T>(method, path, body);
}

export async function allowManyRunningCampaigns(sandbox: Sandbox, limit = 100_000): Promise<void> {
	await sandboxClient(sandbox).patchAccount(PRESETS.accounts.demo.id, {
		concurrentCampaignLimit: limit,
	});
}

let campaignCounter = 0;

/** Launches a campaign; `targetEmails` sets how long it runs (10 emails: ~50 s of sandbox time). */
export async function createCampaign(
	sandbox: Sandbox,
	options: {
		type?: string;
		inputs?: IDataObject;
		targetEmails?: number;
		workspaceId?: string;
		title?: string;
	} = {},
): Promise<string> {
	campaignCounter++;
	const body = {
		type: options.type ?? 'INSTAGRAM_HASHTAG',
		inputs: options.inputs ?? { hashtag: `trigger${campaignCounter}` },
		targetEmails: options.targetEmails ?? 10,
		...(options.title ? { title: options.title } : {}),
	};
	const { campaign } = await api<{ campaign: { id: string } }>(
		sandbox,
		'POST',
		'/campaigns',
		body,
		options.workspaceId,
	);
	return campaign.id;
}

export async function endCampaign(
	sandbox: Sandbox,
	id: string,
	status: 'fully_completed' | 'failed' | 'stopped',
): Promise<void> {
	await admin(sandbox, 'POST', `/campaigns/${id}/outcome`, { status });
}

let exportCounter = 0;

/** Creates a distinct export of a campaign (a new date range each time, so never "the same export"). */
export async function createExport(
	sandbox: Sandbox,
	campaignId: string,
	extra: IDataObject = {},
): Promise<string> {
	exportCounter++;
	const day = new Date(Date.UTC(2020, 0, 1) + exportCounter * 86_400_000)
		.toISOString()
		.slice(0, 10);
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
	const { data } = await api<{ data: { jobId: string } }>(
		sandbox,
		'POST',
		'/validation-jobs/text',
		{ emails: list },
	);
	return data.jobId;
}

export async function advance(sandbox: Sandbox, ms: number): Promise<void> {
	await sandboxClient(sandbox).advance({ ms });
}

export async function requestLog(sandbox: Sandbox): Promise<LoggedRequest[]> {
	return await sandboxClient(sandbox).requests();
}

export async function clearRequestLog(sandbox: Sandbox): Promise<void> {
	await sandboxClient(sandbox).clearRequests();
}

export async function addFault(sandbox: Sandbox, spec: IDataObject): Promise<void> {
	await sandboxClient(sandbox).addFault(spec);
}

export async function clearFaults(sandbox: Sandbox): Promise<void> {
	await sandboxClient(sandbox).clearFaults();
}

export function idsOf(items: INodeExecutionData[], field = 'id'): string[] {
	return items.map((item) => String(item.json[field]));
}

/** A deep copy of a JSON value, for "unchanged" assertions. */
export function snapshot<T>(value: T): T {
	return JSON.parse(JSON.stringify(value ?? null)) as T;
}
