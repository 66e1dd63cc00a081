/**
 * Request log for tests (GET /__sandbox/requests). It records which credentials were present, never
 * their values, so a test can prove e.g. that no X-API-Key reached a route.
 */
import type { IncomingHttpHeaders } from 'http';

export interface RequestLogEntry {
	requestId: string;
	at: string;
	method: string;
	url: string;
	path: string;
	operationId: string | null;
	status: number | null;
	headerNames: string[];
	apiKey: 'present' | 'absent';
	authorization: 'Bearer' | 'other' | 'absent';
	workspaceId: string | null;
	fault: string | null;
	durationMs: number | null;
}

const MAX_ENTRIES = 20_000;

export class RequestLog {
	private entries: RequestLogEntry[] = [];

	start(fields: {
		requestId: string;
		at: string;
		method: string;
		url: string;
		operationId: string | null;
		headers: IncomingHttpHeaders;
	}): RequestLogEntry {
		const { headers } = fields;
		const authorization = headers.authorization;
		const workspace = headers['x-workspace-id'];
		const entry: RequestLogEntry = {
			requestId: fields.requestId,
			at: fields.at,
			method: fields.method,
			url: fields.url,
			path: fields.url.split('?')[0],
			operationId: fields.operationId,
			status: null,
			headerNames: Object.keys(headers).sort(),
			apiKey: headers['x-api-key'] !== undefined ? 'present' : 'absent',
			authorization:
				authorization === undefined
					? 'absent'
					: /^bearer\s/i.test(String(authorization))
						? 'Bearer'
						: 'other',
			workspaceId: workspace === undefined ? null : String(workspace),
			fault: null,
			durationMs: null,
		};
		this.entries.push(entry);
		if (this.entries.length > MAX_ENTRIES)
			this.entries.splice(0, this.entries.length - MAX_ENTRIES);
		return entry;
	}

	list(filter: { operationId?: string; path?: string; limit?: number } = {}): RequestLogEntry[] {
		let result = this.entries;
		if (filter.operationId) result = result.filter((e) => e.operationId === filter.operationId);
		if (filter.path) result = result.filter((e) => e.path === filter.path);
		if (filter.limit && filter.limit > 0) result = result.slice(-filter.limit);
		return result;
	}

	clear(): void {
		this.entries = [];
	}
}
