import type { IExecuteFunctions } from 'n8n-workflow';

import { chargingOperation } from '../charges';
import { CATALOGUE, detailPath, unwrapData } from '../../../api/catalogue';
import { campaignLocator, locatorId } from '../../../ui/locators';
import { optionsCollection } from '../../../ui/options';
import type { WaitSettings } from '../waitForCompletion/wait';
import { readWaitSettings, waitForCompletion, waitProperties } from '../waitForCompletion/wait';
import {
	CAMPAIGN_VALIDATION_OUTCOMES,
	campaignValidationTarget,
} from '../waitForCompletion/waitTargets';
import type { ItemApi } from '../types';

/**
 * POST /campaigns/{id}/validate: starts the post-campaign validation and reserves its credits.
 * Sent at most once per item and execution (see ../charges.ts). Returns the started job
 * ({ campaignId, jobId, emailsToValidate, creditCost, status }); with "Wait for Completion",
 * follows the campaign's `postValidation` until it is completed and returns the start answer with
 * the final status and counts (`postValidation`).
 *
 * Masked e-mails: this route sends no addresses; Scravio validates the campaign's own leads.
 */
export const validateCampaign = chargingOperation<{
	campaignId: string;
	wait: WaitSettings | undefined;
}>({
	properties: [
		campaignLocator,
		...waitProperties('validation', CAMPAIGN_VALIDATION_OUTCOMES.failed),
		optionsCollection(),
	],
	async check(this: IExecuteFunctions, itemIndex: number) {
		const wait = readWaitSettings(this, itemIndex);
		return { campaignId: locatorId(this, campaignLocator.name, itemIndex, 'Campaign'), wait };
	},
	async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi, { campaignId, wait }) {
		const { body } = await api.charge(
			{
				method: 'POST',
				path: `${detailPath(CATALOGUE.campaign, campaignId)}/validate`,
				expectId: 'jobId',
			},
			{
				what: 'validation',
				idOf: (answer) => unwrapData(answer).jobId,
				checkIn: `the campaign's post-validation status (Campaign → Get ${campaignId}, field postValidation) and the credit transactions`,
			},
		);
		const started = body;
		if (!wait) return started;
		return await waitForCompletion(
			this,
			campaignValidationTarget(api, started),
			wait,
			itemIndex,
			started,
		);
	},
});
