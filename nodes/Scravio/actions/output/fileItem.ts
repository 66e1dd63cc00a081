import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { storeFile } from '../../../files/binary';
import type { DownloadedFile, StreamedFile } from '../../../transport';
import { isToolExecution, TOOL_FILE_NOTE } from './toolUse';

/** One output item holding a downloaded file as binary data, plus a JSON summary of it. */
export async function fileItem(
	context: IExecuteFunctions,
	file: DownloadedFile | StreamedFile,
	propertyName: string,
	json: IDataObject,
): Promise<INodeExecutionData> {
	const { binary, bytes } = await storeFile(context, file);
	const note = isToolExecution(context) ? { note: TOOL_FILE_NOTE } : {};
	return {
		json: { ...json, fileName: file.fileName, mimeType: file.mimeType, fileSize: bytes, ...note },
		binary: { [propertyName]: binary },
	};
}
