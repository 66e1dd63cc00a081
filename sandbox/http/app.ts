/**
 * The API server: Fastify with the sandbox's hooks in lifecycle order —
 *   onRequest:     request log -> fault injection -> auth/workspace/permission
 *   preValidation: campaign rules + contract (openapi.yaml) validation -> 400 VALIDATION_ERROR
 *   preHandler:    settle what virtual time made due (ledger, webhooks)
 *   onSend:        X-Request-Id, Date (the sandbox clock), "after" faults
 * plus the resource routes under /api and the admin routes under /__sandbox.
 */
import { randomBytes } from 'crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { validateCampaignRequest, type WorkspacePlan } from '../../nodes/api/campaignRules';
import { registerAdminRoutes } from './admin';
import { registerAuthHook } from './auth';
import type { ContractRoute } from './contract';
import type { Caller, SandboxContext } from './context';
import { ApiError, errorBody, retryAfterHeader, validationError, type FieldError } from './errors';
import { settle } from '../simulation/simulation';
import { registerFaultHooks } from './faultHooks';
import { ContractValidator } from './openapiValidation';
import { registerAccountRoutes } from './routes/account';
import { registerCampaignRoutes } from './routes/campaigns';
import { registerCampaignValidationRoutes } from './routes/campaignValidation';
import { registerCreditRoutes } from './routes/credits';
import { registerExportRoutes } from './routes/exports';
import { registerValidationJobRoutes } from './routes/validationJobs';

const BODY_LIMIT = 32 * 1024 * 1024;

/**
 * The plan whose limits apply (2 vs 20 targets): the workspace's, as the reference says ("Paid
 * workspaces support up to 20 targets; free and Project Pass workspaces support up to 2"), or,
 * under the reading planLimitsFrom: 'account', the caller's subscription.
 */
function planOf(ctx: SandboxContext, caller: Caller | null): WorkspacePlan | undefined {
	if (!caller) return undefined;
	if (ctx.config.readings.planLimitsFrom === 'workspace') return caller.workspace?.plan;
	const planId = caller.account.subscription.planId ?? 'free';
	if (/project.?pass/i.test(planId)) return 'project_pass';
	return /^free/i.test(planId) ? 'free' : 'paid';
}

export async function buildApp(ctx: SandboxContext): Promise<FastifyInstance> {
	const validator = new ContractValidator();
	const routes = new Map<string, ContractRoute>(validator.routes.map((r) => [r.operationId, r]));
	const app = Fastify({
		logger: false,
		bodyLimit: BODY_LIMIT,
		genReqId: () => `req_${randomBytes(8).toString('hex')}`,
	});

	// JSON bodies; an empty body counts as "no body" (POST .../stop and .../validate often have none).
	app.removeContentTypeParser('application/json');
	app.addContentTypeParser(
		'application/json',
		{ parseAs: 'string', bodyLimit: BODY_LIMIT },
		(_request, body, done) => {
			const text = String(body);
			if (text.trim() === '') return done(null, undefined);
			try {
				done(null, JSON.parse(text));
			} catch {
				done(
					validationError([
						{ param: 'body', msg: 'The request body is not valid JSON', location: 'body' },
					]),
					undefined,
				);
			}
		},
	);

	app.decorateRequest('logEntry', null);
	app.addHook('onRequest', async (request) => {
		if (!request.url.startsWith('/api')) return;
		request.logEntry = ctx.requestLog.start({
			requestId: request.id,
			at: ctx.clock.nowIso(),
			method: request.method,
			url: request.url,
			operationId: request.routeOptions.config?.operationId ?? null,
			headers: request.headers,
		});
	});
	app.addHook('onResponse', async (request, reply) => {
		const entry = request.logEntry;
		if (!entry) return;
		if (!entry.fault?.startsWith('drop') && !entry.fault?.endsWith(':drop'))
			entry.status = reply.statusCode;
		entry.durationMs = Math.round(reply.elapsedTime * 100) / 100;
	});
	registerFaultHooks(app, ctx);
	registerAuthHook(app, ctx, routes);

	app.addHook('preValidation', async (request) => {
		const operationId = request.routeOptions.config?.operationId;
		if (!operationId) return;
		const rulesOperation = routes.get(operationId)?.operation['x-scravio-campaign-rules'];
		let errors: FieldError[] = [];
		if (rulesOperation) {
			// The shared rules table first: its messages name the exact input (inputs.hashtags[2]).
			const violations = validateCampaignRequest(request.body, {
				operation: rulesOperation,
				plan: planOf(ctx, request.caller),
			});
			errors = violations.map((v) => ({ param: v.param, msg: v.msg, location: 'body' as const }));
		}
		errors.push(...validator.validate(operationId, request as never, errors.length > 0));
		if (errors.length > 0) throw validationError(errors);
	});

	app.addHook('preHandler', async (request) => {
		if (request.routeOptions.config?.operationId) await settle(ctx);
	});

	app.addHook('onSend', async (request, reply, payload) => {
		reply.header('x-request-id', request.id);
		// The API's own clock (virtual time), as a real server's Date header carries its clock.
		reply.header('date', new Date(ctx.clock.now()).toUTCString());
		return payload;
	});

	app.setErrorHandler((error, request, reply) => {
		if (error instanceof ApiError) {
			for (const [name, value] of Object.entries(error.headers)) {
				if (name !== 'retry-after') reply.header(name, value);
				else {
					const shown = retryAfterHeader(ctx.config.readings.retryAfter, Number(value));
					if (shown !== undefined) reply.header(name, shown);
				}
			}
			return reply.code(error.statusCode).send(errorBody(error, request.id));
		}
		const code = (error as { code?: string }).code ?? '';
		const status = (error as { statusCode?: number }).statusCode ?? 500;
		if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
			const body = validationError([
				{ param: 'Content-Type', msg: 'Send the body as application/json', location: 'headers' },
			]);
			return reply.code(400).send(errorBody(body, request.id));
		}
		if (code.startsWith('FST_ERR_CTP') || status === 400 || status === 413) {
			const body = validationError([
				{ param: 'body', msg: (error as Error).message, location: 'body' },
			]);
			return reply.code(400).send(errorBody(body, request.id));
		}
		ctx.log(
			`internal error on ${request.method} ${request.url}: ${(error as Error).stack ?? error}`,
		);
		return reply
			.code(500)
			.send(
				errorBody(
					new ApiError(500, 'INTERNAL_ERROR', 'Unexpected sandbox error, retry later'),
					request.id,
				),
			);
	});

	app.setNotFoundHandler((request, reply) => {
		reply
			.code(404)
			.send(
				errorBody(
					new ApiError(404, 'NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`),
					request.id,
				),
			);
	});

	await app.register(
		async (api) => {
			registerAccountRoutes(api, ctx, routes);
			registerCampaignRoutes(api, ctx, routes);
			registerCampaignValidationRoutes(api, ctx, routes);
			registerValidationJobRoutes(api, ctx, routes);
			registerExportRoutes(api, ctx, routes);
			registerCreditRoutes(api, ctx, routes);
		},
		{ prefix: '/api' },
	);
	await app.register(async (admin) => registerAdminRoutes(admin, ctx), { prefix: '/__sandbox' });

	// Every operation of the contract must have a handler.
	const missing = [...routes.values()].filter(
		(route) => !app.hasRoute({ method: route.method, url: `/api${route.fastifyPath}` }),
	);
	if (missing.length > 0)
		throw new Error(
			`No handler for contract operations: ${missing.map((r) => r.operationId).join(', ')}`,
		);
	return app;
}
