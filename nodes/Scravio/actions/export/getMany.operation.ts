import { PAGINATION } from '../../../transport';
import { statusFilter } from '../operationFactories/filters';
import { listOperation } from '../operationFactories/list';

export const EXPORT_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;

/** GET /list-exports with every documented filter and sort. */
export const getManyExports = listOperation({
	style: PAGINATION.exports,
	path: () => '/list-exports',
	simplify: 'export',
	filters: [
		{
			displayName: 'Campaign ID',
			name: 'campaignId',
			type: 'string',
			default: '',
			placeholder: 'e.g. cmp_8f2k3',
			description: 'Only exports of this campaign',
		},
		statusFilter(EXPORT_STATUSES, 'completed'),
	],
	sort: {
		fields: [
			{ name: 'Completed At', value: 'completedAt' },
			{ name: 'Created At', value: 'createdAt' },
			{ name: 'Status', value: 'status' },
		],
		default: 'createdAt',
	},
});
