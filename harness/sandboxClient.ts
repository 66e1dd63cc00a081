/**
 * The one HTTP client of the sandbox, for tests, scripts and benchmarks: its API (as a preset
 * account, by default the demo account's account-scoped key) and its admin routes under
 * `/__sandbox` (request log, clock, faults, accounts, config). Real HTTP through global fetch.
 *
 * @example
 *   const client = sandboxClient(sandbox, { workspaceId: PRESETS.workspaces.main });
 *   const { campaign } = await client.api<{ campaign: { id: string } }>('POST', '/campaigns', body);
 *   await client.admin('POST', '/clock/advance', { seconds: 60 });
 *   const posts = await client.requests({ operationId: 'createCampaign' });
 */
import { PRESETS } from '../sandbox';

/** Where a sandbox answers (an in-process `Sandbox`, a sandbox in a child process, ...). */
export interface SandboxUrls {
	/** The API's base URL, `.../api`. */
	apiUrl: string;
	/** The admin routes' base URL, `.../__sandbox`. */
	adminUrl: string;
}

export interface SandboxClientOptions {
	/** The API key sent on API calls (default: the demo account's account-scoped key). */
	apiKey?: string;
	/** The X-Workspace-Id sent on API calls that name none themselves (default: none). */
	workspaceId?: string;
}

/** Options of one raw API call (`call`). */
export interface CallOptions {
	/** The X-API-Key; `null` sends none. Default: the client's key, unless `token` or an auth header is given. */
	key?: string | null;
	/** An access token, sent as `Authorization: Bearer <token>`. */
	token?: string;
	/** The X-Workspace-Id (default: none on raw calls). */
	workspace?: string;
	body?: unknown;
	headers?: Record<string, string>;
	redirect?: RequestRedirect;
}

/** A raw answer: status, headers, text, and the parsed JSON body when the text is JSON. */
export interface CallResult {
	status: number;
	headers: Headers;
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

/** One request as the sandbox logged it (which credentials were present, never their values). */
export interface LoggedRequest {
	host: 'api' | 'storage';
	requestId?: string;
	at: string;
	method: string;
	url: string;
	path: string;
	operationId: string | null;
	status: number | null;
	headerNames?: string[];
	apiKey: 'present' | 'absent';
	authorization: 'Bearer' | 'other' | 'absent';
	/** The X-Workspace-Id header the request carried, null without one. */
	workspaceId: string | null;
	/** The scripted or random fault applied to it, if any. */
	fault?: string | null;
	durationMs?: number | null;
}

export interface ApiLead {
	email: string | null;
	emailSource: string | null;
	username: string | null;
	emailValidation: { status: string; isValid: boolean } | null;
	[key: string]: unknown;
}

export class SandboxClient {
	constructor(
		readonly urls: SandboxUrls,
		readonly options: SandboxClientOptions = {},
	) {}

	/** Any API request, as given: resolves with the answer whatever its status. */
	async call(method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
		const headers: Record<string, string> = { ...(options.headers ?? {}) };
		if (
			options.key !== null &&
			!options.token &&
			!('x-api-key' in headers) &&
			!('authorization' in headers)
		) {
			headers['x-api-key'] = options.key ?? this.options.apiKey ?? PRESETS.apiKeys.account;
		}
		if (options.token) headers.authorization = `Bearer ${options.token}`;
		if (options.workspace) headers['x-workspace-id'] = options.workspace;
		return await send(
			`${this.urls.apiUrl}${path}`,
			method,
			headers,
			options.body,
			options.redirect,
		);
	}

	/** Any admin request: resolves with the answer whatever its status. */
	async adminCall(method: string, path: string, body?: unknown): Promise<CallResult> {
		return await send(`${this.urls.adminUrl}${path}`, method, {}, body);
	}

	/**
	 * An API request that must succeed (status below 300), with the client's key and workspace
	 * (or `workspaceId`): its parsed body, as the API sent it.
	 */
	async api<T = Record<string, unknown>>(
		method: string,
		path: string,
		body?: unknown,
		workspaceId = this.options.workspaceId,
	): Promise<T> {
		const result = await this.call(method, path, { body, workspace: workspaceId });
		if (result.status >= 300)
			throw new Error(`${method} ${path} answered ${result.status}: ${result.text}`);
		return result.body as T;
	}

	/** Like `api`, unwrapping the `data` of the routes that wrap their object in `{ data }`. */
	async data<T = Record<string, unknown>>(
		method: string,
		path: string,
		body?: unknown,
		workspaceId = this.options.workspaceId,
	): Promise<T> {
		const parsed = await this.api<{ data?: T }>(method, path, body, workspaceId);
		return (parsed.data ?? parsed) as T;
	}

	/** An admin request that must succeed: its parsed body (undefined when empty). */
	async admin<T = Record<string, unknown>>(
		method: string,
		path: string,
		body?: unknown,
	): Promise<T> {
		const result = await this.adminCall(method, path, body);
		if (result.status >= 300)
			throw new Error(`admin ${method} ${path} answered ${result.status}: ${result.text}`);
		return result.body as T;
	}

	/** The request log (both hosts unless `host`), oldest first, since it was last cleared. */
	async requests(
		query: { host?: 'api' | 'storage'; operationId?: string } = {},
	): Promise<LoggedRequest[]> {
		const q = new URLSearchParams(
			Object.entries(query).filter(([, v]) => v !== undefined) as Array<[string, string]>,
		);
		const answer = await this.admin<{ requests?: LoggedRequest[] } | LoggedRequest[]>(
			'GET',
			`/requests${q.size ? `?${q}` : ''}`,
		);
		return Array.isArray(answer) ? answer : (answer.requests ?? []);
	}

	async clearRequests(): Promise<void> {
		await this.admin('DELETE', '/requests');
	}

	/** Moves the virtual clock forward. */
	async advance(by: { seconds: number } | { ms: number }): Promise<void> {
		await this.admin('POST', '/clock/advance', by);
	}

	/** Adds a scripted fault (see sandbox/README.md). */
	async addFault(spec: Record<string, unknown>): Promise<void> {
		await this.admin('POST', '/faults', spec);
	}

	async clearFaults(): Promise<void> {
		await this.admin('DELETE', '/faults');
	}

	/** Changes an account's limits (e.g. `{ concurrentCampaignLimit }`). */
	async patchAccount(accountId: string, patch: Record<string, unknown>): Promise<void> {
		await this.admin('PATCH', `/accounts/${accountId}`, patch);
	}

	/** Changes the sandbox's options (e.g. `{ enforceRateLimits: false }`). */
	async patchConfig(patch: Record<string, unknown>): Promise<void> {
		await this.admin('PATCH', '/config', patch);
	}

	/** Every lead of a campaign matching `filters`, walking all pages (100 per page). */
	async allLeads(campaignId: string, filters: Record<string, string> = {}): Promise<ApiLead[]> {
		const leads: ApiLead[] = [];
		for (let page = 1; ; page++) {
			const q = new URLSearchParams({ ...filters, page: String(page), perPage: '100' });
			const data = await this.data<{ items: ApiLead[]; pagination: { totalPages: number } }>(
				'GET',
				`/campaigns/${campaignId}/leads?${q}`,
			);
			leads.push(...data.items);
			if (page >= data.pagination.totalPages) return leads;
		}
	}
}

export function sandboxClient(
	urls: SandboxUrls,
	options: SandboxClientOptions = {},
): SandboxClient {
	return new SandboxClient(urls, options);
}

async function send(
	url: string,
	method: string,
	headers: Record<string, string>,
	body: unknown,
	redirect: RequestRedirect = 'follow',
): Promise<CallResult> {
	if (body !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(url, {
		method,
		headers,
		body: body === undefined ? undefined : JSON.stringify(body),
		redirect,
	});
	const text = await response.text();
	let parsed: unknown;
	try {
		parsed = text ? JSON.parse(text) : undefined;
	} catch {
		parsed = undefined;
	}
	return { status: response.status, headers: response.headers, text, body: parsed };
}
