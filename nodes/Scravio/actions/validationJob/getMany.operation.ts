import { CATALOGUE } from '../../../api/catalogue';
import { dateRangeFilters, statusFilter } from '../operationFactories/filters';
import { listOperation } from '../operationFactories/list';
import { includeDownloadUrlOption, jobOutput } from './output';

/** GET /validation-jobs (page/limit pagination) with every documented filter and sort. */
export const getManyValidationJobs = listOperation({
	object: CATALOGUE.validationJob,
	options: [includeDownloadUrlOption],
	output: jobOutput,
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
		statusFilter(CATALOGUE.validationJob.statuses.all, 'completed'),
	],
	sort: {
		fields: [
			{ name: 'Completed At', value: 'completedAt' },
			{ name: 'Created At', value: 'createdAt' },
		],
		default: 'createdAt',
	},
});
