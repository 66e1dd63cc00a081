import type { IExecuteFunctions } from 'n8n-workflow';

import { binaryPropertyName, binaryPropertyOption } from '../../../files/binary';
import { fileItem } from '../output/fileItem';
import { locatorId, validationJobLocator } from '../../../ui/locators';
import { optionsCollection } from '../../../ui/options';
import type { ItemApi, ScravioOperation } from '../types';
import { downloadJobResults } from './results';

/**
 * Fetches the job for a fresh results link, then the file as binary (through the transport's
 * download, which sends no credentials); an expired link gets one more try with a fresh one.
 */
export const downloadValidationResults: ScravioOperation = {
	properties: [validationJobLocator, binaryPropertyOption, optionsCollection()],
	async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
		const jobId = locatorId(this, validationJobLocator.name, itemIndex, 'Validation Job');
		const { job, file } = await downloadJobResults(this, api, jobId, { as: 'stream' });
		return await fileItem(this, file, binaryPropertyName(this, itemIndex), {
			jobId,
			status: job.status,
			totalEmails: job.totalEmails,
			validCount: job.validCount,
			invalidCount: job.invalidCount,
		});
	},
};
