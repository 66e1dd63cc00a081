import { getOperation, unwrapData } from '../common/get';
import { validationJobLocator } from '../common/locators';

/** GET /validation-jobs/{id}: status, counts and, once completed, the results' downloadUrl. */
export const getValidationJob = getOperation({
	locator: validationJobLocator,
	label: 'Validation Job',
	path: '/validation-jobs/{id}',
	simplify: 'validationJob',
	scope: 'accountKeyOnly',
	unwrap: unwrapData,
});
