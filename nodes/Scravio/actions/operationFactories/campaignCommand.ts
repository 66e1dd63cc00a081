import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RetryKind } from '../../../transport';
import type { ItemApi, ScravioOperation } from '../types';
import { CATALOGUE, detailPath } from '../../../api/catalogue';
import { campaignLocator, locatorId } from '../../../ui/locators';
import { optionsCollection } from '../../../ui/options';

interface CampaignCommandSpec {
	method: 'GET' | 'POST';
	/** Route below the campaign, e.g. `/validate/preview` for GET /campaigns/{id}/validate/preview. */
	suffix: string;
	/** Only needed for POSTs that are safe to repeat (stop); other POSTs charge and are never retried. */
	retry?: RetryKind;
	/** Parameters shown between the campaign and the "Options" collection. */
	properties?: INodeProperties[];
	/** Extra entries of the "Options" collection. */
	options?: INodeProperties[];
	/** The request body; checks its input first, so that bad input is refused before sending. */
	body?(this: IExecuteFunctions, itemIndex: number): IDataObject | undefined;
}

/** An operation on one campaign, chosen with the campaign locator: stop, preview validation. */
export function campaignCommand(spec: CampaignCommandSpec): ScravioOperation {
	return {
		properties: [campaignLocator, ...(spec.properties ?? []), optionsCollection(spec.options)],
		async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
			const campaignId = locatorId(this, campaignLocator.name, itemIndex, 'Campaign');
			const body = spec.body?.call(this, itemIndex);
			return await api.request({
				method: spec.method,
				path: `${detailPath(CATALOGUE.campaign, campaignId)}${spec.suffix}`,
				body,
				retry: spec.retry,
			});
		},
	};
}
