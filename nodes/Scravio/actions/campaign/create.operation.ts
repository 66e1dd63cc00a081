import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { optionsCollection } from '../common/options';
import type { ItemApi, ScravioOperation } from '../types';
import { campaignFormProperties, campaignRequestBody } from './campaignForm';

/**
 * Checks one item's settings, then POST /campaigns (which reserves credits; never retried
 * after a lost answer). Returns the created campaign; separate from `execute` so that
 * "Wait for Completion" can wrap it.
 */
export async function launchCampaign(context: IExecuteFunctions, itemIndex: number, api: ItemApi): Promise<IDataObject> {
	const body = await campaignRequestBody(context, itemIndex, api, 'create');
	const response = await api.request<IDataObject>({ method: 'POST', path: '/campaigns', body });
	return (response.campaign ?? response) as IDataObject;
}

/** POST /campaigns: creates a campaign of any of the 23 types. */
export const createCampaign: ScravioOperation = {
	properties: [...campaignFormProperties('create'), optionsCollection()],
	async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
		const campaign = await launchCampaign(this, itemIndex, api);
		return campaign;
	},
};
