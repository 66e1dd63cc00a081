import { CATALOGUE } from '../../../api/catalogue';
import { getOperation } from '../operationFactories/get';
import { exportLocator } from '../../../ui/locators';

/** GET /list-exports/{id}: status, progress and, once completed, file name and record count. */
export const getExport = getOperation({
	locator: exportLocator,
	label: 'Export',
	object: CATALOGUE.export,
	simplify: 'export',
});
