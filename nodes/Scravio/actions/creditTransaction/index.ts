import type { ScravioResource } from '../types';
import { getManyCreditTransactions } from './getMany.operation';

export const creditTransaction: ScravioResource = {
	name: 'Credit Transaction',
	value: 'creditTransaction',
	defaultOperation: 'getMany',
	operations: [
		{
			name: 'Get Many',
			value: 'getMany',
			description: 'List the credit ledger of the account',
			action: 'Get many credit transactions',
			operation: getManyCreditTransactions,
		},
	],
};
