/**
 * Campaign records and their timeline. A campaign's status and counts are a pure function of
 * the virtual time (plus stop/fail/complete overrides), so nothing has to "run" in the background:
 * any request simply looks at the campaign as of clock.now().
 */
import { CAMPAIGN_TYPE_RULES, type CampaignType } from '../../nodes/api/campaignRules';
import { LeadSet, type LeadSnapshot } from './leads';
import type { CampaignPrice } from './pricing';

export type CampaignStatus =
	| 'pending'
	| 'scraping'
	| 'scraping_completed'
	| 'processing_emails'
	| 'fully_completed'
	| 'failed'
	| 'stopped';

export const TERMINAL_STATUSES: ReadonlySet<CampaignStatus> = new Set([
	'fully_completed',
	'failed',
	'stopped',
]);

/** Default pace at clock speed 1 (virtual time). A 100-email campaign (~240 leads) takes ~56 s. */
export const CAMPAIGN_PACE = {
	pendingMs: 2_000,
	scrapeBaseMs: 30_000,
	scrapePerLeadMs: 20,
	scrapeMaxMs: 3 * 3600_000,
	scrapingCompletedMs: 2_000,
	processBaseMs: 15_000,
	processPerLeadMs: 10,
	processMaxMs: 3600_000,
	/** A campaign made to fail ("[sandbox:fail]") fails 40% into scraping. */
	failAtScrapeShare: 0.4,
} as const;

/** Post-campaign validation and standalone validation jobs both run at this pace. */
export const VALIDATION_PACE = { queuedMs: 1_000, emailsPerSecond: 50 } as const;

export interface Timeline {
	scrapeStart: number;
	scrapeEnd: number;
	processStart: number;
	processEnd: number;
}

export interface PostValidationRecord {
	jobId: string;
	accountId: string;
	startedAt: number;
	/** Lead indices selected for validation, ascending. */
	selection: Int32Array;
	/** validPrefix[k] = valid emails among the first k selected. */
	validPrefix: Int32Array;
	creditCost: number;
	settled: boolean;
}

/** The fields a campaign is created with and keeps (NewCampaign and SampleCampaignSeed pick from them). */
export interface CampaignFields {
	workspaceId: string;
	/** Account that created it and whose credits it uses. */
	accountId: string;
	title: string;
	type: CampaignType;
	inputs: Record<string, unknown>;
	targetEmails: number | null;
	maxCreditCap: number | null;
	enableEmailValidation: boolean;
	enableDeepEmailSearch: boolean;
	enrichIgPosts: boolean;
	createdAt: number;
}

export interface CampaignRecord extends CampaignFields {
	id: string;
	leadCount: number;
	timeline: Timeline;
	stoppedAt?: number;
	stoppedReason?: string | null;
	failedAt?: number;
	completedAt?: number;
	/** Last change made by a request (stop, validation), for updatedAt. */
	touchedAt: number;
	/** Pricing at creation; null for seeded (historic) campaigns, which have no ledger entries. */
	price: CampaignPrice | null;
	creditReserved: number;
	settled: boolean;
	seeded: boolean;
	postValidation?: PostValidationRecord;
	leadBase: number;
}

export function buildTimeline(createdAt: number, leadCount: number, paceFactor = 1): Timeline {
	const p = CAMPAIGN_PACE;
	const scrapeStart = createdAt + p.pendingMs;
	const scrapeEnd =
		scrapeStart +
		Math.min(p.scrapeMaxMs, (p.scrapeBaseMs + p.scrapePerLeadMs * leadCount) * paceFactor);
	const processStart = scrapeEnd + p.scrapingCompletedMs;
	const processEnd =
		processStart +
		Math.min(p.processMaxMs, (p.processBaseMs + p.processPerLeadMs * leadCount) * paceFactor);
	return { scrapeStart, scrapeEnd, processStart, processEnd };
}

export interface PostValidationView {
	status: 'queued' | 'processing' | 'completed';
	total: number;
	validated: number;
	valid: number;
	invalid: number;
	completedAt: number;
	lastChange: number;
}

export function postValidationView(pv: PostValidationRecord, now: number): PostValidationView {
	const total = pv.selection.length;
	const msPerEmail = 1000 / VALIDATION_PACE.emailsPerSecond;
	const processingStart = pv.startedAt + VALIDATION_PACE.queuedMs;
	const completedAt = Math.ceil(processingStart + total * msPerEmail);
	let validated = 0;
	let status: PostValidationView['status'] = 'queued';
	if (now >= completedAt) {
		validated = total;
		status = 'completed';
	} else if (now >= processingStart) {
		validated = Math.min(total, Math.floor((now - processingStart) / msPerEmail));
		status = 'processing';
	}
	const valid = pv.validPrefix[validated];
	return {
		status,
		total,
		validated,
		valid,
		invalid: validated - valid,
		completedAt,
		lastChange: Math.min(now, completedAt),
	};
}

export interface CampaignView {
	status: CampaignStatus;
	progressPercentage: number;
	profileCount: number;
	emailCount: number;
	finishedAt: number | null;
	updatedAt: number;
	snapshot: LeadSnapshot;
	postValidation: PostValidationView | null;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

export interface CampaignPhase {
	status: CampaignStatus;
	progress: number;
	visible: number;
	processingFraction: number;
	changedAt: number;
	finishedAt: number | null;
}

/** Status and progress at `now` from the timeline and overrides alone (cheap: no leads needed). */
export function campaignPhase(c: CampaignRecord, now: number): CampaignPhase {
	const t = c.timeline;
	const n = c.leadCount;
	if (c.completedAt !== undefined && c.completedAt <= now) {
		return {
			status: 'fully_completed',
			progress: 100,
			visible: n,
			processingFraction: 1,
			changedAt: c.completedAt,
			finishedAt: c.completedAt,
		};
	}
	let override: { at: number; status: CampaignStatus } | undefined;
	if (c.stoppedAt !== undefined && c.stoppedAt <= now)
		override = { at: c.stoppedAt, status: 'stopped' };
	else if (c.failedAt !== undefined && c.failedAt <= now)
		override = { at: c.failedAt, status: 'failed' };
	const at = override ? override.at : now;
	let phase: CampaignPhase;
	if (at < t.scrapeStart) {
		phase = {
			status: 'pending',
			progress: 0,
			visible: 0,
			processingFraction: 0,
			changedAt: c.createdAt,
			finishedAt: null,
		};
	} else if (at < t.scrapeEnd) {
		const f = (at - t.scrapeStart) / (t.scrapeEnd - t.scrapeStart);
		phase = {
			status: 'scraping',
			progress: 5 + 65 * f,
			visible: Math.floor(n * f),
			processingFraction: 0,
			changedAt: at,
			finishedAt: null,
		};
	} else if (at < t.processStart) {
		phase = {
			status: 'scraping_completed',
			progress: 70,
			visible: n,
			processingFraction: 0,
			changedAt: t.scrapeEnd,
			finishedAt: null,
		};
	} else if (at < t.processEnd) {
		const p = (at - t.processStart) / (t.processEnd - t.processStart);
		phase = {
			status: 'processing_emails',
			progress: 70 + 30 * p,
			visible: n,
			processingFraction: p,
			changedAt: at,
			finishedAt: null,
		};
	} else {
		phase = {
			status: 'fully_completed',
			progress: 100,
			visible: n,
			processingFraction: 1,
			changedAt: t.processEnd,
			finishedAt: t.processEnd,
		};
	}
	if (override) {
		phase.status = override.status;
		phase.finishedAt = override.at;
		phase.changedAt = override.at;
	}
	phase.progress = round1(phase.progress);
	return phase;
}

export function campaignView(
	c: CampaignRecord,
	leads: LeadSet,
	now: number,
	masked: boolean,
): CampaignView {
	const phase = campaignPhase(c, now);
	const t = c.timeline;
	const pvView = c.postValidation ? postValidationView(c.postValidation, now) : null;
	const snapshot: LeadSnapshot = {
		visible: phase.visible,
		processingFraction: phase.processingFraction,
		processingStart: t.processStart,
		processingDuration: t.processEnd - t.processStart,
		campaignValidation: c.enableEmailValidation,
		masked,
	};
	if (c.postValidation && pvView && pvView.validated > 0) {
		snapshot.postValidation = {
			lastValidatedIndex: c.postValidation.selection[pvView.validated - 1],
			selection: c.postValidation.selection,
			startedAt: c.postValidation.startedAt + VALIDATION_PACE.queuedMs,
			msPerEmail: 1000 / VALIDATION_PACE.emailsPerSecond,
		};
	}
	const updatedAt = Math.max(phase.changedAt, c.touchedAt, pvView ? pvView.lastChange : 0);
	return {
		status: phase.status,
		progressPercentage: phase.progress,
		profileCount: phase.visible,
		emailCount: leads.emailCount(snapshot),
		finishedAt: phase.finishedAt,
		updatedAt,
		snapshot,
		postValidation: pvView,
	};
}

export function targetSummary(type: CampaignType, inputs: Record<string, unknown>): string {
	const rule = CAMPAIGN_TYPE_RULES[type];
	const { single, list } = rule.target;
	const values: string[] = [];
	if (single && typeof inputs[single] === 'string') values.push(inputs[single] as string);
	if (list && Array.isArray(inputs[list])) values.push(...(inputs[list] as unknown[]).map(String));
	const prefix = rule.target.kind === 'hashtag' ? '#' : rule.target.kind === 'user' ? '@' : '';
	const shown = values.slice(0, 3).map((v) => `${prefix}${v}`);
	if (values.length > 3) shown.push(`+${values.length - 3} more`);
	if (rule.target.kind === 'profileList') return `${values.length} profiles`;
	return shown.join(', ');
}

export function autoTitle(
	type: CampaignType,
	inputs: Record<string, unknown>,
	createdAt: number,
): string {
	const rule = CAMPAIGN_TYPE_RULES[type];
	const title = `${rule.displayName}: ${targetSummary(type, inputs)} (${new Date(createdAt).toISOString().slice(0, 10)})`;
	return title.length > 100 ? `${title.slice(0, 97)}...` : title;
}

/** The documented magic inputs that make a campaign fail during scraping. */
export function wantsFailure(title: string | undefined, inputs: Record<string, unknown>): boolean {
	return (
		(title ?? '').includes('[sandbox:fail]') || JSON.stringify(inputs).includes('sandbox_fail')
	);
}
