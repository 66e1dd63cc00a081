/**
 * Campaign routes: reserve-preview, create, list, export schemas, detail, leads, stop.
 * Bodies of create/preview are already checked (campaign rules + contract) by the validation hook.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
	CAMPAIGN_TYPE_RULES,
	isCampaignType,
	type CampaignType,
} from '../../../nodes/api/campaignRules';
import {
	campaignPhase,
	TERMINAL_STATUSES,
	type CampaignRecord,
	type CampaignStatus,
	type CampaignView,
} from '../../model/campaignModel';
import type { ContractRoute } from '../contract';
import type { SandboxContext } from '../context';
import { ApiError, insufficientCredits, notFound } from '../errors';
import { EXPORT_SCHEMAS } from '../../model/exportFiles';
import type { LeadFilters } from '../../model/leads';
import { priceCampaign, reservePreviewBody, type CampaignPricingInput } from '../../model/pricing';
import { tick } from '../../simulation/simulation';
import {
	caller,
	compare,
	dateParam,
	defineRoute,
	enforceRateLimit,
	iso,
	pagination,
	paging,
	workspaceOf,
	wrapped,
	masksEmails,
} from './util';

interface CampaignBody {
	title?: string;
	type: CampaignType;
	inputs: Record<string, unknown>;
	targetEmails?: number;
	maxCreditCap?: number;
	enableEmailValidation?: boolean;
	enableDeepEmailSearch?: boolean;
	enrichIgPosts?: boolean;
}

function pricingInput(body: CampaignBody): CampaignPricingInput {
	return {
		type: body.type,
		inputs: body.inputs,
		targetEmails: body.targetEmails ?? null,
		maxCreditCap: body.maxCreditCap ?? null,
		enableEmailValidation: body.enableEmailValidation ?? false,
		enableDeepEmailSearch: body.enableDeepEmailSearch ?? false,
		enrichIgPosts: body.enrichIgPosts ?? false,
	};
}

export function toApiCampaign(c: CampaignRecord, view: CampaignView) {
	return {
		id: c.id,
		title: c.title,
		type: c.type,
		status: view.status,
		inputs: c.inputs,
		targetEmails: c.targetEmails,
		targetMode: CAMPAIGN_TYPE_RULES[c.type].targetMode,
		maxCreditCap: c.maxCreditCap,
		progressPercentage: view.progressPercentage,
		emailCount: view.emailCount,
		profileCount: view.profileCount,
		enableEmailValidation: c.enableEmailValidation,
		enableDeepEmailSearch: c.enableDeepEmailSearch,
		createdAt: new Date(c.createdAt).toISOString(),
		updatedAt: new Date(view.updatedAt).toISOString(),
		finishedAt: iso(view.finishedAt),
	};
}

export function toApiCampaignDetail(c: CampaignRecord, view: CampaignView) {
	const pv = view.postValidation;
	return {
		...toApiCampaign(c, view),
		postValidation: pv
			? {
					status: pv.status,
					total: pv.total,
					validated: pv.validated,
					valid: pv.valid,
					invalid: pv.invalid,
				}
			: null,
	};
}

/** The campaign if it is in the caller's workspace; another workspace's campaign is "not found". */
export function findCampaign(
	ctx: SandboxContext,
	request: FastifyRequest,
	id: string,
): CampaignRecord {
	const c = ctx.state.campaigns.get(id);
	if (!c || c.workspaceId !== workspaceOf(request).id) throw notFound('Campaign');
	return c;
}

const STATUS_ORDER: CampaignStatus[] = [
	'pending',
	'scraping',
	'scraping_completed',
	'processing_emails',
	'fully_completed',
	'stopped',
	'failed',
];
const PLATFORM_ALIASES: Record<string, string> = {
	twitter: 'x',
	googlemaps: 'google_maps',
	maps: 'google_maps',
};

function matchesType(c: CampaignRecord, filter: string): boolean {
	if (isCampaignType(filter.toUpperCase())) return c.type === filter.toUpperCase();
	const platform = PLATFORM_ALIASES[filter.toLowerCase()] ?? filter.toLowerCase();
	return CAMPAIGN_TYPE_RULES[c.type].platform === platform;
}

function searchText(c: CampaignRecord): string {
	return `${c.title} ${Object.values(c.inputs)
		.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)))
		.join(' ')}`.toLowerCase();
}

export function registerCampaignRoutes(
	app: FastifyInstance,
	ctx: SandboxContext,
	routes: Map<string, ContractRoute>,
): void {
	defineRoute(app, routes, 'previewCampaignCost', async (request) => {
		return wrapped(
			request,
			reservePreviewBody(priceCampaign(pricingInput(request.body as CampaignBody))),
		);
	});

	defineRoute(app, routes, 'createCampaign', async (request, reply) => {
		const body = request.body as CampaignBody;
		const { account } = caller(request);
		const ws = workspaceOf(request);
		const now = ctx.clock.now();
		const price = priceCampaign(pricingInput(body));
		const limit = account.subscription.concurrentCampaignLimit;
		if (ctx.state.campaigns.runningCampaignsOf(account.id, now) >= limit) {
			throw new ApiError(
				400,
				'CONCURRENT_CAMPAIGN_LIMIT',
				`Your plan allows ${limit} running campaign(s) at a time; wait for one to finish or stop one`,
			);
		}
		if (account.credits < price.creditReserved)
			throw insufficientCredits(price.creditReserved, account.credits);
		const c = ctx.state.campaigns.launchCampaign(
			{
				workspaceId: ws.id,
				accountId: account.id,
				title: body.title,
				type: body.type,
				inputs: structuredClone(body.inputs),
				targetEmails: body.targetEmails ?? null,
				maxCreditCap: body.maxCreditCap ?? null,
				enableEmailValidation: body.enableEmailValidation ?? false,
				enableDeepEmailSearch: body.enableDeepEmailSearch ?? false,
				enrichIgPosts: body.enrichIgPosts ?? false,
				createdAt: now,
			},
			price,
		);
		reply.code(201);
		return {
			campaign: toApiCampaign(c, ctx.state.campaigns.view(c, now, masksEmails(ctx, account))),
		};
	});

	defineRoute(app, routes, 'listCampaigns', async (request) => {
		const query = request.query as Record<string, unknown>;
		const ws = workspaceOf(request);
		const now = ctx.clock.now();
		const { page, size, offset } = paging(ctx, query);
		const from = dateParam(query, 'from', false);
		const to = dateParam(query, 'to', true);
		const q =
			typeof query.q === 'string' && query.q.trim() !== ''
				? query.q.trim().toLowerCase()
				: undefined;
		const type = typeof query.type === 'string' && query.type !== '' ? query.type : undefined;
		const status = query.status as CampaignStatus | undefined;
		const sortBy = (query.sortBy as string) ?? 'createdAt';
		const desc = (query.order ?? 'desc') === 'desc';

		let rows = (ctx.state.campaigns.byWorkspace.get(ws.id) ?? []).map((c, index) => ({
			c,
			index,
			phase: campaignPhase(c, now),
		}));
		rows = rows.filter(
			({ c, phase }) =>
				(status === undefined || phase.status === status) &&
				(type === undefined || matchesType(c, type)) &&
				(from === undefined || c.createdAt >= from) &&
				(to === undefined || c.createdAt <= to) &&
				(q === undefined || searchText(c).includes(q)),
		);
		const key = (row: (typeof rows)[number]): number =>
			sortBy === 'progress'
				? row.phase.progress
				: sortBy === 'status'
					? STATUS_ORDER.indexOf(row.phase.status)
					: row.c.createdAt;
		rows.sort((a, b) => (desc ? -1 : 1) * (compare(key(a), key(b)) || compare(a.index, b.index)));
		const masked = masksEmails(ctx, caller(request).account);
		return {
			items: rows
				.slice(offset, offset + size)
				.map(({ c }) => toApiCampaign(c, ctx.state.campaigns.view(c, now, masked))),
			pagination: pagination(rows.length, page, size),
		};
	});

	defineRoute(app, routes, 'getExportSchemas', async (request) =>
		wrapped(request, { schemas: EXPORT_SCHEMAS }),
	);

	defineRoute(app, routes, 'getCampaign', async (request) => {
		const c = findCampaign(ctx, request, (request.params as { id: string }).id);
		return {
			campaign: toApiCampaignDetail(
				c,
				ctx.state.campaigns.view(c, ctx.clock.now(), masksEmails(ctx, caller(request).account)),
			),
		};
	});

	defineRoute(app, routes, 'listCampaignLeads', async (request) => {
		const c = findCampaign(ctx, request, (request.params as { id: string }).id);
		const query = request.query as Record<string, unknown>;
		const { page, size, offset } = paging(ctx, query);
		const view = ctx.state.campaigns.view(
			c,
			ctx.clock.now(),
			masksEmails(ctx, caller(request).account),
		);
		const leads = ctx.state.campaigns.leadSetFor(c);
		const filters: LeadFilters = {
			hasEmail: query.hasEmail as boolean | undefined,
			validationStatus: query.validationStatus as LeadFilters['validationStatus'],
			platform: query.platform as string | undefined,
			sourceType: query.sourceType as string | undefined,
			emailSource: query.emailSource as string | undefined,
			sortBy: (query.sortBy as LeadFilters['sortBy']) ?? 'hasEmail',
			order: (query.order as LeadFilters['order']) ?? 'desc',
		};
		const indices = leads.query(view.snapshot, filters);
		const items: unknown[] = [];
		for (let k = offset; k < Math.min(indices.length, offset + size); k++)
			items.push(leads.toApiLead(indices[k], view.snapshot));
		return { items, pagination: pagination(indices.length, page, size) };
	});

	defineRoute(app, routes, 'stopCampaign', async (request) => {
		const c = findCampaign(ctx, request, (request.params as { id: string }).id);
		enforceRateLimit(ctx, routes, request, c.id);
		const now = ctx.clock.now();
		const view = ctx.state.campaigns.view(c, now);
		if (TERMINAL_STATUSES.has(view.status)) {
			// Safe to call more than once: a stopped campaign stays stopped; a finished one is left alone.
			return {
				campaignId: c.id,
				stopRequested: view.status === 'stopped',
				status: view.status,
				stoppedReason: view.status === 'stopped' ? (c.stoppedReason ?? null) : null,
			};
		}
		const reason = (request.body as { reason?: string } | undefined)?.reason;
		c.stoppedAt = now;
		c.stoppedReason = reason ?? null;
		c.touchedAt = now;
		tick(ctx.state, now);
		return {
			campaignId: c.id,
			stopRequested: true,
			status: 'stopped',
			stoppedReason: c.stoppedReason,
		};
	});
}
