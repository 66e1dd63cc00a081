/** Small helpers shared by the route modules. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ContractRoute } from '../contract';
import type { Caller, SandboxContext } from '../context';
import { badField, rateLimited } from '../errors';

export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** Registers the handler of a contract operation at the contract's method and path. */
export function defineRoute(
	app: FastifyInstance,
	routes: Map<string, ContractRoute>,
	operationId: string,
	handler: Handler,
): void {
	const route = routes.get(operationId);
	if (!route) throw new Error(`The contract has no operation ${operationId}`);
	app.route({ method: route.method, url: route.fastifyPath, config: { operationId }, handler });
}

export function caller(request: FastifyRequest): Caller {
	if (!request.caller) throw new Error('route reached without a caller');
	return request.caller;
}

export function workspaceOf(request: FastifyRequest) {
	const ws = caller(request).workspace;
	if (!ws) throw new Error('route reached without a workspace');
	return ws;
}

/** Whether leads are masked for this account: its own shouldMaskEmail, unless the emailMasking reading forces it. */
export function masksEmails(ctx: SandboxContext, account: { shouldMaskEmail: boolean }): boolean {
	const reading = ctx.config.readings.emailMasking;
	return reading === 'account' ? account.shouldMaskEmail : reading === 'on';
}

/** The `{ success, data, requestId }` envelope. */
export function wrapped<T>(request: FastifyRequest, data: T) {
	return { success: true, data, requestId: request.id };
}

/**
 * Page and page size of a list request. The reference gives a default (10) and no maximum: the
 * cap, and what a bigger request gets (clamped or 400), are readings (simulation/config.ts, Readings).
 * The answer's `perPage` (or the size used for `pages`) reports the size actually used.
 */
export function paging(
	ctx: SandboxContext,
	query: Record<string, unknown>,
	sizeParam: 'perPage' | 'limit' = 'perPage',
) {
	const page = typeof query.page === 'number' ? query.page : 1;
	const { pageSizeCap, overPageSizeCap } = ctx.config.readings;
	let size = typeof query[sizeParam] === 'number' ? (query[sizeParam] as number) : 10;
	if (pageSizeCap !== null && size > pageSizeCap) {
		if (overPageSizeCap === 'refuse')
			throw badField(sizeParam, `must be <= ${pageSizeCap}`, 'query');
		size = pageSizeCap;
	}
	return { page, size, offset: (page - 1) * size };
}

export function pagination(totalCount: number, page: number, perPage: number) {
	return { totalCount, totalPages: Math.ceil(totalCount / perPage), currentPage: page, perPage };
}

/** Date query parameter: ISO date or date-time; a date-only upper bound includes the whole day. */
export function dateParam(
	query: Record<string, unknown>,
	name: string,
	end: boolean,
	location: 'query' | 'body' = 'query',
): number | undefined {
	const value = query[name];
	if (value === undefined || value === '') return undefined;
	const text = String(value);
	const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
	const ms = Date.parse(dateOnly ? `${text}T00:00:00.000Z` : text);
	if (Number.isNaN(ms))
		throw badField(name, `${name} must be an ISO 8601 date or date-time`, location);
	return dateOnly && end ? ms + 86_400_000 - 1 : ms;
}

/**
 * Applies the operation's documented rate limit (x-scravio-rate-limit) on the virtual clock.
 * Throws 429 RATE_LIMITED with Retry-After before anything changes.
 */
export function enforceRateLimit(
	ctx: SandboxContext,
	routes: Map<string, ContractRoute>,
	request: FastifyRequest,
	scopeKey: string,
): void {
	if (!ctx.config.enforceRateLimits) return;
	const operationId = request.routeOptions.config.operationId!;
	const rule = routes.get(operationId)?.operation['x-scravio-rate-limit'];
	if (!rule) return;
	const result = ctx.rateLimiter.hit(`${operationId}:${scopeKey}`, rule, ctx.clock.now());
	if (!result.allowed) {
		const per = rule.windowSeconds >= 3600 ? 'hour' : 'minute';
		throw rateLimited(
			result.retryAfterSeconds,
			`Rate limit exceeded: ${rule.limit} requests per ${per} per ${rule.scope}. Retry after ${result.retryAfterSeconds} seconds.`,
		);
	}
}

export function iso(ms: number | null | undefined): string | null {
	return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

export function compare(a: number | string, b: number | string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
