/**
 * Synthetic leads. A campaign's leads are never stored: every field is a pure function of
 * (seed, campaign id, lead index), so a page of 100 out of 100,000 leads is generated on demand.
 * What changes with time (how many leads are visible, which emails are revealed or validated)
 * is described by a LeadSnapshot taken from the campaign's timeline.
 */
import {
	CAMPAIGN_TYPE_RULES,
	type CampaignType,
	type Platform,
} from '../../nodes/api/campaignRules';
import { PUBLIC_EMAIL_RATE } from './pricing';
import { pick, unit } from './random';
import {
	BUSINESS_WORDS,
	COUNTRIES,
	EMAIL_DOMAINS,
	FIRST_NAMES,
	LAST_NAMES,
	NICHES,
	PLACE_WORDS,
	STREET_WORDS,
} from './names';

/** How an email was found. The last two are found in the processing_emails phase. */
export const EMAIL_SOURCES = [
	'bio',
	'website',
	'business_contact',
	'ai_verified',
	'deep_search',
] as const;
export type EmailSource = (typeof EMAIL_SOURCES)[number];
const PROCESS_PHASE_SOURCES = new Set<number>([3, 4]);
const NO_SOURCE = 255;

/** Extra share of profiles whose email only the hidden-email search finds. */
const DEEP_SEARCH_RATE = 0.12;
/** Share of found emails that are copies of an earlier lead's email (shared inboxes): dedupe has work. */
const DUPLICATE_EMAIL_RATE = 0.03;
/** Share of lead emails that validate as valid. */
const LEAD_EMAIL_VALID_RATE = 0.82;

// Salts: one per generated field, so fields are independent.
const S = {
	hasEmail: 1,
	source: 2,
	reveal: 3,
	duplicate: 4,
	duplicateOffset: 5,
	first: 6,
	last: 7,
	domain: 8,
	niche: 9,
	followers: 10,
	following: 11,
	media: 12,
	private: 13,
	verified: 14,
	business: 15,
	country: 16,
	phone: 17,
	website: 18,
	sourceType: 19,
	valid: 20,
	word: 21,
	street: 22,
	reason: 23,
} as const;

export function sourceTypesFor(type: CampaignType, inputs: Record<string, unknown>): string[] {
	switch (type) {
		case 'INSTAGRAM_HASHTAG':
			return ['hashtag_post', 'hashtag_reel'];
		case 'INSTAGRAM_USER_FOLLOWERS':
		case 'TIKTOK_USER_FOLLOWERS':
		case 'X_FOLLOWERS':
			return ['follower'];
		case 'INSTAGRAM_USER_FOLLOWING':
		case 'TIKTOK_USER_FOLLOWING':
		case 'X_FOLLOWING':
			return ['following'];
		case 'INSTAGRAM_POST_LIKERS':
			return ['post_liker'];
		case 'INSTAGRAM_POST_COMMENTERS':
		case 'TIKTOK_POST_COMMENTERS':
			return ['post_commenter'];
		case 'X_REPLIERS':
			return ['replier'];
		case 'X_RETWEETS':
			return ['retweeter'];
		case 'INSTAGRAM_PROFILE_LIST':
			return ['profile_list'];
		case 'YOUTUBE_CHANNEL_SEARCH':
			return inputs.youtubeDiscoverySource === 'video' ? ['video_channel'] : ['channel_search'];
		case 'GOOGLE_MAPS_SEARCH':
			return ['maps_place'];
		default:
			return ['keyword_profile', 'keyword_post'];
	}
}

export interface LeadSetSpec {
	campaignId: string;
	/** Hash of (seed, campaign id). */
	base: number;
	type: CampaignType;
	inputs: Record<string, unknown>;
	leadCount: number;
	deepSearch: boolean;
	scrapeStart: number;
	scrapeDuration: number;
}

/** The time-dependent view of a campaign's leads. */
export interface LeadSnapshot {
	/** Leads 0..visible-1 exist at this time. */
	visible: number;
	/** Share (0..1) of the processing_emails phase done: process-phase emails appear as it rises. */
	processingFraction: number;
	processingStart: number;
	processingDuration: number;
	/** enableEmailValidation: each email is validated when it is found. */
	campaignValidation: boolean;
	/** Post-campaign validation: leads up to this index (with a visible email) are validated. */
	postValidation?: {
		lastValidatedIndex: number;
		selection: Int32Array;
		startedAt: number;
		msPerEmail: number;
	};
	/** Account masks emails (free plan). */
	masked: boolean;
}

export type ValidationStatus = 'valid' | 'invalid' | 'pending';

export interface LeadFilters {
	hasEmail?: boolean;
	validationStatus?: ValidationStatus;
	platform?: string;
	sourceType?: string;
	emailSource?: string;
	sortBy: 'hasEmail' | 'followerCount' | 'scrapedAt';
	order: 'asc' | 'desc';
}

export function snapshotKey(s: LeadSnapshot): string {
	return `${s.visible}|${s.processingFraction.toFixed(5)}|${s.campaignValidation}|${s.postValidation?.lastValidatedIndex ?? 'none'}`;
}

export class LeadSet {
	readonly platform: Platform;
	readonly count: number;
	readonly sourceTypes: string[];
	/** Source index per lead (EMAIL_SOURCES), NO_SOURCE when the lead never gets an email. */
	private readonly source: Uint8Array;
	/** When (share of the processing phase) a process-phase email appears. */
	private readonly revealAt: Float32Array;
	/** Index of the lead whose address this lead's email is (itself unless a shared inbox). */
	private readonly emailOwner: Int32Array;
	private readonly followers: Int32Array;
	private readonly sourceTypeIndex: Uint8Array;
	private readonly queryCache = new Map<string, Int32Array>();
	/** How many times query() filtered and sorted the leads (cache misses); the tests read it. */
	queriesComputed = 0;

	constructor(readonly spec: LeadSetSpec) {
		const { base, leadCount: n } = spec;
		const rule = CAMPAIGN_TYPE_RULES[spec.type];
		this.platform = rule.platform;
		this.count = n;
		this.sourceTypes = sourceTypesFor(spec.type, spec.inputs);
		const rate = PUBLIC_EMAIL_RATE[rule.platform];
		const publicRate = (rate.lower + rate.upper) / 2;
		const filter = (spec.inputs.followerFilter ?? {}) as { min?: number; max?: number };
		const lo = typeof filter.min === 'number' ? filter.min : 0;
		const hi = typeof filter.max === 'number' ? filter.max : lo + 3_000_000;
		const maps = rule.platform === 'google_maps';
		this.source = new Uint8Array(n);
		this.revealAt = new Float32Array(n);
		this.emailOwner = new Int32Array(n);
		this.followers = new Int32Array(n);
		this.sourceTypeIndex = new Uint8Array(n);
		for (let i = 0; i < n; i++) {
			const r = unit(base, i, S.hasEmail);
			let source = NO_SOURCE;
			if (r < publicRate) {
				const s = unit(base, i, S.source);
				if (maps) source = s < 0.55 ? 1 : s < 0.94 ? 2 : 3;
				else source = s < 0.56 ? 0 : s < 0.8 ? 1 : s < 0.93 ? 2 : 3;
			} else if (spec.deepSearch && r < publicRate + DEEP_SEARCH_RATE) {
				source = 4;
			}
			this.source[i] = source;
			this.revealAt[i] = PROCESS_PHASE_SOURCES.has(source) ? unit(base, i, S.reveal) : 0;
			let owner = i;
			if (i > 0 && unit(base, i, S.duplicate) < DUPLICATE_EMAIL_RATE) {
				owner = Math.max(0, i - 1 - Math.floor(unit(base, i, S.duplicateOffset) * Math.min(i, 40)));
			}
			this.emailOwner[i] = owner;
			this.followers[i] = maps
				? -1
				: lo + Math.floor((Math.max(hi, lo) - lo) * unit(base, i, S.followers) ** 4);
			this.sourceTypeIndex[i] = Math.floor(unit(base, i, S.sourceType) * this.sourceTypes.length);
		}
	}

	/** Leads that get an email in the end, among the first `upTo` (scrape-phase and process-phase). */
	finalEmailCount(upTo = this.count): number {
		let total = 0;
		for (let i = 0; i < upTo; i++) if (this.source[i] !== NO_SOURCE) total++;
		return total;
	}

	emailVisible(i: number, s: LeadSnapshot): boolean {
		if (i >= s.visible) return false;
		const source = this.source[i];
		if (source === NO_SOURCE) return false;
		return !PROCESS_PHASE_SOURCES.has(source) || this.revealAt[i] <= s.processingFraction;
	}

	private lastCount: { key: string; count: number } | undefined;

	emailCount(s: LeadSnapshot): number {
		const key = snapshotKey(s);
		if (this.lastCount?.key === key) return this.lastCount.count;
		let total = 0;
		for (let i = 0; i < s.visible; i++) if (this.emailVisible(i, s)) total++;
		this.lastCount = { key, count: total };
		return total;
	}

	emailSourceOf(i: number): EmailSource | null {
		const source = this.source[i];
		return source === NO_SOURCE ? null : EMAIL_SOURCES[source];
	}

	/** Same index for leads sharing one address (dedupe key). */
	emailOwnerOf(i: number): number {
		return this.emailOwner[i];
	}

	/** Whether the lead's address validates as valid (fixed per address). */
	emailIsValid(i: number): boolean {
		return unit(this.spec.base, this.emailOwner[i], S.valid) < LEAD_EMAIL_VALID_RATE;
	}

	validationStatus(i: number, s: LeadSnapshot): ValidationStatus | null {
		if (!this.emailVisible(i, s)) return null;
		if (s.campaignValidation || (s.postValidation && i <= s.postValidation.lastValidatedIndex)) {
			return this.emailIsValid(i) ? 'valid' : 'invalid';
		}
		return 'pending';
	}

	scrapedAt(i: number): number {
		const { scrapeStart, scrapeDuration } = this.spec;
		return Math.floor(scrapeStart + ((i + 0.5) / Math.max(1, this.count)) * scrapeDuration);
	}

	private emailFoundAt(i: number, s: LeadSnapshot): number {
		const source = this.source[i];
		if (PROCESS_PHASE_SOURCES.has(source))
			return Math.floor(s.processingStart + this.revealAt[i] * s.processingDuration);
		return this.scrapedAt(i);
	}

	private validationCheckedAt(i: number, s: LeadSnapshot): number {
		if (s.campaignValidation) return this.emailFoundAt(i, s) + 1500;
		const pv = s.postValidation!;
		const rank = lowerBound(pv.selection, i);
		return Math.floor(pv.startedAt + (rank + 1) * pv.msPerEmail);
	}

	/** Unmasked address of lead i (whether or not it is visible yet). */
	emailAddress(i: number): string {
		const owner = this.emailOwner[i];
		const { base } = this.spec;
		const domain = pick(base, owner, S.domain, EMAIL_DOMAINS);
		if (this.platform === 'google_maps') {
			const word = pick(base, owner, S.word, PLACE_WORDS)
				.toLowerCase()
				.replace(/[^a-z]/g, '');
			return `hello.${word}${owner.toString(36)}@${domain}`;
		}
		const first = pick(base, owner, S.first, FIRST_NAMES);
		const last = pick(base, owner, S.last, LAST_NAMES);
		return `${first}.${last}.${owner.toString(36)}@${domain}`;
	}

	/** The lead as the API returns it. */
	toApiLead(i: number, s: LeadSnapshot) {
		const { base, campaignId, inputs } = this.spec;
		const maps = this.platform === 'google_maps';
		const visible = this.emailVisible(i, s);
		const address = visible ? this.emailAddress(i) : null;
		const email = address && s.masked ? maskEmail(address) : address;
		const first = pick(base, i, S.first, FIRST_NAMES);
		const last = pick(base, i, S.last, LAST_NAMES);
		const niche = pick(base, i, S.niche, NICHES);
		const isBusiness = maps || unit(base, i, S.business) < 0.3;
		const countries =
			Array.isArray(inputs.countries) && inputs.countries.length > 0
				? (inputs.countries as string[])
				: typeof inputs.country === 'string'
					? [inputs.country]
					: COUNTRIES;
		const country = String(pick(base, i, S.country, countries)).toUpperCase();
		const status = this.validationStatus(i, s);
		const validated = status === 'valid' || status === 'invalid';
		const placeName = `${pick(base, i, S.street, STREET_WORDS)} ${pick(base, i, S.word, PLACE_WORDS)}`;
		const username = maps
			? null
			: `${first}${isBusiness ? pick(base, i, S.word, BUSINESS_WORDS).toLowerCase() : last}${(i % 997).toString()}`;
		const hasWebsite = maps ? unit(base, i, S.website) < 0.8 : unit(base, i, S.website) < 0.45;
		const hasPhone = maps
			? unit(base, i, S.phone) < 0.85
			: isBusiness && unit(base, i, S.phone) < 0.3;
		const followers = this.followers[i];
		return {
			id: `lead_${campaignId.replace(/^cmp_/, '')}_${i}`,
			campaignId,
			platform: this.platform,
			sourceType: this.sourceTypes[this.sourceTypeIndex[i]],
			email,
			emailMasked: Boolean(email) && s.masked,
			emailRevealed: false,
			canRevealEmail: Boolean(email) && s.masked,
			emailSource: visible ? this.emailSourceOf(i) : null,
			username,
			fullName: maps ? placeName : `${capitalize(first)} ${capitalize(last)}`,
			biography: maps
				? `${placeName}, ${niche} friendly. Open daily.`
				: `${capitalize(niche)} ${isBusiness ? 'brand' : 'creator'} | collabs via email`,
			externalUrl: hasWebsite
				? `https://${(username ?? placeName.replace(/[^A-Za-z]/g, '')).toLowerCase()}.example.com`
				: null,
			phoneNumber: hasPhone
				? `+1 555 01${String(Math.floor(unit(base, i, S.phone) * 100)).padStart(2, '0')}`
				: null,
			followerCount: followers < 0 ? null : followers,
			followingCount: maps ? null : Math.floor(40 + 2000 * unit(base, i, S.following) ** 2),
			mediaCount: maps ? null : Math.floor(5 + 1500 * unit(base, i, S.media) ** 2),
			isPrivate: maps
				? null
				: this.platform === 'instagram'
					? unit(base, i, S.private) < 0.08
					: false,
			isVerified: maps ? null : unit(base, i, S.verified) < 0.03,
			isBusiness,
			country,
			emailValidation: validated
				? {
						status: status as string,
						isValid: status === 'valid',
						checkedAt: new Date(this.validationCheckedAt(i, s)).toISOString(),
					}
				: null,
			scrapedAt: new Date(this.scrapedAt(i)).toISOString(),
		};
	}

	/** Indices of the leads matching the filters, in the requested order. Cached per snapshot. */
	query(s: LeadSnapshot, f: LeadFilters): Int32Array {
		const key = `${snapshotKey(s)}|${f.hasEmail}|${f.validationStatus}|${f.platform}|${f.sourceType}|${f.emailSource}|${f.sortBy}|${f.order}`;
		const cached = this.queryCache.get(key);
		if (cached) return cached;
		const result = this.computeQuery(s, f);
		this.queriesComputed++;
		if (this.queryCache.size >= 24)
			this.queryCache.delete(this.queryCache.keys().next().value as string);
		this.queryCache.set(key, result);
		return result;
	}

	private computeQuery(s: LeadSnapshot, f: LeadFilters): Int32Array {
		if (f.platform !== undefined && f.platform !== this.platform) return new Int32Array(0);
		const sourceTypeIndex =
			f.sourceType === undefined ? -1 : this.sourceTypes.indexOf(f.sourceType);
		if (f.sourceType !== undefined && sourceTypeIndex < 0) return new Int32Array(0);
		const emailSourceIndex =
			f.emailSource === undefined
				? -1
				: (EMAIL_SOURCES as readonly string[]).indexOf(f.emailSource);
		if (f.emailSource !== undefined && emailSourceIndex < 0) return new Int32Array(0);

		const picked = new Int32Array(s.visible);
		let n = 0;
		for (let i = 0; i < s.visible; i++) {
			const hasEmail = this.emailVisible(i, s);
			if (f.hasEmail !== undefined && hasEmail !== f.hasEmail) continue;
			if (sourceTypeIndex >= 0 && this.sourceTypeIndex[i] !== sourceTypeIndex) continue;
			if (emailSourceIndex >= 0 && (!hasEmail || this.source[i] !== emailSourceIndex)) continue;
			if (f.validationStatus !== undefined && this.validationStatus(i, s) !== f.validationStatus)
				continue;
			picked[n++] = i;
		}
		const result = picked.slice(0, n);
		const desc = f.order === 'desc';
		if (f.sortBy === 'scrapedAt') {
			// Leads are discovered in index order, so index order is scrapedAt order.
			if (desc) result.reverse();
		} else if (f.sortBy === 'hasEmail') {
			// Stable partition: emailed leads first (desc) or last (asc), each group in discovery order.
			const withEmail: number[] = [];
			const without: number[] = [];
			for (const i of result) (this.emailVisible(i, s) ? withEmail : without).push(i);
			result.set(desc ? [...withEmail, ...without] : [...without, ...withEmail]);
		} else {
			const followers = this.followers;
			// Leads without a follower count (Google Maps) sort last either way.
			result.sort((a, b) => {
				const fa = followers[a];
				const fb = followers[b];
				if (fa !== fb) {
					if (fa < 0) return 1;
					if (fb < 0) return -1;
					return desc ? fb - fa : fa - fb;
				}
				return a - b;
			});
		}
		return result;
	}
}

export function maskEmail(address: string): string {
	const at = address.indexOf('@');
	if (at <= 0) return '***';
	return `${address[0]}***${address.slice(at)}`;
}

function capitalize(word: string): string {
	return word.charAt(0).toUpperCase() + word.slice(1);
}

/** First position in a sorted array whose value is >= target. */
export function lowerBound(sorted: Int32Array, target: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (sorted[mid] < target) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
