/**
 * Admin routes under /__sandbox (outside /api, no auth, loopback clients only): configuration,
 * clock, reset, request logs, scripted faults, outcomes of campaigns/jobs/exports, account and
 * workspace settings. See sandbox/README.md for the list.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TERMINAL_STATUSES } from '../model/campaignModel';
import type { SandboxContext } from './context';
import { ApiError } from './errors';
import { exportCompletesAt, exportView } from '../model/exportModel';
import { readingsProblem, type Readings } from '../simulation/config';
import { FaultInjector, type FaultSpec } from '../simulation/faults';
import { details } from '../model/ledger';
import { PRESETS, ROLE_PERMISSIONS } from '../model/presets';
import { EXTRA_ACCESS_TOKENS, EXTRA_API_KEYS, SAMPLE_CAMPAIGNS } from '../model/seedData';
import { jobView } from '../model/validationModel';
import { reset, settle } from '../simulation/simulation';
import { toApiCampaignDetail } from './routes/campaigns';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const bad = (message: string) => new ApiError(400, 'BAD_ADMIN_REQUEST', message);
const missing = (what: string) => new ApiError(404, 'NOT_FOUND', `${what} not found`);

type Body = Record<string, unknown>;
const bodyOf = (request: FastifyRequest): Body =>
	request.body && typeof request.body === 'object' ? (request.body as Body) : {};

export function publicConfig(ctx: SandboxContext) {
	const { config, clock } = ctx;
	return {
		host: config.host,
		port: config.port,
		seed: config.seed,
		largeData: config.largeData,
		clockSpeed: clock.speed,
		faults: { ...config.faults },
		allowInsecureWebhooks: config.allowInsecureWebhooks,
		enforceRateLimits: config.enforceRateLimits,
		readings: { ...config.readings },
	};
}

/** Changes some readings (PATCH /__sandbox/config {readings} or PATCH /__sandbox/readings). */
function patchReadings(ctx: SandboxContext, value: unknown): void {
	const problem = readingsProblem(value);
	if (problem) throw bad(problem);
	Object.assign(ctx.config.readings, value as Partial<Readings>);
}

export function registerAdminRoutes(app: FastifyInstance, ctx: SandboxContext): void {
	app.addHook('onRequest', async (request) => {
		if (!LOOPBACK.has(request.socket.remoteAddress ?? ''))
			throw new ApiError(403, 'FORBIDDEN', 'Admin routes answer loopback clients only');
	});

	app.get('/', async () => ({
		routes: [
			'GET /__sandbox/config',
			'PATCH /__sandbox/config',
			'GET /__sandbox/readings',
			'PATCH /__sandbox/readings',
			'POST /__sandbox/reset',
			'GET /__sandbox/clock',
			'POST /__sandbox/clock/advance',
			'GET /__sandbox/requests',
			'DELETE /__sandbox/requests',
			'GET /__sandbox/storage/requests',
			'DELETE /__sandbox/storage/requests',
			'GET /__sandbox/faults',
			'POST /__sandbox/faults',
			'DELETE /__sandbox/faults',
			'POST /__sandbox/campaigns/:id/outcome',
			'POST /__sandbox/validation-jobs/:id/outcome',
			'POST /__sandbox/exports/:id/outcome',
			'PATCH /__sandbox/accounts/:id',
			'POST /__sandbox/accounts/:id/credits',
			'PATCH /__sandbox/workspaces/:id',
			'POST /__sandbox/rate-limits/reset',
			'GET /__sandbox/webhooks',
			'DELETE /__sandbox/webhooks',
			'GET /__sandbox/presets',
		],
	}));

	app.get('/config', async () => publicConfig(ctx));

	app.patch('/config', async (request) => {
		const body = bodyOf(request);
		if (body.clockSpeed !== undefined) {
			if (typeof body.clockSpeed !== 'number' || !(body.clockSpeed >= 0))
				throw bad('clockSpeed must be a number >= 0');
			ctx.clock.setSpeed(body.clockSpeed);
			ctx.config.clockSpeed = body.clockSpeed;
		}
		if (body.faults !== undefined) {
			if (!body.faults || typeof body.faults !== 'object') throw bad('faults must be an object');
			for (const [key, value] of Object.entries(body.faults as Body)) {
				if (!(key in ctx.config.faults)) throw bad(`unknown fault setting ${key}`);
				if (typeof value !== 'number' || value < 0 || (key !== 'latencyMs' && value > 1))
					throw bad(`${key} must be a number (rates 0..1, latencyMs >= 0)`);
				(ctx.config.faults as unknown as Record<string, number>)[key] = value;
			}
		}
		if (body.readings !== undefined) patchReadings(ctx, body.readings);
		for (const flag of ['allowInsecureWebhooks', 'enforceRateLimits'] as const) {
			if (body[flag] !== undefined) {
				if (typeof body[flag] !== 'boolean') throw bad(`${flag} must be true or false`);
				ctx.config[flag] = body[flag] as boolean;
			}
		}
		return publicConfig(ctx);
	});

	app.get('/readings', async () => ({ ...ctx.config.readings }));
	app.patch('/readings', async (request) => {
		patchReadings(ctx, request.body ?? {});
		return { ...ctx.config.readings };
	});

	app.post('/reset', async () => {
		reset(ctx);
		return { reset: true, seed: ctx.config.seed, now: ctx.clock.nowIso() };
	});

	app.get('/clock', async () => ({
		now: ctx.clock.now(),
		iso: ctx.clock.nowIso(),
		speed: ctx.clock.speed,
	}));

	app.post('/clock/advance', async (request) => {
		const body = bodyOf(request);
		const ms =
			typeof body.ms === 'number'
				? body.ms
				: typeof body.seconds === 'number'
					? body.seconds * 1000
					: NaN;
		if (!(ms >= 0)) throw bad('send { ms } or { seconds } (>= 0)');
		ctx.clock.advance(ms);
		// Settle now so ledger entries and webhooks of what just finished exist when this answers.
		await settle(ctx);
		return { now: ctx.clock.now(), iso: ctx.clock.nowIso(), speed: ctx.clock.speed };
	});

	app.get('/requests', async (request) => {
		const query = request.query as Record<string, string>;
		const api =
			query.host === 'storage'
				? []
				: ctx.requestLog
						.list({ operationId: query.operationId, path: query.path })
						.map((e) => ({ host: 'api' as const, ...e }));
		const storage = query.host === 'api' || query.operationId ? [] : ctx.storage.log();
		const all = [...api, ...storage].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
		const limit = Number(query.limit);
		return { requests: limit > 0 ? all.slice(-limit) : all };
	});

	app.delete('/requests', async () => {
		ctx.requestLog.clear();
		ctx.storage.clearLog();
		return { cleared: true };
	});

	app.get('/storage/requests', async () => ({ requests: ctx.storage.log() }));
	app.delete('/storage/requests', async () => {
		ctx.storage.clearLog();
		return { cleared: true };
	});

	app.get('/faults', async () => ({ faults: ctx.faults.list() }));
	app.post('/faults', async (request, reply) => {
		const specs = Array.isArray(request.body)
			? (request.body as FaultSpec[])
			: [bodyOf(request) as unknown as FaultSpec];
		const added = specs.map((spec) => {
			const problem = FaultInjector.problem(spec);
			if (problem) throw bad(problem);
			return ctx.faults.add(spec);
		});
		reply.code(201);
		return { faults: added };
	});
	app.delete('/faults', async () => {
		ctx.faults.clear();
		return { cleared: true };
	});

	app.post('/campaigns/:id/outcome', async (request) => {
		const { id } = request.params as { id: string };
		const c = ctx.state.campaigns.get(id);
		if (!c) throw missing('Campaign');
		const body = bodyOf(request);
		const now = ctx.clock.now();
		if (TERMINAL_STATUSES.has(ctx.state.campaigns.view(c, now).status))
			throw new ApiError(409, 'CONFLICT', 'The campaign has already ended');
		if (body.status === 'failed') c.failedAt = now;
		else if (body.status === 'stopped') {
			c.stoppedAt = now;
			c.stoppedReason =
				typeof body.reason === 'string' ? body.reason : 'Stopped by the sandbox admin';
		} else if (body.status === 'fully_completed') c.completedAt = now;
		else throw bad('status must be failed, stopped or fully_completed');
		c.touchedAt = now;
		await settle(ctx);
		return { campaign: toApiCampaignDetail(c, ctx.state.campaigns.view(c, now)) };
	});

	app.post('/validation-jobs/:id/outcome', async (request) => {
		const job = ctx.state.validationJobs.get((request.params as { id: string }).id);
		if (!job) throw missing('Validation job');
		const status = bodyOf(request).status;
		if (status !== 'failed' && status !== 'cancelled')
			throw bad('status must be failed or cancelled');
		const now = ctx.clock.now();
		if (jobView(job, now).status === 'completed')
			throw new ApiError(409, 'CONFLICT', 'The job has already completed');
		job.endedAt = now;
		job.endedStatus = status;
		return { jobId: job.id, status: jobView(job, now).status };
	});

	app.post('/exports/:id/outcome', async (request) => {
		const e = ctx.state.exports.get((request.params as { id: string }).id);
		if (!e) throw missing('Export');
		if (bodyOf(request).status !== 'failed') throw bad('status must be failed');
		const now = ctx.clock.now();
		if (now >= exportCompletesAt(e))
			throw new ApiError(409, 'CONFLICT', 'The export has already completed');
		e.failedAt = now;
		await settle(ctx);
		return { exportId: e.id, status: exportView(e, now).status };
	});

	app.patch('/accounts/:id', async (request) => {
		const account = ctx.state.accounts.get((request.params as { id: string }).id);
		if (!account) throw missing('Account');
		const body = bodyOf(request);
		if (body.shouldMaskEmail !== undefined) account.shouldMaskEmail = Boolean(body.shouldMaskEmail);
		if (body.planId !== undefined)
			account.subscription.planId = body.planId === null ? null : String(body.planId);
		if (body.subscriptionStatus !== undefined)
			account.subscription.status =
				body.subscriptionStatus === null ? null : String(body.subscriptionStatus);
		if (body.concurrentCampaignLimit !== undefined) {
			if (
				!Number.isInteger(body.concurrentCampaignLimit) ||
				(body.concurrentCampaignLimit as number) < 0
			)
				throw bad('concurrentCampaignLimit must be an integer >= 0');
			account.subscription.concurrentCampaignLimit = body.concurrentCampaignLimit as number;
		}
		return { account };
	});

	app.post('/accounts/:id/credits', async (request) => {
		const account = ctx.state.accounts.get((request.params as { id: string }).id);
		if (!account) throw missing('Account');
		const amount = bodyOf(request).amount;
		if (typeof amount !== 'number' || !Number.isFinite(amount) || amount === 0)
			throw bad('amount must be a non-zero number (negative to take credits away)');
		const entry = ctx.state.ledger.post(account, {
			at: ctx.clock.now(),
			type: 'purchase',
			amount,
			description:
				amount > 0 ? `Purchased ${amount} credits` : `Adjusted balance by ${amount} credits`,
			details: details({
				kind: amount > 0 ? 'purchase' : 'adjustment',
				amountPaid: amount > 0 ? Math.round(amount * 0.2) / 100 : null,
				method: amount > 0 ? 'card' : null,
			}),
		});
		return { credits: account.credits, transaction: entry };
	});

	app.patch('/workspaces/:id', async (request) => {
		const ws = ctx.state.workspaces.get((request.params as { id: string }).id);
		if (!ws) throw missing('Workspace');
		const body = bodyOf(request);
		if (body.plan !== undefined) {
			if (!['paid', 'free', 'project_pass'].includes(body.plan as string))
				throw bad('plan must be paid, free or project_pass');
			ws.plan = body.plan as typeof ws.plan;
		}
		if (body.seatLimit !== undefined) ws.seatLimit = Number(body.seatLimit);
		return {
			workspace: {
				id: ws.id,
				name: ws.name,
				plan: ws.plan,
				seatLimit: ws.seatLimit,
				members: Object.fromEntries(ws.members),
			},
		};
	});

	app.post('/rate-limits/reset', async () => {
		ctx.rateLimiter.clear();
		return { cleared: true };
	});

	app.get('/webhooks', async () => ({ deliveries: ctx.webhooks.list() }));
	app.delete('/webhooks', async () => {
		ctx.webhooks.clear();
		return { cleared: true };
	});

	app.get('/presets', async () => ({
		...PRESETS,
		rolePermissions: ROLE_PERMISSIONS,
		extraApiKeys: EXTRA_API_KEYS,
		extraAccessTokens: EXTRA_ACCESS_TOKENS,
		sampleCampaigns: SAMPLE_CAMPAIGNS.map(({ id, workspaceId, title, type, outcome }) => ({
			id,
			workspaceId,
			title,
			type,
			outcome,
		})),
		workspaces: [...ctx.state.workspaces.values()].map((ws) => ({
			id: ws.id,
			name: ws.name,
			plan: ws.plan,
			members: Object.fromEntries(ws.members),
		})),
	}));
}
