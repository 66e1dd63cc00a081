import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { DownloadedFile } from '../../transport';

export const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the output binary field to put the file in',
};

/** Reads the binary field name chosen for an item (default `data`). */
export function binaryPropertyName(context: IExecuteFunctions, itemIndex: number): string {
	return String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data') || 'data').trim() || 'data';
}

/** One output item holding a downloaded file as binary data, plus a JSON summary of it. */
export async function fileItem(
	context: IExecuteFunctions,
	file: DownloadedFile,
	propertyName: string,
	json: IDataObject,
): Promise<INodeExecutionData> {
	const binary = await context.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
	return {
		json: { ...json, fileName: file.fileName, mimeType: file.mimeType, fileSize: file.data.length },
		binary: { [propertyName]: binary },
	};
}
