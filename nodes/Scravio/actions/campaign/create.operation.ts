import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { optionsCollection } from '../common/options';
import { readWaitSettings, waitForCompletion, waitProperties } from '../common/wait';
import { CAMPAIGN_OUTCOMES, campaignTarget } from '../common/waitTargets';
import type { ItemApi, ScravioOperation } from '../types';
import { campaignFormProperties, campaignRequestBody } from './campaignForm';

/**
 * Checks one item's settings, then POST /campaigns (which reserves credits; never retried
 * after a lost answer). Returns the created campaign; separate from `execute` so that
 * "Wait for Completion" can wrap it.
 */
export async function launchCampaign(context: IExecuteFunctions, itemIndex: number, api: ItemApi): Promise<IDataObject> {
	const body = await campaignRequestBody(context, itemIndex, api, 'create');
	const response = await api.request<IDataObject>({ method: 'POST', path: '/campaigns', body, expectId: 'id' });
	return (response.campaign ?? response) as IDataObject;
}

/** POST /campaigns: creates a campaign of any of the 23 types, and optionally waits until it has finished. */
export const createCampaign: ScravioOperation = {
	properties: [...campaignFormProperties('create'), ...waitProperties('campaign', CAMPAIGN_OUTCOMES.failed), optionsCollection()],
	async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
		// Read before the POST: a bad wait setting must not cost credits.
		const wait = readWaitSettings(this, itemIndex);
		const campaign = await launchCampaign(this, itemIndex, api);
		if (!wait) return campaign;
		return await waitForCompletion(this, campaignTarget(api, String(campaign.id)), wait, itemIndex, campaign);
	},
};
