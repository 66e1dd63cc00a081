import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DownloadedFile, StreamedFile } from '../../../transport';
import { downloadWithFreshLink } from '../../../files/exportFile';
import { CATALOGUE, detailRoute, unwrapObject } from '../../../api/catalogue';
import type { ItemApi } from '../types';

/**
 * The results file of a validation job, always through a fresh link: GET /validation-jobs/{id}
 * right before the download (the job's `downloadUrl` is short-lived), and once more when the file
 * host answers 403 or 404 (expired). A job without results yet is an error that says its status.
 * Returns the job as last read, and the file (in memory, or as a stream to store as binary data).
 */
export async function downloadJobResults<As extends 'buffer' | 'stream'>(
	context: IExecuteFunctions,
	api: ItemApi,
	jobId: string,
	{ as }: { as: As },
): Promise<{ job: IDataObject; file: As extends 'stream' ? StreamedFile : DownloadedFile }> {
	let job: IDataObject = {};
	const freshLink = async () => {
		job = unwrapObject(
			CATALOGUE.validationJob,
			await api.request<IDataObject>({
				method: 'GET',
				...detailRoute(CATALOGUE.validationJob, jobId),
			}),
		);
		const downloadUrl = typeof job.downloadUrl === 'string' ? job.downloadUrl : '';
		if (!downloadUrl) {
			const status = String(job.status ?? 'unknown');
			throw new NodeOperationError(
				context.getNode(),
				`Validation job ${jobId} has no results to download yet (status: ${status})`,
				{
					itemIndex: api.itemIndex,
					description:
						status === 'failed' || status === 'cancelled'
							? `The job ended as "${status}" and has no results file.`
							: 'Results can be downloaded once the job is completed. Check it with "Get" first, or wait and run this again.',
				},
			);
		}
		return downloadUrl;
	};
	const file = await downloadWithFreshLink(
		freshLink,
		async (downloadUrl) =>
			await api.download(downloadUrl, {
				fallbackFileName: `${jobId}-results.csv`,
				what: 'validation results',
				as,
			}),
	);
	return { job, file: file as As extends 'stream' ? StreamedFile : DownloadedFile };
}
