import { getOperation, unwrapData } from '../operationFactories/get';
import { exportLocator } from '../../../ui/locators';

/** GET /list-exports/{id}: status, progress and, once completed, file name and record count. */
export const getExport = getOperation({
	locator: exportLocator,
	label: 'Export',
	path: '/list-exports/{id}',
	simplify: 'export',
	unwrap: unwrapData,
});
