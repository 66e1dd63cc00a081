/** List exports, their download links, and the exports whose completion webhook is still due. */
import type { ExportRecord } from './exportModel';

export interface DownloadLink {
	id: string;
	exportId: string;
	accountId: string;
	createdAt: number;
	expiresAt: number;
}

/** Download links returned by GET /list-exports/{id}/download live this long (virtual time). */
export const DOWNLOAD_LINK_TTL_MS = 15 * 60_000;

export class ExportStore {
	readonly exports = new Map<string, ExportRecord>();
	readonly downloads = new Map<string, DownloadLink>();
	/** Exports with a webhookUrl whose webhook has not been sent yet (the simulation sends it). */
	readonly awaitingWebhook = new Set<ExportRecord>();

	add(e: ExportRecord): void {
		this.exports.set(e.id, e);
		if (e.webhookUrl) this.awaitingWebhook.add(e);
	}
}
