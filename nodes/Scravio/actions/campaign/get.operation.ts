import type { IDataObject } from 'n8n-workflow';

import { getOperation } from '../operationFactories/get';
import { campaignLocator } from '../../../ui/locators';

/** GET /campaigns/{id}: the detail view, with postValidation. */
export const getCampaign = getOperation({
	locator: campaignLocator,
	label: 'Campaign',
	path: '/campaigns/{id}',
	simplify: 'campaign',
	unwrap: (body) => (body.campaign ?? body) as IDataObject,
});
