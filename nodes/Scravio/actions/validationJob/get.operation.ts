import { getOperation, unwrapData } from '../operationFactories/get';
import { validationJobLocator } from '../../../ui/locators';
import { includeDownloadUrlOption, jobOutput } from './output';

/** GET /validation-jobs/{id}: status and counts (the results' downloadUrl only with "Include Download URL"). */
export const getValidationJob = getOperation({
	locator: validationJobLocator,
	label: 'Validation Job',
	path: '/validation-jobs/{id}',
	simplify: 'validationJob',
	scope: 'accountKeyOnly',
	unwrap: unwrapData,
	options: [includeDownloadUrlOption],
	output: jobOutput,
});
