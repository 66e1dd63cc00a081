import { getOperation, unwrapData } from '../common/get';
import { exportLocator } from '../common/locators';

/** GET /list-exports/{id}/download: { downloadUrl, filename }. The URL is short-lived and opaque. */
export const getExportDownloadUrl = getOperation({
	locator: exportLocator,
	label: 'Export',
	path: '/list-exports/{id}/download',
	unwrap: unwrapData,
});
