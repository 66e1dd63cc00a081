import type { INodeProperties } from 'n8n-workflow';

import { CATALOGUE } from '../../../api/catalogue';
import { getOperation } from '../operationFactories/get';
import { exportLocator } from '../../../ui/locators';
import type { ScravioOperation } from '../types';

/**
 * The reference: "Returns an opaque Scravio download URL for a completed export. Do not parse or
 * persist the returned URL." and the link route is public ("Do not send X-API-Key to this route").
 */
export const DOWNLOAD_URL_DESCRIPTION =
	'Get a short-lived link to the file of a completed export. Anyone who has the link can download the file without an API key until it expires: do not store, log or share it. To get the file itself, use Download.';

const downloadUrlNotice: INodeProperties = {
	displayName:
		'The link is short-lived and grants access to the file without an API key. Use it at once; do not store or share it. Export › Download gets the file directly.',
	name: 'downloadUrlNotice',
	type: 'notice',
	default: '',
};

const base = getOperation({
	locator: exportLocator,
	label: 'Export',
	object: CATALOGUE.export,
	suffix: '/download',
});

/** GET /list-exports/{id}/download: { downloadUrl, filename }. The URL is short-lived and opaque. */
export const getExportDownloadUrl: ScravioOperation = {
	...base,
	properties: [downloadUrlNotice, ...base.properties],
};
