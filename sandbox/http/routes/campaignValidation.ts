/** Post-campaign validation: GET /campaigns/{id}/validate/preview and POST /campaigns/{id}/validate. */
import type { FastifyInstance } from 'fastify';
import type { CampaignRecord, CampaignView } from '../../model/campaignModel';
import type { ContractRoute } from '../contract';
import type { SandboxContext } from '../context';
import { ApiError, conflict, insufficientCredits } from '../errors';
import { details } from '../../model/ledger';
import { PRICES } from '../../model/pricing';
import type { World } from '../../model/world';
import { findCampaign } from './campaigns';
import { caller, defineRoute, enforceRateLimit } from './util';

/** Only finished (fully_completed) or stopped campaigns can be validated after the fact. */
const VALIDATABLE = new Set(['fully_completed', 'stopped']);

interface Eligibility {
	selection: Int32Array;
	creditCost: number;
	running: boolean;
	finished: boolean;
}

function eligibility(state: World, c: CampaignRecord, view: CampaignView): Eligibility {
	const running = Boolean(view.postValidation && view.postValidation.status !== 'completed');
	const finished = VALIDATABLE.has(view.status);
	const leads = state.campaigns.leadSetFor(c);
	const picked: number[] = [];
	// Emails validated during the campaign or by an earlier post-validation are not selected again.
	if (finished && !running) {
		for (let i = 0; i < view.snapshot.visible; i++) {
			if (leads.validationStatus(i, view.snapshot) === 'pending') picked.push(i);
		}
	}
	const selection = Int32Array.from(picked);
	return {
		selection,
		creditCost: selection.length * PRICES.perPostValidationEmail,
		running,
		finished,
	};
}

export function registerCampaignValidationRoutes(
	app: FastifyInstance,
	ctx: SandboxContext,
	routes: Map<string, ContractRoute>,
): void {
	defineRoute(app, routes, 'previewCampaignValidation', async (request) => {
		const c = findCampaign(ctx, request, (request.params as { id: string }).id);
		const { account } = caller(request);
		const e = eligibility(ctx.state, c, ctx.state.campaigns.view(c, ctx.clock.now()));
		const hasSufficientCredits = account.credits >= e.creditCost;
		return {
			campaignId: c.id,
			emailsToValidate: e.selection.length,
			creditCost: e.creditCost,
			currentBalance: account.credits,
			hasSufficientCredits,
			canValidate: e.finished && !e.running && e.selection.length > 0 && hasSufficientCredits,
		};
	});

	defineRoute(app, routes, 'startCampaignValidation', async (request, reply) => {
		const c = findCampaign(ctx, request, (request.params as { id: string }).id);
		enforceRateLimit(ctx, routes, request, c.id);
		const { account } = caller(request);
		const now = ctx.clock.now();
		const view = ctx.state.campaigns.view(c, now);
		const e = eligibility(ctx.state, c, view);
		if (e.running)
			throw conflict(
				'VALIDATION_ALREADY_RUNNING',
				'Validation is already running for this campaign',
			);
		if (!e.finished) {
			throw new ApiError(
				400,
				'CAMPAIGN_NOT_VALIDATABLE',
				`Only completed or stopped campaigns can be validated; this one is ${view.status}`,
			);
		}
		if (e.selection.length === 0)
			throw new ApiError(400, 'NOTHING_TO_VALIDATE', 'This campaign has no unvalidated emails');
		if (account.credits < e.creditCost) throw insufficientCredits(e.creditCost, account.credits);

		const leads = ctx.state.campaigns.leadSetFor(c);
		const validPrefix = new Int32Array(e.selection.length + 1);
		e.selection.forEach(
			(i, k) => (validPrefix[k + 1] = validPrefix[k] + (leads.emailIsValid(i) ? 1 : 0)),
		);
		const jobId = ctx.state.ids.next('cval', 'campaign-validation');
		c.postValidation = {
			jobId,
			accountId: account.id,
			startedAt: now,
			selection: e.selection,
			validPrefix,
			creditCost: e.creditCost,
			settled: false,
		};
		c.touchedAt = now;
		ctx.state.ledger.post(account, {
			at: now,
			type: 'reserve',
			amount: -e.creditCost,
			description: `Reserved ${e.creditCost} credits to validate ${e.selection.length} emails of campaign "${c.title}"`,
			campaignId: c.id,
			details: details({ kind: 'validation_reserve', reservedCredits: e.creditCost }),
		});
		ctx.state.campaigns.trackPostValidation(c);
		reply.code(202);
		return {
			campaignId: c.id,
			jobId,
			emailsToValidate: e.selection.length,
			creditCost: e.creditCost,
			status: 'queued',
			requestId: request.id,
		};
	});
}
