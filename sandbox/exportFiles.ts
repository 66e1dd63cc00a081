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

function* exportRows(e: ExportRecord, leads: LeadSet): Generator<Cell[]> {
	const columns = columnsFor(leads, e.options.includeAIVerified);
	for (const i of e.rows) {
		const lead = leads.toApiLead(i, e.snapshot) as unknown as Record<string, Cell>;
		const shown = exportShowsEmail(leads, i, e.snapshot, e.options);
		const values: Record<string, Cell> = {
			...lead,
			email: shown ? lead.email : null,
			emailSource: shown ? lead.emailSource : null,
			validationStatus: shown ? leads.validationStatus(i, e.snapshot) : null,
			aiVerified: shown && lead.emailSource === 'ai_verified',
		};
		yield columns.map((c) => values[c.key] ?? null);
	}
}

export function buildCsv(e: ExportRecord, leads: LeadSet): Buffer {
	const columns = columnsFor(leads, e.options.includeAIVerified);
	const lines: string[] = [columns.map((c) => csvCell(c.key)).join(',')];
	for (const row of exportRows(e, leads)) lines.push(row.map(csvCell).join(','));
	return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
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
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: false, useSharedStrings: false });
	const sheet = workbook.addWorksheet('Leads');
	sheet.columns = columns.map((c) => ({ header: c.key, key: c.key }));
	for (const row of exportRows(e, leads)) sheet.addRow(row).commit();
	sheet.commit();
	await workbook.commit();
	await finished;
	return Buffer.concat(chunks);
}

export function contentTypeFor(format: 'csv' | 'xlsx'): string {
	return format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
}
