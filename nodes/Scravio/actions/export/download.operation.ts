import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { binaryPropertyName, binaryPropertyOption } from '../../../files/binary';
import { fileItem } from '../output/fileItem';
import { fetchExportFile } from '../../../files/exportFile';
import { exportLocator, locatorId } from '../../../ui/locators';
import { optionsCollection } from '../../../ui/options';
import type { ItemApi, ScravioOperation } from '../types';

/**
 * The export's file as binary data: a fresh link (authenticated), then the link followed
 * without any credential (see fetchExportFile). The JSON part says which export and file it is.
 */
export async function downloadExport(
	context: IExecuteFunctions,
	itemIndex: number,
	api: ItemApi,
	exportId: string,
): Promise<INodeExecutionData> {
	const file = await fetchExportFile.call(context, exportId, {
		workspaceId: api.workspaceId,
		itemIndex,
	});
	return await fileItem(context, file, binaryPropertyName(context, itemIndex), { exportId });
}

export const downloadExportFile: ScravioOperation = {
	properties: [exportLocator, binaryPropertyOption, optionsCollection()],
	async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
		const exportId = locatorId(this, exportLocator.name, itemIndex, 'Export');
		return await downloadExport(this, itemIndex, api, exportId);
	},
};
