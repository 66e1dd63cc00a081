import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { campaignCommand } from '../common/campaignCommand';
import { readWaitSettings, waitForCompletion, waitProperties } from '../common/wait';
import { CAMPAIGN_VALIDATION_OUTCOMES, campaignValidationTarget } from '../common/waitTargets';
import type { ItemApi, ScravioOperation } from '../types';

/**
 * POST /campaigns/{id}/validate: starts the post-campaign validation and reserves its credits.
 * A charging POST, so the transport never retries it when the outcome is unknown.
 * Returns the started job ({ campaignId, jobId, emailsToValidate, creditCost, status }).
 */
const startValidation = campaignCommand({
	method: 'POST',
	suffix: '/validate',
	expectId: 'jobId',
	properties: waitProperties('validation', CAMPAIGN_VALIDATION_OUTCOMES.failed),
});

/**
 * With "Wait for Completion", follows the campaign's `postValidation` until it is completed and
 * returns the start answer with the final status and counts (`postValidation`).
 */
export const validateCampaign: ScravioOperation = {
	properties: startValidation.properties,
	async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
		const wait = readWaitSettings(this, itemIndex);
		const started = (await startValidation.execute.call(this, itemIndex, api)) as IDataObject;
		if (!wait) return started;
		return await waitForCompletion(this, campaignValidationTarget(api, started), wait, itemIndex, started);
	},
};
