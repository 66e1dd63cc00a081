import { PAGINATION } from '../../../transport';
import { dateRangeFilters, statusFilter } from '../operationFactories/filters';
import { listOperation } from '../operationFactories/list';
import { includeDownloadUrlOption, jobOutput } from './output';

export const VALIDATION_JOB_STATUSES = ['pending', 'queued', 'processing', 'completed', 'failed', 'cancelled'] as const;

/** GET /validation-jobs (page/limit pagination) with every documented filter and sort. */
export const getManyValidationJobs = listOperation({
	style: PAGINATION.validationJobs,
	scope: 'accountKeyOnly',
	options: [includeDownloadUrlOption],
	output: jobOutput,
	path: () => '/validation-jobs',
	simplify: 'validationJob',
	filters: [
		...dateRangeFilters({ from: 'Created After', to: 'Created Before' }, 'jobs created'),
		{
			displayName: 'Provider',
			name: 'provider',
			type: 'string',
			default: '',
			description: 'Validation source to filter by, where the API records one',
		},
		statusFilter(VALIDATION_JOB_STATUSES, 'completed'),
	],
	sort: {
		fields: [
			{ name: 'Completed At', value: 'completedAt' },
			{ name: 'Created At', value: 'createdAt' },
		],
		default: 'createdAt',
	},
});
