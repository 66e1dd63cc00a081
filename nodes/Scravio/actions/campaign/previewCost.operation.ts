import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { unwrapData } from '../../../api/catalogue';
import { optionsCollection } from '../../../ui/options';
import type { ItemApi, ScravioOperation } from '../types';
import { campaignFormProperties, campaignRequestBody } from './campaignForm';

/** POST /campaigns/reserve-preview: what a campaign would reserve, before creating it. */
export const previewCampaignCost: ScravioOperation = {
	properties: [...campaignFormProperties('preview'), optionsCollection()],
	async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
		const body = await campaignRequestBody(this, itemIndex, api, 'preview');
		// A preview reserves nothing, so a retry after a lost answer cannot charge twice.
		const response = await api.request<IDataObject>({
			method: 'POST',
			path: '/campaigns/reserve-preview',
			body,
			retry: 'idempotent',
		});
		return unwrapData(response);
	},
};
