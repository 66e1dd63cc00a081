import type { ScravioResource } from '../types';
import { getCampaign } from './get.operation';
import { getManyCampaigns } from './getMany.operation';

export const campaign: ScravioResource = {
	name: 'Campaign',
	value: 'campaign',
	defaultOperation: 'create',
	operations: [
		{ name: 'Get', value: 'get', description: 'Get a campaign with its progress and validation summary', action: 'Get a campaign', operation: getCampaign },
		{ name: 'Get Many', value: 'getMany', description: 'List campaigns', action: 'Get many campaigns', operation: getManyCampaigns },
	],
};
