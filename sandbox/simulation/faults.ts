/**
 * Fault injection on /api routes: scripted one-shot faults (POST /__sandbox/faults) and random
 * faults from config.faults. "before" faults answer instead of the route (nothing happens);
 * "after" faults let the route run (state changes, credits move) and then replace, delay or drop the
 * response, which is how a client meets an unknown outcome.
 *
 * `stall` sends the status line, the headers and the first few bytes of the body, then nothing more
 * (the connection stays open until the client gives up or the sandbox closes). Faults with
 * `host: 'storage'` apply to the file host (the download redirect's target) instead of /api.
 *
 * This module holds the faults (which, when, how often) and the stalled connections; the Fastify
 * hooks that apply them to /api requests are http/faultHooks.ts.
 */
import type { ServerResponse } from 'http';
import type { Socket } from 'net';
import { Readable } from 'stream';
import { sequence } from '../model/random';

export type FaultKind =
	'status' | 'drop' | 'malformed' | 'latency' | 'rateLimit' | 'stall' | 'body';
const KINDS: FaultKind[] = ['status', 'drop', 'malformed', 'latency', 'rateLimit', 'stall', 'body'];
export type FaultHost = 'api' | 'storage';

/** How many body bytes a stalled answer sends before it stops. */
export const STALL_BYTES = 16;

export interface ScriptedFault {
	id: number;
	method: string | null;
	path: string;
	kind: FaultKind;
	status: number;
	/** Seconds sent as Retry-After on a 429; null sends no Retry-After header. */
	retryAfter: number | null;
	/** `status` faults: a Location header (e.g. a 302 to another host). */
	location: string | null;
	latencyMs: number;
	/** `body` faults: the JSON answered instead of the route's (status `status`, default 200). */
	body: unknown;
	/** How many more requests it applies to. */
	remaining: number;
	when: 'before' | 'after';
	host: FaultHost;
	hits: number;
}

export interface FaultSpec {
	method?: string;
	path: string;
	kind: FaultKind;
	status?: number;
	retryAfter?: number | null;
	location?: string;
	latencyMs?: number;
	body?: unknown;
	times?: number;
	when?: 'before' | 'after';
	/** `api` (default): /api routes. `storage`: the file host. */
	host?: FaultHost;
}

export class FaultInjector {
	private scripted: ScriptedFault[] = [];
	private nextId = 1;
	private random: () => number;
	/** Bodies held open by `stall` faults; ended when the client leaves or the sandbox closes. */
	private readonly stalled = new Map<Readable, ServerResponse>();
	/** Their connections, closed at sandbox close whatever state the client left them in. */
	private readonly stalledSockets = new Set<Socket>();

	constructor(seed: number) {
		this.random = sequence(seed);
	}

	/** Checks a fault spec; returns an error message or null. */
	static problem(spec: Partial<FaultSpec>): string | null {
		if (!spec || typeof spec.path !== 'string' || spec.path === '')
			return 'path is required (exact path or regex)';
		if (!KINDS.includes(spec.kind as FaultKind)) return `kind must be one of ${KINDS.join(', ')}`;
		if (spec.when !== undefined && spec.when !== 'before' && spec.when !== 'after')
			return 'when must be "before" or "after"';
		if (spec.host !== undefined && spec.host !== 'api' && spec.host !== 'storage')
			return 'host must be "api" or "storage"';
		if (spec.host === 'storage' && spec.when === 'after')
			return 'file host faults are "before" faults';
		if (spec.kind === 'body' && (spec.body === undefined || spec.host === 'storage'))
			return 'a body fault needs a JSON "body" (API only)';
		if (spec.host === 'storage' && spec.kind === 'malformed')
			return 'the file host has no JSON to malform: use stall, drop, status, rateLimit or latency';
		if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times > 0))
			return 'times must be a positive integer';
		if (
			spec.status !== undefined &&
			!(Number.isInteger(spec.status) && spec.status >= 100 && spec.status <= 599)
		)
			return 'status must be an HTTP status';
		if (
			spec.path.startsWith('^') ||
			(spec.path.startsWith('/') && spec.path.endsWith('/') && spec.path.length > 2)
		) {
			try {
				toRegex(spec.path);
			} catch {
				return 'path is not a valid regular expression';
			}
		}
		return null;
	}

	add(spec: FaultSpec): ScriptedFault {
		const fault: ScriptedFault = {
			id: this.nextId++,
			method: spec.method ? spec.method.toUpperCase() : null,
			path: spec.path,
			kind: spec.kind,
			status: spec.status ?? (spec.kind === 'rateLimit' ? 429 : spec.kind === 'body' ? 200 : 500),
			retryAfter: spec.retryAfter === null ? null : (spec.retryAfter ?? 1),
			location: spec.location ?? null,
			latencyMs: spec.latencyMs ?? 1000,
			body: spec.body ?? null,
			remaining: spec.times ?? 1,
			when: spec.when ?? 'before',
			host: spec.host ?? 'api',
			hits: 0,
		};
		this.scripted.push(fault);
		return fault;
	}

	list(): ScriptedFault[] {
		return this.scripted;
	}

	clear(): void {
		this.scripted = [];
	}

	/** Takes (uses up one "time" of) the first scripted fault matching the request. */
	take(method: string, path: string, host: FaultHost = 'api'): ScriptedFault | null {
		const apiRelative = path.startsWith('/api/') ? path.slice(4) : path;
		const fault = this.scripted.find(
			(f) =>
				f.remaining > 0 &&
				f.host === host &&
				(!f.method || f.method === method) &&
				pathMatches(f.path, path, apiRelative),
		);
		if (!fault) return null;
		fault.remaining--;
		fault.hits++;
		if (fault.remaining === 0) this.scripted = this.scripted.filter((f) => f !== fault);
		return fault;
	}

	roll(rate: number): boolean {
		return rate > 0 && this.random() < rate;
	}

	/**
	 * A body for `reply.send` (or an onSend hook) that gives the first STALL_BYTES bytes of `body`
	 * and then nothing more: the client gets the status and headers, a few bytes, and waits. The
	 * answer stays open until the client closes it or `releaseStalled()` runs.
	 */
	stallBody(raw: ServerResponse, body: Buffer | string): Readable {
		const stream = new Readable({ read() {} });
		stream.push(Buffer.from(body).subarray(0, STALL_BYTES));
		this.stalled.set(stream, raw);
		// Ended, not destroyed: Fastify treats a destroyed body stream as a failed reply.
		raw.on('close', () => this.endStall(stream));
		if (raw.socket) this.stalledSockets.add(raw.socket);
		return stream;
	}

	/**
	 * The same on a hijacked reply (before any hook or route sends anything): writes the status,
	 * the headers and the first STALL_BYTES bytes of `body` straight to the connection.
	 */
	stallRaw(
		raw: ServerResponse,
		status: number,
		headers: Record<string, string>,
		body: Buffer | string,
	): void {
		raw.writeHead(status, headers);
		raw.write(Buffer.from(body).subarray(0, STALL_BYTES));
		if (raw.socket) this.stalledSockets.add(raw.socket);
	}

	private endStall(stream: Readable): void {
		if (!this.stalled.delete(stream)) return;
		stream.push(null);
	}

	/** Ends every stalled answer and closes its connection (at sandbox close, so that the servers can stop). */
	releaseStalled(): void {
		for (const stream of [...this.stalled.keys()]) this.endStall(stream);
		for (const socket of this.stalledSockets) socket.destroy();
		this.stalledSockets.clear();
	}
}

function toRegex(pattern: string): RegExp {
	if (pattern.startsWith('/') && pattern.endsWith('/') && pattern.length > 2)
		return new RegExp(pattern.slice(1, -1));
	return new RegExp(pattern);
}

/** Exact match (with or without the /api prefix), or a regex when the pattern starts with ^ or is /.../. */
function pathMatches(pattern: string, path: string, apiRelative: string): boolean {
	if (
		pattern.startsWith('^') ||
		(pattern.startsWith('/') && pattern.endsWith('/') && pattern.length > 2)
	) {
		const re = toRegex(pattern);
		return re.test(path) || re.test(apiRelative);
	}
	return pattern === path || pattern === apiRelative;
}
