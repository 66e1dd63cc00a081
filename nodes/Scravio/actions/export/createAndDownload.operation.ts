import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { chargingOperation } from '../charges';
import { binaryPropertyOption } from '../../../files/binary';
import { waitProperties } from '../waitForCompletion/wait';
import { EXPORT_OUTCOMES } from '../waitForCompletion/waitTargets';
import type { ItemApi } from '../types';
import type { CheckedExport } from './create.operation';
import { checkExport, createAndWaitExport, exportFormProperties } from './create.operation';
import { downloadExport } from './download.operation';

/**
 * Create, wait and download in one step: the export "Create" (POST /list-exports, charging, never
 * retried after an unknown outcome), "Wait for Completion", then the export "Download". The item
 * holds the file as binary and the final export as JSON. Turning the CSV or XLSX file into rows
 * is left to n8n's "Extract From File" node: verified community nodes carry no parsers.
 *
 * When the wait ends without a file (timeout with "Return Current State", or a failed export with
 * "Output Failed Outcomes") the item holds the export as it stands and no binary data.
 */
export const createAndDownloadExport = chargingOperation<CheckedExport>({
	properties: [
		...exportFormProperties.slice(0, -1),
		binaryPropertyOption,
		...waitProperties('export', EXPORT_OUTCOMES.failed, { toggle: false }),
		...exportFormProperties.slice(-1),
	],
	async check(this: IExecuteFunctions, itemIndex: number) {
		return checkExport(this, itemIndex, { always: true });
	},
	async execute(
		this: IExecuteFunctions,
		itemIndex: number,
		api: ItemApi,
		checked,
	): Promise<INodeExecutionData> {
		// A later try of this execution finds the export already created and goes on waiting and downloading.
		const finished = await createAndWaitExport(this, itemIndex, api, checked);
		if (finished.status !== 'completed') return { json: finished };
		const file = await downloadExport(this, itemIndex, api, String(finished.exportId));
		return { ...file, json: { ...finished, ...file.json } };
	},
});
