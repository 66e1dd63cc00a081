/** Small client for the sandbox's API (as the demo account) and its admin routes, for e2e checks. */
import { PRESETS, type Sandbox } from '../sandbox';

export interface LoggedRequest {
	host: 'api' | 'storage';
	at: string;
	method: string;
	url: string;
	path: string;
	operationId: string | null;
	status: number | null;
	apiKey: 'present' | 'absent';
	authorization: 'Bearer' | 'other' | 'absent';
}

export async function api<T = Record<string, unknown>>(sb: Sandbox, method: string, route: string, body?: unknown): Promise<T> {
	const res = await fetch(`${sb.apiUrl}${route}`, {
		method,
		headers: { 'X-API-Key': PRESETS.apiKeys.account, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (!res.ok) throw new Error(`${method} ${route}: HTTP ${res.status}: ${text}`);
	const parsed = JSON.parse(text) as { data?: T };
	return (parsed.data ?? parsed) as T;
}

export async function admin<T = unknown>(sb: Sandbox, method: string, route: string, body?: unknown): Promise<T> {
	const res = await fetch(`${sb.adminUrl}${route}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (!res.ok) throw new Error(`admin ${method} ${route}: HTTP ${res.status}: ${text}`);
	return (text ? JSON.parse(text) : undefined) as T;
}

/** The sandbox's request log (both hosts), oldest first. */
export async function requests(sb: Sandbox, query: { host?: 'api' | 'storage'; operationId?: string } = {}): Promise<LoggedRequest[]> {
	const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as Array<[string, string]>);
	const { requests: list } = await admin<{ requests: LoggedRequest[] }>(sb, 'GET', `/requests${q.size ? `?${q}` : ''}`);
	return list;
}

export interface ApiLead {
	email: string | null;
	emailSource: string | null;
	username: string | null;
	emailValidation: { status: string; isValid: boolean } | null;
	[key: string]: unknown;
}

/** Every lead of a campaign matching `filters`, walking all pages (100 per page). */
export async function allLeads(sb: Sandbox, campaignId: string, filters: Record<string, string> = {}): Promise<ApiLead[]> {
	const leads: ApiLead[] = [];
	for (let page = 1; ; page++) {
		const q = new URLSearchParams({ ...filters, page: String(page), perPage: '100' });
		const data = await api<{ items: ApiLead[]; pagination: { totalPages: number } }>(sb, 'GET', `/campaigns/${campaignId}/leads?${q}`);
		leads.push(...data.items);
		if (page >= data.pagination.totalPages) return leads;
	}
}
