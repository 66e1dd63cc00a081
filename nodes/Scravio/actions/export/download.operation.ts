import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { binaryPropertyName, binaryPropertyOption, fileItem } from '../common/binary';
import { unwrapData } from '../common/get';
import { exportLocator, locatorId, segment } from '../common/locators';
import { optionsCollection } from '../common/options';
import type { ItemApi, ScravioOperation } from '../types';

/**
 * Asks for the export's download URL (authenticated), then fetches that URL and follows its
 * 302 without any credential: the reference forbids X-API-Key on the redirect route, and the
 * file host is another host.
 */
export async function downloadExport(
	context: IExecuteFunctions,
	itemIndex: number,
	api: ItemApi,
	exportId: string,
): Promise<INodeExecutionData> {
	const link = unwrapData(
		await api.request<IDataObject>({ method: 'GET', path: `/list-exports/${segment(exportId)}/download` }),
	);
	const fileName = typeof link.filename === 'string' && link.filename ? link.filename : undefined;
	const file = await api.download(String(link.downloadUrl ?? ''), { fileName, fallbackFileName: `${exportId}.csv`, what: 'export' });
	return await fileItem(context, file, binaryPropertyName(context, itemIndex), { exportId });
}

export const downloadExportFile: ScravioOperation = {
	properties: [exportLocator, binaryPropertyOption, optionsCollection()],
	async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
		const exportId = locatorId(this, exportLocator.name, itemIndex, 'Export');
		return await downloadExport(this, itemIndex, api, exportId);
	},
};
