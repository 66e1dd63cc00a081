import { PAGINATION } from '../../transport';
import { listOperation } from '../common/list';

export const EXPORT_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;

/** GET /list-exports with every documented filter and sort. */
export const getManyExports = listOperation({
	style: PAGINATION.exports,
	path: () => '/list-exports',
	filters: [
		{
			displayName: 'Campaign ID',
			name: 'campaignId',
			type: 'string',
			default: '',
			placeholder: 'e.g. cmp_8f2k3',
			description: 'Only exports of this campaign',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: EXPORT_STATUSES.map((status) => ({ name: status.charAt(0).toUpperCase() + status.slice(1), value: status })),
			default: 'completed',
		},
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
