/**
 * List exports: which leads go into the file (chosen once, when the export is created), and the
 * export's timeline pending -> processing -> completed (or failed through the admin route).
 */
import type { LeadSet, LeadSnapshot } from './leads';

export interface ExportOptions {
	fileFormat: 'csv' | 'xlsx';
	emailOnly: boolean;
	onlyValidEmails: boolean;
	includeAIVerified: boolean;
	dedupeByEmail: boolean;
	dateRange: { from?: string; to?: string } | null;
}

export type ExportStatus = 'pending' | 'processing' | 'completed' | 'failed';

export const EXPORT_PACE = {
	pendingMs: 1_000,
	processingBaseMs: 2_000,
	rowsPerSecond: 5_000,
} as const;

export interface ExportRecord {
	id: string;
	accountId: string;
	workspaceId: string;
	campaignId: string;
	options: ExportOptions;
	/** Equal keys = "the same export" (answered with 200). */
	matchKey: string;
	createdAt: number;
	/** Lead state the file shows. */
	snapshot: LeadSnapshot;
	rows: Int32Array;
	webhookUrl: string | null;
	webhookDone: boolean;
	failedAt?: number;
	filename: string;
}

export function exportMatchKey(
	campaignId: string,
	options: ExportOptions,
	campaignStateKey: string,
): string {
	return JSON.stringify([
		campaignId,
		options.fileFormat,
		options.emailOnly,
		options.onlyValidEmails,
		options.includeAIVerified,
		options.dedupeByEmail,
		options.dateRange?.from ?? null,
		options.dateRange?.to ?? null,
		campaignStateKey,
	]);
}

/** A date-only `to` includes that whole day. Returns NaN for unparsable input. */
export function parseRangeBound(value: string | undefined, end: boolean): number | undefined {
	if (value === undefined || value === '') return undefined;
	const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
	const ms = Date.parse(dateOnly ? `${value}T00:00:00.000Z` : value);
	if (Number.isNaN(ms)) return NaN;
	return dateOnly && end ? ms + 86_400_000 - 1 : ms;
}

/** Whether the file shows this lead's email (AI-verified ones only with includeAIVerified). */
export function exportShowsEmail(
	leads: LeadSet,
	i: number,
	s: LeadSnapshot,
	options: ExportOptions,
): boolean {
	if (!leads.emailVisible(i, s)) return false;
	return options.includeAIVerified || leads.emailSourceOf(i) !== 'ai_verified';
}

export function selectExportRows(
	leads: LeadSet,
	s: LeadSnapshot,
	options: ExportOptions,
): Int32Array {
	const from = parseRangeBound(options.dateRange?.from, false);
	const to = parseRangeBound(options.dateRange?.to, true);
	const rows = new Int32Array(s.visible);
	const seenOwners = new Set<number>();
	let n = 0;
	for (let i = 0; i < s.visible; i++) {
		const shown = exportShowsEmail(leads, i, s, options);
		if (options.emailOnly && !shown) continue;
		if (options.onlyValidEmails && !(shown && leads.validationStatus(i, s) === 'valid')) continue;
		if (from !== undefined || to !== undefined) {
			const at = leads.scrapedAt(i);
			if (from !== undefined && at < from) continue;
			if (to !== undefined && at > to) continue;
		}
		if (options.dedupeByEmail && shown) {
			const owner = leads.emailOwnerOf(i);
			if (seenOwners.has(owner)) continue;
			seenOwners.add(owner);
		}
		rows[n++] = i;
	}
	return rows.slice(0, n);
}

export interface ExportView {
	status: ExportStatus;
	progress: number;
	completedAt: number | null;
}

export function exportCompletesAt(e: ExportRecord): number {
	return (
		e.createdAt +
		EXPORT_PACE.pendingMs +
		EXPORT_PACE.processingBaseMs +
		Math.ceil((e.rows.length / EXPORT_PACE.rowsPerSecond) * 1000)
	);
}

export function exportView(e: ExportRecord, now: number): ExportView {
	const processingStart = e.createdAt + EXPORT_PACE.pendingMs;
	const done = exportCompletesAt(e);
	if (e.failedAt !== undefined && e.failedAt <= now && e.failedAt < done) {
		const at = e.failedAt;
		const progress =
			at < processingStart
				? 0
				: Math.floor((99 * (at - processingStart)) / (done - processingStart));
		return { status: 'failed', progress, completedAt: null };
	}
	if (now < processingStart) return { status: 'pending', progress: 0, completedAt: null };
	if (now < done)
		return {
			status: 'processing',
			progress: Math.floor((99 * (now - processingStart)) / (done - processingStart)),
			completedAt: null,
		};
	return { status: 'completed', progress: 100, completedAt: done };
}

export function toApiExport(e: ExportRecord, now: number) {
	const view = exportView(e, now);
	const completed = view.status === 'completed';
	return {
		exportId: e.id,
		campaignId: e.campaignId,
		status: view.status,
		progress: view.progress,
		fileFormat: e.options.fileFormat,
		filename: completed ? e.filename : null,
		totalRecords: completed ? e.rows.length : null,
		createdAt: new Date(e.createdAt).toISOString(),
		completedAt: view.completedAt === null ? null : new Date(view.completedAt).toISOString(),
	};
}

export function slugify(text: string): string {
	return (
		text
			.toLowerCase()
			.normalize('NFKD')
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 50) || 'campaign'
	);
}
