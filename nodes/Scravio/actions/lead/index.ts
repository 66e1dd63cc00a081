import type { ScravioResource } from '../types';
import { getManyLeads } from './getMany.operation';

export const lead: ScravioResource = {
	name: 'Lead',
	value: 'lead',
	defaultOperation: 'getMany',
	operations: [
		{
			name: 'Get Many',
			value: 'getMany',
			description: 'List the leads of a campaign',
			action: 'Get many leads',
			operation: getManyLeads,
		},
	],
};
