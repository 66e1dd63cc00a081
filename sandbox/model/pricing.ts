/**
 * The sandbox's credit pricing. The reference gives no prices, so this is a deterministic formula
 * (documented in README.md): reserve-preview and create both call `priceCampaign`, so their figures
 * always agree.
 */
import {
	CAMPAIGN_TYPE_RULES,
	type CampaignType,
	type CampaignTypeRule,
	type Platform,
} from '../../nodes/api/campaignRules';

/** Share of scanned profiles that show a public email, per platform (lower, upper). */
export const PUBLIC_EMAIL_RATE: Record<Platform, { lower: number; upper: number }> = {
	instagram: { lower: 0.35, upper: 0.5 },
	youtube: { lower: 0.4, upper: 0.6 },
	linkedin: { lower: 0.2, upper: 0.35 },
	facebook: { lower: 0.3, upper: 0.45 },
	tiktok: { lower: 0.2, upper: 0.35 },
	x: { lower: 0.15, upper: 0.3 },
	google_maps: { lower: 0.55, upper: 0.75 },
};

export const PRICES = {
	/** Credits per email found (lead-target campaigns). */
	perEmail: 1,
	/** Extra credits per email when enableEmailValidation is on. */
	perEmailValidation: 0.25,
	/** Extra credits per email when enrichIgPosts is on (Instagram only). */
	perEmailIgEnrichment: 0.5,
	/** Credits per profile of an INSTAGRAM_PROFILE_LIST campaign (item-limit mode). */
	perProfileListItem: 0.5,
	/** Credits per profile checked by the hidden-email search. */
	perHiddenEmailCheck: 0.1,
	/** The recommended cap is the estimate plus this margin. */
	recommendedCapMargin: 1.15,
	/** Post-campaign validation: credits per email. */
	perPostValidationEmail: 1,
} as const;

/** Types whose hidden-email search (enableDeepEmailSearch) is supported; others ignore the flag. */
export function supportsDeepEmailSearch(rule: CampaignTypeRule): boolean {
	return rule.platform === 'instagram' || rule.platform === 'tiktok' || rule.platform === 'x';
}

export interface CampaignPricingInput {
	type: CampaignType;
	inputs: Record<string, unknown>;
	targetEmails?: number | null;
	maxCreditCap?: number | null;
	enableEmailValidation?: boolean;
	enableDeepEmailSearch?: boolean;
	enrichIgPosts?: boolean;
}

export type BudgetMode = 'RECOMMENDED_CAP' | 'USER_LIMITED' | 'USER_CUSTOM_CAP';

export interface CampaignPrice {
	type: CampaignType;
	targetMode: 'LEAD_TARGET' | 'ITEM_LIMIT';
	targetEmails: number | null;
	/** Credits per email (or per profile in item-limit mode), all options included. */
	unitCost: number;
	estimatedCredits: number;
	recommendedMaxCreditCap: number;
	maxCreditCap: number;
	creditReserved: number;
	budgetMode: BudgetMode;
	estimatedEmails: number;
	estimatedReachableEmailsAtCap: number | null;
	scanCount: number;
	scanUnit: string;
	deepSearchEnabled: boolean;
	hiddenEmailProfilesToCheck: number;
	hiddenEmailCredits: number;
	publicEmailRate: { lower: number; upper: number };
	warnings: string[];
}

const round2 = (value: number) => Math.round(value * 100) / 100;

export function priceCampaign(request: CampaignPricingInput): CampaignPrice {
	const rule = CAMPAIGN_TYPE_RULES[request.type];
	const rate = PUBLIC_EMAIL_RATE[rule.platform];
	const midRate = (rate.lower + rate.upper) / 2;
	const enrich = Boolean(request.enrichIgPosts) && rule.enrichIgPosts;
	const deepSearchEnabled = Boolean(request.enableDeepEmailSearch) && supportsDeepEmailSearch(rule);
	const warnings: string[] = [];
	if (request.enableDeepEmailSearch && !deepSearchEnabled) {
		warnings.push(
			`enableDeepEmailSearch is not supported for ${request.type} campaigns and is ignored.`,
		);
	}
	const optionFactor =
		1 +
		(request.enableEmailValidation ? PRICES.perEmailValidation : 0) +
		(enrich ? PRICES.perEmailIgEnrichment : 0);

	let unitCost: number;
	let scanCount: number;
	let estimatedEmails: number;
	let targetEmails: number | null = null;
	if (rule.targetMode === 'ITEM_LIMIT') {
		const targets = Array.isArray(request.inputs.profileTargets)
			? request.inputs.profileTargets.length
			: 0;
		unitCost = PRICES.perProfileListItem * optionFactor;
		scanCount = targets;
		estimatedEmails = Math.round(targets * midRate);
	} else {
		targetEmails = request.targetEmails ?? 0;
		unitCost = PRICES.perEmail * optionFactor;
		scanCount = Math.ceil(targetEmails / midRate);
		estimatedEmails = targetEmails;
	}
	const hiddenEmailProfilesToCheck = deepSearchEnabled ? Math.ceil(scanCount * (1 - midRate)) : 0;
	const hiddenEmailCredits = Math.ceil(hiddenEmailProfilesToCheck * PRICES.perHiddenEmailCheck);
	const unitsWanted = rule.targetMode === 'ITEM_LIMIT' ? scanCount : (targetEmails ?? 0);
	const estimatedCredits = Math.ceil(unitsWanted * unitCost) + hiddenEmailCredits;
	const recommendedMaxCreditCap = Math.ceil(estimatedCredits * PRICES.recommendedCapMargin);

	let budgetMode: BudgetMode;
	let maxCreditCap: number;
	const userCap = request.maxCreditCap ?? null;
	if (userCap === null) {
		budgetMode = 'RECOMMENDED_CAP';
		maxCreditCap = recommendedMaxCreditCap;
	} else if (userCap < recommendedMaxCreditCap) {
		budgetMode = 'USER_LIMITED';
		maxCreditCap = userCap;
	} else {
		budgetMode = 'USER_CUSTOM_CAP';
		maxCreditCap = userCap;
	}
	// A campaign never needs more than the recommended cap, so that is the most ever reserved.
	const creditReserved = Math.ceil(Math.min(maxCreditCap, recommendedMaxCreditCap));
	const effectiveUnitCost = unitsWanted > 0 ? estimatedCredits / unitsWanted : unitCost;
	let estimatedReachableEmailsAtCap: number | null;
	if (rule.targetMode === 'ITEM_LIMIT') {
		const reachableProfiles = Math.min(scanCount, Math.floor(maxCreditCap / effectiveUnitCost));
		estimatedReachableEmailsAtCap = Math.round(reachableProfiles * midRate);
	} else {
		estimatedReachableEmailsAtCap = Math.min(
			targetEmails ?? 0,
			Math.floor(maxCreditCap / effectiveUnitCost),
		);
	}
	if (budgetMode === 'USER_LIMITED') {
		warnings.push(
			`maxCreditCap ${userCap} is below the recommended ${recommendedMaxCreditCap} credits; the campaign may stop at about ${estimatedReachableEmailsAtCap} emails.`,
		);
	}
	const scanUnit =
		rule.platform === 'google_maps'
			? 'places'
			: rule.platform === 'youtube'
				? 'channels'
				: 'profiles';
	return {
		type: request.type,
		targetMode: rule.targetMode,
		targetEmails,
		unitCost: round2(effectiveUnitCost),
		estimatedCredits,
		recommendedMaxCreditCap,
		maxCreditCap,
		creditReserved,
		budgetMode,
		estimatedEmails,
		estimatedReachableEmailsAtCap,
		scanCount,
		scanUnit,
		deepSearchEnabled,
		hiddenEmailProfilesToCheck,
		hiddenEmailCredits,
		publicEmailRate: rate,
		warnings,
	};
}

/** The public reserve-preview body (inside `data`). */
export function reservePreviewBody(price: CampaignPrice) {
	return {
		type: price.type,
		targetMode: price.targetMode,
		targetEmails: price.targetEmails,
		creditReserved: price.creditReserved,
		estimatedCredits: price.estimatedCredits,
		recommendedMaxCreditCap: price.recommendedMaxCreditCap,
		maxCreditCap: price.maxCreditCap,
		budgetMode: price.budgetMode,
		estimatedReachableEmailsAtCap: price.estimatedReachableEmailsAtCap,
		warnings: price.warnings,
		summary: {
			maxCreditSpend: price.maxCreditCap,
			recommendedMaxCreditSpend: price.recommendedMaxCreditCap,
			budgetMode: price.budgetMode,
			targetMode: price.targetMode,
			targetEmails: price.targetEmails,
			scan: { count: price.scanCount, unit: price.scanUnit },
			findHiddenEmails: {
				enabled: price.deepSearchEnabled,
				profilesToCheck: price.hiddenEmailProfilesToCheck,
				estimatedCreditCost: price.hiddenEmailCredits,
			},
			publicEmailRate: price.publicEmailRate,
			estimatedEmails: price.estimatedEmails,
			estimatedReachableEmailsAtCap: price.estimatedReachableEmailsAtCap,
		},
	};
}
