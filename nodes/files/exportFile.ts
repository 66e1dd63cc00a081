import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, UnexpectedError } from 'n8n-workflow';

import type { RequestSettings, ScravioContext, StreamedFile } from '../transport';
import { scravioApiRequest, scravioDownload } from '../transport';
import { CATALOGUE, detailPath, unwrapData } from '../api/catalogue';

/** A 403 or 404 while downloading an opaque link: the file host's way of saying it expired. */
function isExpiredLink(error: unknown): boolean {
	return error instanceof NodeApiError && (error.httpCode === '403' || error.httpCode === '404');
}

/**
 * Download links are short-lived: asks for a fresh link right before downloading, and when the
 * file host answers 403 or 404 (expired), asks for another fresh link and tries once more.
 */
export async function downloadWithFreshLink<L, F>(
	freshLink: () => Promise<L>,
	download: (link: L) => Promise<F>,
): Promise<F> {
	const link = await freshLink();
	try {
		return await download(link);
	} catch (error) {
		if (isExpiredLink(error)) return await download(await freshLink());
		throw error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new UnexpectedError(String((error as Error)?.message ?? error));
	}
}

/**
 * The file of a completed export: GET /list-exports/{id}/download (authenticated) for a fresh,
 * short-lived link, then the link itself, whose 302 is followed without any credential (the
 * reference forbids X-API-Key on the redirect route, and the file host is another host).
 *
 * Shared by the Scravio node's export "Download" operation and the Scravio Trigger's
 * "Download File" option, so both fetch files the same way. Both only store the file as binary
 * data, so it comes back as a stream (see `storeFile`), never whole in memory.
 */
export async function fetchExportFile(
	this: ScravioContext,
	exportId: string,
	settings: RequestSettings = {},
): Promise<StreamedFile> {
	const freshLink = async () => {
		const body = (await scravioApiRequest.call(
			this,
			{ method: 'GET', path: `${detailPath(CATALOGUE.export, exportId)}/download` },
			settings,
		)) as IDataObject;
		const link = unwrapData(body);
		const downloadUrl = typeof link.downloadUrl === 'string' ? link.downloadUrl : '';
		if (!downloadUrl) {
			throw new NodeOperationError(
				this.getNode(),
				`Scravio returned no download link for export ${exportId}`,
				{
					itemIndex: settings.itemIndex,
				},
			);
		}
		return {
			downloadUrl,
			fileName: typeof link.filename === 'string' && link.filename ? link.filename : undefined,
		};
	};
	return await downloadWithFreshLink(
		freshLink,
		async ({ downloadUrl, fileName }) =>
			await scravioDownload.call(
				this,
				downloadUrl,
				{ fileName, fallbackFileName: `${exportId}.csv`, what: 'export', as: 'stream' },
				settings,
			),
	);
}
