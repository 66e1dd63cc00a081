/** n8n's REST API: plain HTTP requests, the owner's session, executions and workflows. */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as path from 'node:path';

import type { N8nRun, WorkflowJson } from './cli';
import type { N8nInstall } from './install';
import { waitFor } from './processes';

export interface HttpResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
	json<T = unknown>(): T;
}

export function httpRequest(
	method: string,
	url: string,
	opts: { headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpResponse> {
	return new Promise((resolve, reject) => {
		const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
		const req = http.request(
			url,
			{
				method,
				headers: {
					accept: 'application/json',
					...(payload
						? { 'content-type': 'application/json', 'content-length': String(payload.length) }
						: {}),
					...(opts.headers ?? {}),
				},
				timeout: opts.timeoutMs ?? 30_000,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const body = Buffer.concat(chunks).toString('utf8');
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body,
						json: <T>() => JSON.parse(body) as T,
					});
				});
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
		req.on('error', reject);
		if (payload) req.write(payload);
		req.end();
	});
}

/** A logged-in editor session (the owner's). */
export interface N8nSession {
	url: string;
	/** `n8n-auth=<jwt>` */
	cookie: string;
	/** The auth cookie is bound to this `browser-id` header: send it on every request. */
	browserId: string;
	user: Record<string, unknown>;
}

export interface OwnerAccount {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export const DEFAULT_OWNER: OwnerAccount = {
	email: 'owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-Passw0rd!',
};

/** `POST /rest/owner/setup` on a fresh instance; returns the owner's session. */
export async function setupOwner(
	server: { url: string },
	owner: OwnerAccount = DEFAULT_OWNER,
): Promise<N8nSession> {
	const browserId = randomUUID();
	const r = await httpRequest('POST', `${server.url}/rest/owner/setup`, {
		headers: { 'browser-id': browserId },
		body: owner,
	});
	if (r.status !== 200) throw new Error(`POST /rest/owner/setup: HTTP ${r.status}: ${r.body}`);
	const cookie = cookieFrom(r, 'n8n-auth');
	return { url: server.url, cookie, browserId, user: unwrap(r.json()) as Record<string, unknown> };
}

/** `POST /rest/login` for an existing user (e.g. after a restart of the same home). */
export async function login(
	server: { url: string },
	owner: OwnerAccount = DEFAULT_OWNER,
): Promise<N8nSession> {
	const browserId = randomUUID();
	// 1.x names the field `email`, 2.x `emailOrLdapLoginId`; both accept the other's absence.
	const r = await httpRequest('POST', `${server.url}/rest/login`, {
		headers: { 'browser-id': browserId },
		body: { email: owner.email, emailOrLdapLoginId: owner.email, password: owner.password },
	});
	if (r.status !== 200) throw new Error(`POST /rest/login: HTTP ${r.status}: ${r.body}`);
	return {
		url: server.url,
		cookie: cookieFrom(r, 'n8n-auth'),
		browserId,
		user: unwrap(r.json()) as Record<string, unknown>,
	};
}

function cookieFrom(r: HttpResponse, name: string): string {
	const setCookie = r.headers['set-cookie'] ?? [];
	const c = setCookie.map((s) => s.split(';')[0]).find((s) => s.startsWith(`${name}=`));
	if (!c)
		throw new Error(`no ${name} cookie in response (set-cookie: ${JSON.stringify(setCookie)})`);
	return c;
}

function unwrap(body: unknown): unknown {
	return body && typeof body === 'object' && 'data' in body
		? (body as { data: unknown }).data
		: body;
}

/** An authenticated REST call; returns the `data` of n8n's `{ data }` envelope. */
export async function rest<T = unknown>(
	session: N8nSession,
	method: string,
	route: string,
	body?: unknown,
): Promise<T> {
	const r = await httpRequest(method, `${session.url}${route}`, {
		headers: { cookie: session.cookie, 'browser-id': session.browserId },
		body,
	});
	if (r.status < 200 || r.status >= 300)
		throw new Error(`${method} ${route}: HTTP ${r.status}: ${r.body}`);
	return unwrap(r.body ? r.json() : undefined) as T;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string;
	[key: string]: unknown;
}

/** `GET /rest/executions` (optionally for one workflow), newest first. */
export async function listExecutions(
	session: N8nSession,
	workflowId?: string,
): Promise<ExecutionSummary[]> {
	const q = workflowId ? `?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}` : '';
	const data = await rest<{ results: ExecutionSummary[] } | ExecutionSummary[]>(
		session,
		'GET',
		`/rest/executions${q}`,
	);
	const list = Array.isArray(data) ? data : data.results;
	return list.map((e) => ({ ...e, id: String(e.id) }));
}

/** Execution statuses after which an execution will not change any more. */
export const FINISHED_STATUSES = ['success', 'error', 'crashed', 'canceled'];

/**
 * Waits until the workflow has at least `count` executions and all of them are finished
 * (none `new`/`running`/`waiting`), and returns them, newest first.
 */
export function waitForExecutions(
	session: N8nSession,
	workflowId: string,
	count = 1,
	timeoutMs = 60_000,
): Promise<ExecutionSummary[]> {
	return waitFor(async () => {
		const list = await listExecutions(session, workflowId);
		return list.length >= count && list.every((e) => FINISHED_STATUSES.includes(e.status))
			? list
			: undefined;
	}, timeoutMs);
}

/**
 * `GET /rest/executions/<id>` with its run data decoded. n8n serialises `data` with `flatted`;
 * the copy of flatted from the n8n install is used to parse it.
 */
export async function getExecution(
	session: N8nSession,
	install: N8nInstall,
	executionId: string,
): Promise<ExecutionSummary & { data: N8nRun['data'] }> {
	const e = await rest<ExecutionSummary & { data: unknown }>(
		session,
		'GET',
		`/rest/executions/${executionId}`,
	);
	let data = e.data;
	if (typeof data === 'string') {
		const req = createRequire(path.join(install.dir, 'node_modules', 'n8n', 'package.json'));
		const flatted = req('flatted') as { parse(s: string): unknown };
		data = flatted.parse(data);
	}
	return { ...e, data: data as N8nRun['data'] };
}

/** `GET /rest/workflows/<id>` */
export function getWorkflow(session: N8nSession, workflowId: string): Promise<WorkflowJson> {
	return rest<WorkflowJson>(session, 'GET', `/rest/workflows/${workflowId}`);
}

/**
 * Runs a workflow from a trigger node in manual mode, as the editor's "Execute workflow" does:
 * `POST /rest/workflows/<id>/run` with `triggerToStartFrom` (for a polling trigger, this calls
 * its poll() in manual mode). Returns n8n's answer (`{ executionId }`, or `{ waitingForWebhook }`).
 */
export async function runWorkflowFromTrigger(
	session: N8nSession,
	workflowId: string,
	triggerNodeName: string,
): Promise<{ executionId?: string; waitingForWebhook?: boolean; [key: string]: unknown }> {
	const workflowData = await getWorkflow(session, workflowId);
	return rest(session, 'POST', `/rest/workflows/${workflowId}/run`, {
		workflowData,
		triggerToStartFrom: { name: triggerNodeName },
	});
}
