/**
 * Fault injection on /api routes: scripted one-shot faults (POST /__sandbox/faults) and random
 * faults from config.faults. "before" faults answer instead of the route (nothing happens);
 * "after" faults let the route run (state changes, credits move) and then replace, delay or drop the
 * response, which is how a client meets an unknown outcome.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from './context';
import { retryAfterHeader } from './errors';
import { sequence } from './random';

export type FaultKind = 'status' | 'drop' | 'malformed' | 'latency' | 'rateLimit';
const KINDS: FaultKind[] = ['status', 'drop', 'malformed', 'latency', 'rateLimit'];

export interface ScriptedFault {
	id: number;
	method: string | null;
	path: string;
	kind: FaultKind;
	status: number;
	retryAfter: number;
	latencyMs: number;
	/** How many more requests it applies to. */
	remaining: number;
	when: 'before' | 'after';
	hits: number;
}

export interface FaultSpec {
	method?: string;
	path: string;
	kind: FaultKind;
	status?: number;
	retryAfter?: number;
	latencyMs?: number;
	times?: number;
	when?: 'before' | 'after';
}

export class FaultInjector {
	private scripted: ScriptedFault[] = [];
	private nextId = 1;
	private random: () => number;

	constructor(seed: number) {
		this.random = sequence(seed);
	}

	/** Checks a fault spec; returns an error message or null. */
	static problem(spec: Partial<FaultSpec>): string | null {
		if (!spec || typeof spec.path !== 'string' || spec.path === '') return 'path is required (exact path or regex)';
		if (!KINDS.includes(spec.kind as FaultKind)) return `kind must be one of ${KINDS.join(', ')}`;
		if (spec.when !== undefined && spec.when !== 'before' && spec.when !== 'after') return 'when must be "before" or "after"';
		if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times > 0)) return 'times must be a positive integer';
		if (spec.status !== undefined && !(Number.isInteger(spec.status) && spec.status >= 100 && spec.status <= 599)) return 'status must be an HTTP status';
		if (spec.path.startsWith('^') || (spec.path.startsWith('/') && spec.path.endsWith('/') && spec.path.length > 2)) {
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
			status: spec.status ?? (spec.kind === 'rateLimit' ? 429 : 500),
			retryAfter: spec.retryAfter ?? 1,
			latencyMs: spec.latencyMs ?? 1000,
			remaining: spec.times ?? 1,
			when: spec.when ?? 'before',
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
	take(method: string, path: string): ScriptedFault | null {
		const apiRelative = path.startsWith('/api/') ? path.slice(4) : path;
		const fault = this.scripted.find((f) => f.remaining > 0 && (!f.method || f.method === method) && pathMatches(f.path, path, apiRelative));
		if (!fault) return null;
		fault.remaining--;
		fault.hits++;
		if (fault.remaining === 0) this.scripted = this.scripted.filter((f) => f !== fault);
		return fault;
	}

	roll(rate: number): boolean {
		return rate > 0 && this.random() < rate;
	}
}

function toRegex(pattern: string): RegExp {
	if (pattern.startsWith('/') && pattern.endsWith('/') && pattern.length > 2) return new RegExp(pattern.slice(1, -1));
	return new RegExp(pattern);
}

/** Exact match (with or without the /api prefix), or a regex when the pattern starts with ^ or is /.../. */
function pathMatches(pattern: string, path: string, apiRelative: string): boolean {
	if (pattern.startsWith('^') || (pattern.startsWith('/') && pattern.endsWith('/') && pattern.length > 2)) {
		const re = toRegex(pattern);
		return re.test(path) || re.test(apiRelative);
	}
	return pattern === path || pattern === apiRelative;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function errorPayload(status: number, requestId: string, retryAfter?: number) {
	if (status === 429) {
		return { message: `Too many requests (sandbox fault). Retry after ${retryAfter ?? 1} seconds.`, code: 'RATE_LIMITED', errors: [], requestId };
	}
	const code = status >= 500 ? (status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR') : 'SANDBOX_FAULT';
	return { message: `Injected fault: status ${status}`, code, errors: [], requestId };
}

/** Cuts a JSON text in the middle so it cannot be parsed. */
function malformed(payload: string): string {
	const text = payload && payload.length > 2 ? payload : '{"success":true,"data":{"id":"x"}}';
	return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}

function drop(request: FastifyRequest, reply: FastifyReply): void {
	reply.hijack();
	request.raw.socket?.destroy();
}

/** Retry-After of a fault's 429, under the `retryAfter` reading (seconds, absent or a date). */
function setRetryAfter(ctx: SandboxContext, reply: FastifyReply, seconds: number): void {
	const value = retryAfterHeader(ctx.config.readings.retryAfter, seconds);
	if (value !== undefined) reply.header('retry-after', value);
}

export function registerFaultHooks(app: FastifyInstance, ctx: SandboxContext): void {
	app.decorateRequest('afterFault', null);

	app.addHook('onRequest', async (request, reply) => {
		if (!request.url.startsWith('/api')) return;
		const path = request.url.split('?')[0];
		const fault = ctx.faults.take(request.method, path);
		const mark = (kind: string) => {
			if (request.logEntry) request.logEntry.fault = kind;
		};
		if (fault) {
			mark(`${fault.kind}:${fault.when}`);
			if (fault.when === 'after') {
				request.afterFault = fault;
			} else {
				switch (fault.kind) {
					case 'latency':
						await sleep(fault.latencyMs);
						break;
					case 'drop':
						drop(request, reply);
						return reply;
					case 'malformed':
						return reply.code(200).header('content-type', 'application/json; charset=utf-8').send(malformed(''));
					case 'rateLimit':
						setRetryAfter(ctx, reply, fault.retryAfter);
						return reply.code(429).send(errorPayload(429, request.id, fault.retryAfter));
					case 'status':
						if (fault.status === 429) setRetryAfter(ctx, reply, fault.retryAfter);
						return reply.code(fault.status).send(errorPayload(fault.status, request.id, fault.retryAfter));
				}
			}
		}
		const random = ctx.config.faults;
		if (random.latencyMs > 0) await sleep(random.latencyMs);
		if (ctx.faults.roll(random.rateLimitStorm)) {
			mark('random:rateLimit');
			setRetryAfter(ctx, reply, 1);
			return reply.code(429).send(errorPayload(429, request.id, 1));
		}
		if (ctx.faults.roll(random.errorRate)) {
			mark('random:status');
			const status = ctx.faults.roll(0.5) ? 503 : 500;
			return reply.code(status).send(errorPayload(status, request.id));
		}
		if (ctx.faults.roll(random.dropRate)) {
			mark('random:drop');
			drop(request, reply);
			return reply;
		}
		if (ctx.faults.roll(random.malformedRate)) {
			mark('random:malformed');
			return reply.code(200).header('content-type', 'application/json; charset=utf-8').send(malformed(''));
		}
		return undefined;
	});

	// "after" faults: the route has run; now change what the client gets.
	app.addHook('onSend', async (request, reply, payload) => {
		const fault = request.afterFault;
		if (!fault) return payload;
		request.afterFault = null;
		switch (fault.kind) {
			case 'latency':
				await sleep(fault.latencyMs);
				return payload;
			case 'drop':
				request.raw.socket?.destroy();
				return payload;
			case 'malformed':
				reply.header('content-type', 'application/json; charset=utf-8');
				return malformed(typeof payload === 'string' ? payload : '');
			case 'rateLimit':
			case 'status': {
				const status = fault.kind === 'rateLimit' ? 429 : fault.status;
				reply.code(status);
				if (status === 429) setRetryAfter(ctx, reply, fault.retryAfter);
				reply.removeHeader('location');
				reply.header('content-type', 'application/json; charset=utf-8');
				return JSON.stringify(errorPayload(status, request.id, fault.retryAfter));
			}
		}
		return payload;
	});
}
