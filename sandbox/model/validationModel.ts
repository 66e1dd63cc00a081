/**
 * Standalone validation jobs (POST /validation-jobs/text). Like campaigns, a job's status and counts
 * are a function of the virtual time: pending -> queued -> processing (50 emails per virtual second)
 * -> completed. Admin overrides can make a job failed or cancelled.
 */
import { VALIDATION_PACE } from './campaignModel';
import { hashString, mix32 } from './random';

export type ValidationJobStatus =
	'pending' | 'queued' | 'processing' | 'completed' | 'failed' | 'cancelled';

export const JOB_PACE = { pendingMs: 500, queuedUntilMs: 1_500 } as const;

export interface EmailVerdict {
	email: string;
	isValid: boolean;
	reason: string;
}

export interface ValidationJobRecord {
	id: string;
	accountId: string;
	workspaceId: string;
	createdAt: number;
	verdicts: EmailVerdict[];
	validPrefix: Int32Array;
	endedAt?: number;
	endedStatus?: 'failed' | 'cancelled';
	provider: string;
}

const SYNTAX = /^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/;
const DISPOSABLE = /@(mailinator\.com|tempmail\.|10minutemail\.)/i;

/** Deterministic verdict for one address: bad syntax is invalid, the rest is ~80% valid by hash. */
export function judgeEmail(email: string, seed: number): EmailVerdict {
	const normalized = email.trim();
	if (!SYNTAX.test(normalized))
		return { email: normalized, isValid: false, reason: 'invalid_syntax' };
	if (DISPOSABLE.test(normalized))
		return { email: normalized, isValid: false, reason: 'disposable_domain' };
	const h = mix32(hashString(normalized.toLowerCase(), seed >>> 0)) / 4294967296;
	if (h < 0.8) return { email: normalized, isValid: true, reason: 'accepted_email' };
	return {
		email: normalized,
		isValid: false,
		reason: h < 0.93 ? 'mailbox_not_found' : 'domain_not_found',
	};
}

/** Trims, drops empty entries and removes duplicates case-insensitively (first spelling wins). */
export function uniqueEmails(emails: string[]): string[] {
	const seen = new Set<string>();
	const unique: string[] = [];
	for (const raw of emails) {
		const email = raw.trim();
		if (email === '') continue;
		const key = email.toLowerCase();
		if (seen.has(key)) continue;
		seen.add(key);
		unique.push(email);
	}
	return unique;
}

export function createJobRecord(
	fields: { id: string; accountId: string; workspaceId: string; createdAt: number },
	emails: string[],
	seed: number,
): ValidationJobRecord {
	const verdicts = emails.map((email) => judgeEmail(email, seed));
	const validPrefix = new Int32Array(verdicts.length + 1);
	verdicts.forEach((v, i) => (validPrefix[i + 1] = validPrefix[i] + (v.isValid ? 1 : 0)));
	return { ...fields, verdicts, validPrefix, provider: 'scravio' };
}

export interface JobView {
	status: ValidationJobStatus;
	processedCount: number;
	validCount: number;
	invalidCount: number;
	completedAt: number | null;
}

export function jobView(job: ValidationJobRecord, now: number): JobView {
	const total = job.verdicts.length;
	const msPerEmail = 1000 / VALIDATION_PACE.emailsPerSecond;
	const processingStart = job.createdAt + JOB_PACE.queuedUntilMs;
	const naturalEnd = Math.ceil(processingStart + total * msPerEmail);
	const ended = job.endedAt !== undefined && job.endedAt <= now && job.endedAt < naturalEnd;
	const at = ended ? job.endedAt! : now;
	let status: ValidationJobStatus;
	let processed = 0;
	if (at < job.createdAt + JOB_PACE.pendingMs) status = 'pending';
	else if (at < processingStart) status = 'queued';
	else if (at < naturalEnd) {
		status = 'processing';
		processed = Math.min(total, Math.floor((at - processingStart) / msPerEmail));
	} else {
		status = 'completed';
		processed = total;
	}
	if (ended) status = job.endedStatus!;
	const valid = job.validPrefix[processed];
	return {
		status,
		processedCount: processed,
		validCount: valid,
		invalidCount: processed - valid,
		completedAt: status === 'completed' ? naturalEnd : null,
	};
}

export function jobResultsCsv(job: ValidationJobRecord): string {
	const lines = ['email,status,isValid,reason'];
	for (const v of job.verdicts)
		lines.push(
			[csvCell(v.email), v.isValid ? 'valid' : 'invalid', String(v.isValid), v.reason].join(','),
		);
	return `${lines.join('\r\n')}\r\n`;
}

/** RFC 4180 quoting. */
export function csvCell(value: unknown): string {
	if (value === null || value === undefined) return '';
	const text = String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
