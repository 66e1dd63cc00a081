import type { ScravioResource } from '../types';
import { createExport } from './create.operation';
import { createAndDownloadExport } from './createAndDownload.operation';
import { downloadExportFile } from './download.operation';
import { getExport } from './get.operation';
import { DOWNLOAD_URL_DESCRIPTION, getExportDownloadUrl } from './getDownloadUrl.operation';
import { getManyExports } from './getMany.operation';

export const exportResource: ScravioResource = {
	name: 'Export',
	value: 'export',
	defaultOperation: 'create',
	operations: [
		{
			name: 'Create',
			value: 'create',
			description: 'Export the leads of a campaign as a CSV or XLSX file',
			action: 'Create an export',
			operation: createExport,
		},
		{
			name: 'Create and Download',
			value: 'createAndDownload',
			description:
				'Create an export, wait until it is ready and download the file as binary data, in one step',
			action: 'Create and download an export',
			operation: createAndDownloadExport,
		},
		{
			name: 'Download',
			value: 'download',
			description: 'Download the file of a completed export as binary data',
			action: 'Download an export',
			operation: downloadExportFile,
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Get an export with its status and progress',
			action: 'Get an export',
			operation: getExport,
		},
		{
			name: 'Get Download URL',
			value: 'getDownloadUrl',
			description: DOWNLOAD_URL_DESCRIPTION,
			action: 'Get the download URL of an export',
			operation: getExportDownloadUrl,
		},
		{
			name: 'Get Many',
			value: 'getMany',
			description: 'List exports',
			action: 'Get many exports',
			operation: getManyExports,
		},
	],
};
