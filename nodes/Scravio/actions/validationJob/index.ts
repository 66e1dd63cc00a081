import type { ScravioResource } from '../types';
import { createValidationJob } from './create.operation';
import { downloadValidationResults } from './downloadResults.operation';
import { getValidationJob } from './get.operation';
import { getManyValidationJobs } from './getMany.operation';

export const validationJob: ScravioResource = {
	name: 'Validation Job',
	value: 'validationJob',
	defaultOperation: 'create',
	operations: [
		{
			name: 'Create',
			value: 'create',
			description: 'Submit a list of e-mail addresses for validation',
			action: 'Create a validation job',
			operation: createValidationJob,
		},
		{
			name: 'Download Results',
			value: 'downloadResults',
			description: 'Download the results file of a completed validation job',
			action: 'Download validation job results',
			operation: downloadValidationResults,
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Get a validation job with its status and counts',
			action: 'Get a validation job',
			operation: getValidationJob,
		},
		{
			name: 'Get Many',
			value: 'getMany',
			description: 'List validation jobs',
			action: 'Get many validation jobs',
			operation: getManyValidationJobs,
		},
	],
};
