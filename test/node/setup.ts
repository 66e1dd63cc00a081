/**
 * Shared setup of the node tests: the real n8n engine running the Scravio node against a
 * sandbox started in-process on a free port, over real HTTP, plus the sandbox's request log.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';

import { ScravioApi } from '../../credentials/ScravioApi.credentials';
import { Scravio } from '../../nodes/Scravio/Scravio.node';
import { PRESETS } from '../../sandbox/model/presets';
import { startSandbox } from '../../sandbox';
import type { RequestLogEntry } from '../../sandbox/http/requestLog';
import type { StorageRequest } from '../../sandbox/http/storage';
import { createEngine, type RunNodeResult } from '../../harness/engine';
import { sandboxClient } from '../../harness/sandboxClient';

export { PRESETS };

/** One API request as the sandbox logged it (which credentials were present, never their values), plus its query. */
export type LoggedRequest = RequestLogEntry & { query: Record<string, string> };

export interface Testbed {
	apiUrl: string;
	adminUrl: string;
	storageUrl: string;
	/** Runs the Scravio node once with these parameters; resolves also when the node fails. */
	run(parameters: INodeParameters, options?: RunOptions): Promise<RunNodeResult>;
	/** Requests the sandbox received since the last `clearRequests()`. */
	requests(): Promise<LoggedRequest[]>;
	/** Requests the file host ("storage") received since the last `clearRequests()`. */
	storageRequests(): Promise<StorageRequest[]>;
	clearRequests(): Promise<void>;
	/** Calls an admin route under /__sandbox. */
	admin(
		method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
		path: string,
		body?: unknown,
	): Promise<unknown>;
	/** Moves the sandbox's virtual clock forward. */
	advance(seconds: number): Promise<void>;
	close(): Promise<void>;
}

export interface RunOptions {
	credential?: ICredentialDataDecryptedObject;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	onError?: INode['onError'];
	/** Aborting it cancels the execution (the node sees it as its cancel signal). */
	signal?: AbortSignal;
	/** n8n's Retry On Fail on the node (see RunNodeArgs in harness/engine/types.ts). */
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
}

/** Credential data for the sandbox: the demo account's account-scoped key unless told otherwise. */
export function apiKeyCredential(
	apiUrl: string,
	apiKey: string = PRESETS.apiKeys.account,
	workspaceId = '',
): ICredentialDataDecryptedObject {
	return { authentication: 'apiKey', apiKey, workspaceId, baseUrl: apiUrl };
}

export function accessTokenCredential(
	apiUrl: string,
	accessToken: string = PRESETS.accessTokens.demo,
	workspaceId = '',
): ICredentialDataDecryptedObject {
	return { authentication: 'accessToken', accessToken, workspaceId, baseUrl: apiUrl };
}

const engine = createEngine({ nodes: [Scravio], credentialTypes: [ScravioApi] });

export async function startTestbed(sandboxOptions: IDataObject = {}): Promise<Testbed> {
	const sandbox = await startSandbox({ port: 0, quiet: true, ...sandboxOptions });
	const { apiUrl, adminUrl, storageUrl } = sandbox;

	const client = sandboxClient(sandbox);
	const admin: Testbed['admin'] = async (method, path, body) =>
		await client.admin<unknown>(method, path, body);

	return {
		apiUrl,
		adminUrl,
		storageUrl,
		async run(parameters, options = {}) {
			return await engine.runNode({
				type: 'scravio',
				parameters,
				credentials: { scravioApi: options.credential ?? apiKeyCredential(apiUrl) },
				items: options.items,
				continueOnFail: options.continueOnFail,
				onError: options.onError,
				signal: options.signal,
				retryOnFail: options.retryOnFail,
				maxTries: options.maxTries,
				waitBetweenTries: options.waitBetweenTries,
			});
		},
		async requests() {
			const body = (await admin('GET', '/requests?host=api')) as
				{ requests?: RequestLogEntry[] } | RequestLogEntry[];
			return withQuery(Array.isArray(body) ? body : (body.requests ?? []));
		},
		async storageRequests() {
			const body = (await admin('GET', '/storage/requests')) as
				{ requests?: StorageRequest[] } | StorageRequest[];
			return Array.isArray(body) ? body : (body.requests ?? []);
		},
		async clearRequests() {
			await admin('DELETE', '/requests');
		},
		admin,
		async advance(seconds) {
			await admin('POST', '/clock/advance', { seconds });
		},
		async close() {
			await sandbox.close();
		},
	};
}

function withQuery(entries: RequestLogEntry[]): LoggedRequest[] {
	return entries.map((entry) => {
		const query: Record<string, string> = {};
		new URL(entry.url, 'http://sandbox').searchParams.forEach((value, key) => (query[key] = value));
		return { ...entry, query };
	});
}

/** Parameters of the "By ID" mode of a resource locator. */
export function byId(value: string) {
	return { __rl: true, mode: 'id', value };
}

/** The JSON of every item of the main output. */
export function json(result: RunNodeResult): IDataObject[] {
	if (result.error) throw result.error;
	return (result.outputs[0] ?? []).map((item) => item.json);
}

/** The logged requests of one route, by the contract's operationId (e.g. `listCampaignLeads`). */
export function requestsOf(log: LoggedRequest[], operationId: string): LoggedRequest[] {
	return log.filter((entry) => entry.operationId === operationId);
}

/** API requests only, optionally under one path prefix (requests() already excludes the file host). */
export function apiRequests(log: LoggedRequest[], pathPrefix = '/api/'): LoggedRequest[] {
	return log.filter((entry) => entry.path.startsWith(pathPrefix));
}
