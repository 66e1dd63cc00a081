import type { ScravioResource } from '../types';
import { getAccount } from './get.operation';

export const account: ScravioResource = {
	name: 'Account',
	value: 'account',
	defaultOperation: 'get',
	operations: [
		{
			name: 'Get',
			value: 'get',
			description: 'Get the account, its credit balance and the effective workspace',
			action: 'Get the account',
			operation: getAccount,
		},
	],
};
