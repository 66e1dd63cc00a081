/**
 * Export file contents (CSV by hand with RFC 4180 quoting, XLSX with exceljs's streaming writer)
 * and the static export schemas of GET /campaigns/export-schemas.
 */
import { PassThrough } from 'stream';
import ExcelJS from 'exceljs';
import type { LeadSet } from './leads';
import { exportShowsEmail, type ExportRecord } from './exportModel';
import { csvCell } from './validationModel';

export interface ExportColumn {
	key: string;
	label: string;
}

const SOCIAL_COLUMNS: ExportColumn[] = [
	{ key: 'email', label: 'Email' },
	{ key: 'emailSource', label: 'Email source' },
	{ key: 'validationStatus', label: 'Validation status' },
	{ key: 'username', label: 'Username' },
	{ key: 'fullName', label: 'Full name' },
	{ key: 'platform', label: 'Platform' },
	{ key: 'sourceType', label: 'Source type' },
	{ key: 'followerCount', label: 'Followers' },
	{ key: 'followingCount', label: 'Following' },
	{ key: 'mediaCount', label: 'Posts' },
	{ key: 'isVerified', label: 'Verified' },
	{ key: 'isBusiness', label: 'Business account' },
	{ key: 'isPrivate', label: 'Private' },
	{ key: 'country', label: 'Country' },
	{ key: 'biography', label: 'Biography' },
	{ key: 'externalUrl', label: 'Website' },
	{ key: 'phoneNumber', label: 'Phone' },
	{ key: 'scrapedAt', label: 'Found at' },
];

const MAPS_COLUMNS: ExportColumn[] = [
	{ key: 'email', label: 'Email' },
	{ key: 'emailSource', label: 'Email source' },
	{ key: 'validationStatus', label: 'Validation status' },
	{ key: 'fullName', label: 'Place name' },
	{ key: 'phoneNumber', label: 'Phone' },
	{ key: 'externalUrl', label: 'Website' },
	{ key: 'country', label: 'Country' },
	{ key: 'biography', label: 'Description' },
	{ key: 'sourceType', label: 'Source type' },
	{ key: 'scrapedAt', label: 'Found at' },
];

/** Added when the export asks for includeAIVerified. */
const AI_VERIFIED_COLUMN: ExportColumn = { key: 'aiVerified', label: 'AI verified' };

export const EXPORT_SCHEMAS = [
	{ key: 'social_leads', label: 'Social profile leads', columns: SOCIAL_COLUMNS },
	{ key: 'google_maps_places', label: 'Google Maps places', columns: MAPS_COLUMNS },
];

export function columnsFor(leads: LeadSet, includeAIVerified: boolean): ExportColumn[] {
	const base = leads.platform === 'google_maps' ? MAPS_COLUMNS : SOCIAL_COLUMNS;
	return includeAIVerified ? [...base, AI_VERIFIED_COLUMN] : base;
}

type Cell = string | number | boolean | null;

/** Calls `emit` with each row's cells; avoids per-row intermediate objects (100k-row files). */
function forEachRow(e: ExportRecord, leads: LeadSet, emit: (cells: Cell[]) => void): void {
	const columns = columnsFor(leads, e.options.includeAIVerified);
	const keys = columns.map((c) => c.key);
	const cells: Cell[] = new Array(keys.length);
	for (const i of e.rows) {
		const lead = leads.toApiLead(i, e.snapshot) as unknown as Record<string, Cell>;
		const shown = exportShowsEmail(leads, i, e.snapshot, e.options);
		for (let k = 0; k < keys.length; k++) {
			const key = keys[k];
			if (key === 'email' || key === 'emailSource') cells[k] = shown ? lead[key] : null;
			else if (key === 'validationStatus')
				cells[k] = shown ? leads.validationStatus(i, e.snapshot) : null;
			else if (key === 'aiVerified') cells[k] = shown && lead.emailSource === 'ai_verified';
			else cells[k] = lead[key] ?? null;
		}
		emit(cells);
	}
}

export function buildCsv(e: ExportRecord, leads: LeadSet): Buffer {
	const columns = columnsFor(leads, e.options.includeAIVerified);
	const chunks: Buffer[] = [];
	let pending = `${columns.map((c) => csvCell(c.key)).join(',')}\r\n`;
	forEachRow(e, leads, (cells) => {
		let line = '';
		for (let k = 0; k < cells.length; k++) line += (k === 0 ? '' : ',') + csvCell(cells[k]);
		pending += `${line}\r\n`;
		// Flush in ~1 MB pieces: keeps garbage low for 100k-row files.
		if (pending.length > 1_000_000) {
			chunks.push(Buffer.from(pending, 'utf8'));
			pending = '';
		}
	});
	chunks.push(Buffer.from(pending, 'utf8'));
	return Buffer.concat(chunks);
}

export async function buildXlsx(e: ExportRecord, leads: LeadSet): Promise<Buffer> {
	const columns = columnsFor(leads, e.options.includeAIVerified);
	const sink = new PassThrough();
	const chunks: Buffer[] = [];
	sink.on('data', (chunk: Buffer) => chunks.push(chunk));
	const finished = new Promise<void>((resolve, reject) => {
		sink.on('end', resolve);
		sink.on('error', reject);
	});
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
		stream: sink,
		useStyles: false,
		useSharedStrings: false,
	});
	const sheet = workbook.addWorksheet('Leads');
	sheet.columns = columns.map((c) => ({ header: c.key, key: c.key }));
	forEachRow(e, leads, (cells) => sheet.addRow([...cells]).commit());
	sheet.commit();
	await workbook.commit();
	await finished;
	return Buffer.concat(chunks);
}

export function contentTypeFor(format: 'csv' | 'xlsx'): string {
	return format === 'csv'
		? 'text/csv; charset=utf-8'
		: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
}
