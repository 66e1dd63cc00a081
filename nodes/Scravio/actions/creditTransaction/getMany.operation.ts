import { CATALOGUE } from '../../../api/catalogue';
import { campaignIdFilter, dateRangeFilters } from '../operationFactories/filters';
import { listOperation } from '../operationFactories/list';

/**
 * GET /credit-transactions: the account's credit ledger. Account-scoped: X-Workspace-Id is
 * never sent, so the node offers no workspace override here.
 */
export const getManyCreditTransactions = listOperation({
	object: CATALOGUE.creditTransaction,
	filters: [
		campaignIdFilter('transactions'),
		...dateRangeFilters({ from: 'From', to: 'To' }, 'transactions'),
		{
			displayName: 'Type',
			name: 'type',
			type: 'string',
			default: '',
			placeholder: 'e.g. purchase',
			description: 'Transaction type, as shown in the type field of a transaction',
		},
	],
	sort: {
		fields: [
			{ name: 'Amount', value: 'amount' },
			{ name: 'Timestamp', value: 'timestamp' },
		],
		default: 'timestamp',
	},
});
