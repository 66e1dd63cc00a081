/**
 * The simulation: what moves the model through (virtual) time, and the steps every layer above
 * runs. `settle` books what virtual time has made due (credits of ended campaigns and of
 * post-campaign validations) and sends the export webhooks that are due; `reset` builds a fresh
 * World from the same seed. The HTTP layer calls these on every API request, from the admin routes
 * and from the sandbox's ticker; nothing here knows about HTTP.
 */
import {
	TERMINAL_STATUSES,
	postValidationView,
	type CampaignRecord,
	type CampaignView,
} from '../model/campaignModel';
import { exportView, toApiExport, type ExportRecord } from '../model/exportModel';
import type { FileStore } from '../model/files';
import { details } from '../model/ledger';
import { World } from '../model/world';
import type { VirtualClock } from './clock';
import type { SandboxOptions } from './config';
import type { FaultInjector } from './faults';
import type { RateLimiter } from './rateLimit';
import type { WebhookSender } from './webhooks';

/** Everything the simulation moves or consults. The HTTP layer's context extends it. */
export interface Simulation {
	/** Live options (PATCH /__sandbox/config changes them). */
	config: SandboxOptions;
	clock: VirtualClock;
	/** The model (replaced on reset). */
	state: World;
	/** Documented rate limits: hits per key on the virtual clock (cleared on reset). */
	rateLimiter: RateLimiter;
	faults: FaultInjector;
	files: FileStore;
	webhooks: WebhookSender;
	log(message: string): void;
}

/**
 * Books what virtual time has made due: credits of ended campaigns and validations. Returns the
 * exports whose webhook is now due (the caller sends them, see settle()).
 */
export function tick(world: World, now: number): ExportRecord[] {
	const campaigns = world.campaigns;
	for (const c of campaigns.unsettled) {
		const view = campaigns.view(c, now);
		if (!TERMINAL_STATUSES.has(view.status)) continue;
		settleCampaign(world, c, view);
	}
	for (const c of campaigns.pendingPostValidations) {
		const pv = c.postValidation!;
		const view = postValidationView(pv, now);
		if (view.status !== 'completed') continue;
		campaigns.pendingPostValidations.delete(c);
		pv.settled = true;
		world.ledger.post(world.accounts.get(pv.accountId)!, {
			at: view.completedAt,
			type: 'use',
			amount: 0,
			description: `Validated ${view.total} emails of campaign "${c.title}"`,
			campaignId: c.id,
			details: details({
				kind: 'validation_use',
				reservedCredits: pv.creditCost,
				usedCredits: pv.creditCost,
				returnedCredits: 0,
			}),
		});
	}
	const due: ExportRecord[] = [];
	for (const e of world.exportStore.awaitingWebhook) {
		const status = exportView(e, now).status;
		if (status === 'completed' || status === 'failed') {
			world.exportStore.awaitingWebhook.delete(e);
			e.webhookDone = true;
			due.push(e);
		}
	}
	return due;
}

/** An ended campaign: books `use` (0, the used credits in details) and `return` (the unused ones). */
function settleCampaign(world: World, c: CampaignRecord, view: CampaignView): void {
	world.campaigns.unsettled.delete(c);
	c.settled = true;
	const price = c.price!;
	const delivered =
		price.targetMode === 'ITEM_LIMIT'
			? view.profileCount / Math.max(1, price.scanCount)
			: view.emailCount / Math.max(1, price.targetEmails ?? 1);
	const used = Math.min(c.creditReserved, Math.ceil(price.estimatedCredits * delivered));
	const returned = c.creditReserved - used;
	const account = world.accounts.get(c.accountId)!;
	const at = view.finishedAt ?? view.updatedAt;
	world.ledger.post(account, {
		at,
		type: 'use',
		amount: 0,
		description: `Campaign "${c.title}" used ${used} credits (${view.status})`,
		campaignId: c.id,
		details: details({
			kind: 'campaign_use',
			reservedCredits: c.creditReserved,
			usedCredits: used,
			returnedCredits: returned,
		}),
	});
	world.ledger.post(account, {
		at,
		type: 'return',
		amount: returned,
		description: `Returned ${returned} unused credits of campaign "${c.title}"`,
		campaignId: c.id,
		details: details({
			kind: 'campaign_return',
			reservedCredits: c.creditReserved,
			usedCredits: used,
			returnedCredits: returned,
		}),
	});
}

/** Settles due ledger entries and sends due webhooks; resolves when the webhooks are delivered. */
export async function settle(sim: Simulation): Promise<void> {
	const now = sim.clock.now();
	const due = tick(sim.state, now);
	await Promise.all(
		due.map((e) => sim.webhooks.send(e, toApiExport(e, now), new Date(now).toISOString())),
	);
}

/** Moves virtual time forward, then settles what became due. */
export async function advance(sim: Simulation, ms: number): Promise<void> {
	sim.clock.advance(ms);
	await settle(sim);
}

/** Fresh state from the same seed; forgets rate-limit counters, scripted faults, files and webhooks. */
export function reset(sim: Simulation): void {
	sim.state = new World(sim.config.seed, sim.config.largeData, sim.clock.now());
	sim.rateLimiter.clear();
	sim.files.clear();
	sim.faults.clear();
	sim.webhooks.clear();
}
