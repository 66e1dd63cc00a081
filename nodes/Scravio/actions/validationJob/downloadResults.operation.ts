import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { binaryPropertyName, binaryPropertyOption, fileItem } from '../common/binary';
import { unwrapData } from '../common/get';
import { locatorId, segment, validationJobLocator } from '../common/locators';
import { optionsCollection } from '../common/options';
import type { ItemApi, ScravioOperation } from '../types';

/**
 * Fetches the job, then its `downloadUrl` as binary (through the transport's download, which
 * sends no credentials). A job without results yet is an error that says its status.
 */
export const downloadValidationResults: ScravioOperation = {
	properties: [validationJobLocator, binaryPropertyOption, optionsCollection()],
	async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
		const jobId = locatorId(this, validationJobLocator.name, itemIndex, 'Validation Job');
		const job = unwrapData(
			await api.request<IDataObject>({ method: 'GET', path: `/validation-jobs/${segment(jobId)}`, scope: 'accountKeyOnly' }),
		);
		const downloadUrl = typeof job.downloadUrl === 'string' ? job.downloadUrl : '';
		if (!downloadUrl) {
			const status = String(job.status ?? 'unknown');
			throw new NodeOperationError(this.getNode(), `Validation job ${jobId} has no results to download yet (status: ${status})`, {
				itemIndex,
				description:
					status === 'failed' || status === 'cancelled'
						? `The job ended as "${status}" and has no results file.`
						: 'Results can be downloaded once the job is completed. Check it with "Get" first, or wait and run this again.',
			});
		}
		const file = await api.download(downloadUrl, { fallbackFileName: `${jobId}-results.csv`, what: 'validation results', as: 'stream' });
		return await fileItem(this, file, binaryPropertyName(this, itemIndex), {
			jobId,
			status: job.status,
			totalEmails: job.totalEmails,
			validCount: job.validCount,
			invalidCount: job.invalidCount,
		});
	},
};
