/**
 * Applies the simulation's faults (simulation/faults.ts) to /api requests: scripted "before" faults
 * and random faults answer instead of the route (onRequest); "after" faults replace, delay or drop
 * the route's answer (onSend).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from './context';
import { retryAfterHeader } from './errors';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function errorPayload(status: number, requestId: string, retryAfter?: number | null) {
	if (status === 429) {
		const when = retryAfter === null ? 'later' : `after ${retryAfter ?? 1} seconds`;
		return {
			message: `Too many requests (sandbox fault). Retry ${when}.`,
			code: 'RATE_LIMITED',
			errors: [],
			requestId,
		};
	}
	const code =
		status >= 500 ? (status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR') : 'SANDBOX_FAULT';
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
function setRetryAfter(ctx: SandboxContext, reply: FastifyReply, seconds: number | null): void {
	// A fault with `retryAfter: null` sends no Retry-After under any reading.
	if (seconds === null) return;
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
					case 'stall':
						reply.hijack();
						ctx.faults.stallRaw(
							reply.raw,
							200,
							{ 'content-type': 'application/json; charset=utf-8' },
							'{"success":true,"data":{"id":"stalled"}}',
						);
						return reply;
					case 'body':
						return reply
							.code(fault.status)
							.header('content-type', 'application/json; charset=utf-8')
							.send(JSON.stringify(fault.body));
					case 'malformed':
						return reply
							.code(200)
							.header('content-type', 'application/json; charset=utf-8')
							.send(malformed(''));
					case 'rateLimit':
						setRetryAfter(ctx, reply, fault.retryAfter);
						return reply.code(429).send(errorPayload(429, request.id, fault.retryAfter));
					case 'status':
						if (fault.status === 429) setRetryAfter(ctx, reply, fault.retryAfter);
						if (fault.location) reply.header('location', fault.location);
						return reply
							.code(fault.status)
							.send(errorPayload(fault.status, request.id, fault.retryAfter));
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
			return reply
				.code(200)
				.header('content-type', 'application/json; charset=utf-8')
				.send(malformed(''));
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
			case 'stall':
				reply.removeHeader('content-length');
				return ctx.faults.stallBody(
					reply.raw,
					typeof payload === 'string' ? payload : '{"success":true}',
				);
			case 'body':
				reply.code(fault.status);
				reply.removeHeader('location');
				reply.header('content-type', 'application/json; charset=utf-8');
				return JSON.stringify(fault.body);
			case 'malformed':
				reply.header('content-type', 'application/json; charset=utf-8');
				return malformed(typeof payload === 'string' ? payload : '');
			case 'rateLimit':
			case 'status': {
				const status = fault.kind === 'rateLimit' ? 429 : fault.status;
				reply.code(status);
				if (status === 429) setRetryAfter(ctx, reply, fault.retryAfter);
				reply.removeHeader('location');
				if (fault.location) reply.header('location', fault.location);
				reply.header('content-type', 'application/json; charset=utf-8');
				return JSON.stringify(errorPayload(status, request.id, fault.retryAfter));
			}
		}
		return payload;
	});
}
