import type { IBinaryData, IExecuteFunctions, INodeProperties, IPollFunctions } from 'n8n-workflow';

import type { DownloadedFile, StreamedFile } from '../transport';
import { downloadError } from '../transport';

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
	return (
		String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data') || 'data').trim() ||
		'data'
	);
}

/**
 * Stores a downloaded file as n8n binary data. A streamed file goes to `prepareBinaryData` as
 * the stream: n8n's filesystem (and other storage) modes write it to storage as it arrives; its
 * memory mode collects it into base64. `bytes` is the file's size in bytes.
 */
export async function storeFile(
	context: IExecuteFunctions | IPollFunctions,
	file: DownloadedFile | StreamedFile,
): Promise<{ binary: IBinaryData; bytes: number }> {
	let binary: IBinaryData;
	try {
		binary = await context.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
	} catch (error) {
		// A stalled or cancelled download: say so, not the HTTP client's "canceled".
		throw downloadError(file.data, error);
	}
	if (Buffer.isBuffer(file.data)) return { binary, bytes: file.data.length };
	return {
		binary,
		bytes: await storedBytes(
			context,
			binary,
			'contentLength' in file ? file.contentLength : undefined,
		),
	};
}

/**
 * The size of stored binary data: n8n 2.x sets `bytes`; n8n 1.x does not, so its memory mode is
 * measured from the base64 text and its storage modes from the stored file's metadata. The
 * Content-Length header is the last resort.
 */
async function storedBytes(
	context: IExecuteFunctions | IPollFunctions,
	binary: IBinaryData,
	contentLength: number | undefined,
): Promise<number> {
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (!binary.id) return Buffer.byteLength(binary.data, 'base64');
	try {
		const { fileSize } = await context.helpers.getBinaryMetadata(binary.id);
		if (typeof fileSize === 'number') return fileSize;
	} catch {
		// No metadata to read: fall back to what the file host announced.
	}
	return contentLength ?? 0;
}
