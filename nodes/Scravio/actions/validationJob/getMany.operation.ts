import { PAGINATION } from '../../transport';
import { listOperation } from '../common/list';

export const VALIDATION_JOB_STATUSES = ['pending', 'queued', 'processing', 'completed', 'failed', 'cancelled'] as const;

/** GET /validation-jobs (page/limit pagination) with every documented filter and sort. */
export const getManyValidationJobs = listOperation({
	style: PAGINATION.validationJobs,
	scope: 'accountKeyOnly',
	path: () => '/validation-jobs',
	filters: [
		{
			displayName: 'Created After',
			name: 'from',
			type: 'dateTime',
			default: '',
		},
		{
			displayName: 'Created Before',
			name: 'to',
			type: 'dateTime',
			default: '',
		},
		{
			displayName: 'Provider',
			name: 'provider',
			type: 'string',
			default: '',
			description: 'Validation source to filter by, where the API records one',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: VALIDATION_JOB_STATUSES.map((status) => ({ name: status.charAt(0).toUpperCase() + status.slice(1), value: status })),
			default: 'completed',
		},
	],
	sort: {
		fields: [
			{ name: 'Completed At', value: 'completedAt' },
			{ name: 'Created At', value: 'createdAt' },
		],
		default: 'createdAt',
	},
});
