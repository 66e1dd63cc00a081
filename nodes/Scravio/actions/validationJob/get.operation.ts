import { CATALOGUE } from '../../../api/catalogue';
import { getOperation } from '../operationFactories/get';
import { validationJobLocator } from '../../../ui/locators';
import { includeDownloadUrlOption, jobOutput } from './output';

/** GET /validation-jobs/{id}: status and counts (the results' downloadUrl only with "Include Download URL"). */
export const getValidationJob = getOperation({
	locator: validationJobLocator,
	label: 'Validation Job',
	object: CATALOGUE.validationJob,
	simplify: 'validationJob',
	options: [includeDownloadUrlOption],
	output: jobOutput,
});
