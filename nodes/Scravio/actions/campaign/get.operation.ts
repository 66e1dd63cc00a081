import { CATALOGUE } from '../../../api/catalogue';
import { getOperation } from '../operationFactories/get';
import { campaignLocator } from '../../../ui/locators';

/** GET /campaigns/{id}: the detail view, with postValidation. */
export const getCampaign = getOperation({
	locator: campaignLocator,
	label: 'Campaign',
	object: CATALOGUE.campaign,
	simplify: 'campaign',
});
