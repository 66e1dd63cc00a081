/**
 * Campaigns: building one (sizing its lead list so the email goal is met), storing it, launching it
 * from an API request (the credit reserve), its lead set (an LRU cache) and its view at a moment.
 * Also the sample campaigns and the large-data campaigns of the seed, and the campaigns whose
 * credits (or post-campaign validation) the simulation has still to settle.
 */
import { CAMPAIGN_TYPE_RULES, type CampaignType } from '../../nodes/api/campaignRules';
import type { Account } from './accountStore';
import {
	autoTitle,
	buildTimeline,
	campaignView,
	TERMINAL_STATUSES,
	wantsFailure,
	type CampaignFields,
	type CampaignRecord,
	type CampaignView,
} from './campaignModel';
import type { IdSource } from './ids';
import { details, type Ledger } from './ledger';
import { LeadSet } from './leads';
import { priceCampaign, supportsDeepEmailSearch, type CampaignPrice } from './pricing';
import { PRESETS } from './presets';
import { hashString, mix32, unit } from './random';
import { ALL_TYPES, SAMPLE_CAMPAIGNS, sampleInputsFor } from './seedData';

/** A campaign to build: the campaign fields, with the title optional (autoTitle() when absent). */
export interface NewCampaign extends Omit<CampaignFields, 'title'> {
	title?: string;
}

const LEAD_SET_CACHE_SIZE = 2000;

export class CampaignStore {
	readonly records = new Map<string, CampaignRecord>();
	/** Campaigns of each workspace, oldest first. */
	readonly byWorkspace = new Map<string, CampaignRecord[]>();
	/** Campaigns whose credits are not settled yet (the simulation checks them on every tick). */
	readonly unsettled = new Set<CampaignRecord>();
	/** Campaigns whose post-campaign validation is not booked as used yet. */
	readonly pendingPostValidations = new Set<CampaignRecord>();
	private readonly leadSets = new Map<string, LeadSet>();

	constructor(
		private readonly seed: number,
		private readonly ids: IdSource,
		private readonly ledger: Ledger,
		private readonly accounts: Map<string, Account>,
	) {}

	get(id: string): CampaignRecord | undefined {
		return this.records.get(id);
	}

	// ------------------------------------------------------------- seeding

	seedSampleCampaigns(now: number): void {
		for (const sample of SAMPLE_CAMPAIGNS) {
			const createdAt = now - sample.daysAgo * 86_400_000;
			const c = this.buildCampaign(
				sample.id,
				{
					workspaceId: sample.workspaceId,
					accountId: sample.accountId,
					title: sample.title,
					type: sample.type,
					inputs: sample.inputs,
					targetEmails: sample.targetEmails,
					maxCreditCap: null,
					enableEmailValidation: Boolean(sample.enableEmailValidation),
					enableDeepEmailSearch: Boolean(sample.enableDeepEmailSearch),
					enrichIgPosts: false,
					createdAt,
				},
				{ seeded: true },
			);
			const t = c.timeline;
			if (sample.outcome === 'stopped') {
				c.stoppedAt = Math.floor(t.scrapeStart + 0.6 * (t.scrapeEnd - t.scrapeStart));
				c.stoppedReason = 'Enough leads for this week';
			} else if (sample.outcome === 'failed') {
				c.failedAt = Math.floor(t.scrapeStart + 0.3 * (t.scrapeEnd - t.scrapeStart));
			}
			this.insertCampaign(c);
		}
	}

	/** ws_large: 10,000 campaigns (a mix of statuses, some running) and cmp_large_100k. */
	seedLargeData(now: number): void {
		const demo = PRESETS.accounts.demo.id;
		const ws = PRESETS.workspaces.large;
		const base = hashString('large-data', this.seed >>> 0);
		const count = 10_000;
		const records: CampaignRecord[] = [];
		for (let n = 0; n < count; n++) {
			const type = ALL_TYPES[Math.floor(unit(base, n, 1) * ALL_TYPES.length)] as CampaignType;
			const roll = unit(base, n, 2);
			const running = roll >= 0.94;
			// Finished ones spread over the last year; running ones started within the last minute.
			const createdAt = running
				? now - Math.floor(unit(base, n, 3) * 60_000)
				: now - 3_600_000 - Math.floor(unit(base, n, 3) * 365 * 86_400_000);
			const rule = CAMPAIGN_TYPE_RULES[type];
			const leadCount = 30 + Math.floor(unit(base, n, 4) ** 2 * 1500);
			const inputs = sampleInputsFor(type, n);
			const c = this.buildCampaign(
				`cmp_large_${String(n + 1).padStart(5, '0')}`,
				{
					workspaceId: ws,
					accountId: demo,
					type,
					inputs,
					targetEmails:
						rule.targetMode === 'ITEM_LIMIT' ? null : Math.max(10, Math.round(leadCount * 0.4)),
					maxCreditCap: null,
					enableEmailValidation: unit(base, n, 5) < 0.3,
					enableDeepEmailSearch: false,
					enrichIgPosts: false,
					createdAt,
				},
				{ seeded: true, leadCount, paceFactor: running ? 10 : 1 },
			);
			const t = c.timeline;
			if (roll >= 0.85 && roll < 0.9)
				c.stoppedAt = Math.floor(t.scrapeStart + 0.5 * (t.scrapeEnd - t.scrapeStart));
			else if (roll >= 0.9 && roll < 0.94)
				c.failedAt = Math.floor(t.scrapeStart + 0.3 * (t.scrapeEnd - t.scrapeStart));
			records.push(c);
		}
		const big = this.buildCampaign(
			PRESETS.largeCampaignId,
			{
				workspaceId: ws,
				accountId: demo,
				title: 'Large: 100k leads',
				type: 'INSTAGRAM_HASHTAG',
				inputs: { hashtags: ['fitness', 'travel', 'coffee'] },
				targetEmails: 45_000,
				maxCreditCap: null,
				enableEmailValidation: true,
				enableDeepEmailSearch: true,
				enrichIgPosts: false,
				createdAt: now - 2 * 86_400_000,
			},
			{ seeded: true, leadCount: 100_000 },
		);
		records.push(big);
		records.sort((a, b) => a.createdAt - b.createdAt);
		for (const c of records) this.insertCampaign(c);
	}

	// ----------------------------------------------------------- campaigns

	/** Builds (does not store) a campaign, sizing its lead list so the email goal is met exactly. */
	buildCampaign(
		id: string,
		spec: NewCampaign,
		opts: { seeded: boolean; leadCount?: number; paceFactor?: number; price?: CampaignPrice },
	): CampaignRecord {
		const rule = CAMPAIGN_TYPE_RULES[spec.type];
		const price = opts.price ?? priceCampaign(spec);
		const leadBase = mix32(hashString(id, this.seed >>> 0));
		const deepSearch = spec.enableDeepEmailSearch && supportsDeepEmailSearch(rule);
		let leadCount = opts.leadCount;
		if (leadCount === undefined) {
			if (rule.targetMode === 'ITEM_LIMIT') {
				const targets = Array.isArray(spec.inputs.profileTargets)
					? spec.inputs.profileTargets.length
					: 0;
				leadCount = Math.min(
					targets,
					Math.floor(price.maxCreditCap / Math.max(0.01, price.unitCost)),
				);
			} else {
				const planned = Math.min(spec.targetEmails ?? 0, price.estimatedReachableEmailsAtCap ?? 0);
				const yieldShare = 0.95 + 0.05 * unit(leadBase, 0, 99);
				const goal = Math.max(1, Math.round(planned * yieldShare));
				leadCount = leadsNeededFor(goal, {
					campaignId: id,
					base: leadBase,
					type: spec.type,
					inputs: spec.inputs,
					deepSearch,
				});
			}
		}
		const timeline = buildTimeline(spec.createdAt, leadCount, opts.paceFactor ?? 1);
		const c: CampaignRecord = {
			id,
			workspaceId: spec.workspaceId,
			accountId: spec.accountId,
			title: spec.title ?? autoTitle(spec.type, spec.inputs, spec.createdAt),
			type: spec.type,
			inputs: spec.inputs,
			targetEmails: rule.targetMode === 'ITEM_LIMIT' ? null : spec.targetEmails,
			maxCreditCap: price.maxCreditCap,
			enableEmailValidation: spec.enableEmailValidation,
			enableDeepEmailSearch: deepSearch,
			enrichIgPosts: spec.enrichIgPosts && rule.enrichIgPosts,
			createdAt: spec.createdAt,
			leadCount,
			timeline,
			touchedAt: spec.createdAt,
			price,
			creditReserved: opts.seeded ? 0 : price.creditReserved,
			settled: opts.seeded,
			seeded: opts.seeded,
			leadBase,
		};
		if (!opts.seeded && wantsFailure(spec.title, spec.inputs)) {
			c.failedAt = Math.floor(
				timeline.scrapeStart + 0.4 * (timeline.scrapeEnd - timeline.scrapeStart),
			);
		}
		return c;
	}

	insertCampaign(c: CampaignRecord): void {
		this.records.set(c.id, c);
		const list = this.byWorkspace.get(c.workspaceId);
		if (list) list.push(c);
		else this.byWorkspace.set(c.workspaceId, [c]);
		if (!c.settled) this.unsettled.add(c);
	}

	/** Creates a campaign from an API request: reserves its credits in the ledger. */
	launchCampaign(spec: NewCampaign, price: CampaignPrice): CampaignRecord {
		const account = this.accounts.get(spec.accountId)!;
		const c = this.buildCampaign(this.ids.next('cmp', 'campaign'), spec, { seeded: false, price });
		this.insertCampaign(c);
		this.ledger.post(account, {
			at: spec.createdAt,
			type: 'reserve',
			amount: -price.creditReserved,
			description: `Reserved ${price.creditReserved} credits for campaign "${c.title}"`,
			campaignId: c.id,
			details: details({ kind: 'campaign_reserve', reservedCredits: price.creditReserved }),
		});
		return c;
	}

	leadSetFor(c: CampaignRecord): LeadSet {
		let set = this.leadSets.get(c.id);
		if (set) {
			// Refresh LRU position.
			this.leadSets.delete(c.id);
			this.leadSets.set(c.id, set);
			return set;
		}
		set = new LeadSet({
			campaignId: c.id,
			base: c.leadBase,
			type: c.type,
			inputs: c.inputs,
			leadCount: c.leadCount,
			deepSearch: c.enableDeepEmailSearch,
			scrapeStart: c.timeline.scrapeStart,
			scrapeDuration: c.timeline.scrapeEnd - c.timeline.scrapeStart,
		});
		if (this.leadSets.size >= LEAD_SET_CACHE_SIZE)
			this.leadSets.delete(this.leadSets.keys().next().value as string);
		this.leadSets.set(c.id, set);
		return set;
	}

	view(c: CampaignRecord, now: number, masked = false): CampaignView {
		return campaignView(c, this.leadSetFor(c), now, masked);
	}

	/** Campaigns of an account that are still running (its concurrent campaign count). */
	runningCampaignsOf(accountId: string, now: number): number {
		let running = 0;
		for (const c of this.unsettled) {
			if (c.accountId === accountId && !TERMINAL_STATUSES.has(this.view(c, now).status)) running++;
		}
		return running;
	}

	trackPostValidation(c: CampaignRecord): void {
		this.pendingPostValidations.add(c);
	}
}

/** Smallest lead count whose leads carry exactly `goal` emails. */
function leadsNeededFor(
	goal: number,
	spec: {
		campaignId: string;
		base: number;
		type: CampaignType;
		inputs: Record<string, unknown>;
		deepSearch: boolean;
	},
): number {
	let guess = Math.max(50, Math.ceil(goal * 6) + 50);
	for (;;) {
		const probe = new LeadSet({ ...spec, leadCount: guess, scrapeStart: 0, scrapeDuration: 1 });
		let emails = 0;
		for (let i = 0; i < guess; i++) {
			if (probe.emailSourceOf(i) !== null) emails++;
			if (emails === goal) return i + 1;
		}
		guess *= 2;
	}
}
