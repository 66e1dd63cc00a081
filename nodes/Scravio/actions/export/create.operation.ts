import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CATALOGUE, unwrapObject } from '../../../api/catalogue';
import { campaignLocator, locatorId } from '../../../ui/locators';
import { compact, optionsCollection } from '../../../ui/options';
import type { WaitSettings } from '../waitForCompletion/wait';
import { readWaitSettings, waitForCompletion, waitProperties } from '../waitForCompletion/wait';
import { EXPORT_OUTCOMES, exportTarget } from '../waitForCompletion/waitTargets';
import { chargingOperation } from '../charges';
import type { ItemApi } from '../types';

export const FILE_FORMATS = [
	{ name: 'CSV', value: 'csv' },
	{ name: 'Excel (XLSX)', value: 'xlsx' },
];

/** Reads the form and checks it; nothing is sent when a field is wrong. */
function exportBody(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const campaignId = locatorId(context, campaignLocator.name, itemIndex, 'Campaign');
	const fileFormat = context.getNodeParameter('fileFormat', itemIndex, 'csv') as string;
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const webhookUrl = String(options.webhookUrl ?? '').trim();
	if (webhookUrl) {
		let protocol = '';
		try {
			protocol = new URL(webhookUrl).protocol;
		} catch {
			protocol = '';
		}
		if (protocol !== 'https:') {
			throw new NodeOperationError(context.getNode(), 'Webhook URL must be an https:// URL', {
				itemIndex,
				description: `"${webhookUrl}" is not an HTTPS URL. Scravio only calls HTTPS webhooks; fix or clear the "Webhook URL" option.`,
			});
		}
	}

	const dateRange = compact({ from: options.scrapedAfter, to: options.scrapedBefore });
	return compact({
		campaignId,
		fileFormat,
		emailOnly: options.emailOnly,
		onlyValidEmails: options.onlyValidEmails,
		includeAIVerified: options.includeAIVerified,
		dedupeByEmail: options.dedupeByEmail,
		dateRange: Object.keys(dateRange).length ? dateRange : undefined,
		webhookUrl: webhookUrl || undefined,
	}) as IDataObject;
}

/** Where to look for an export whose POST got no usable answer. */
const EXPORT_CHECK_IN = "the campaign's exports (Export → Get Many, newest first)";

/**
 * POST /list-exports with a checked body. The API answers 200 with an existing export when one
 * with the same settings exists, 201 when it creates one; `alreadyExisted` tells the two apart.
 * Sent at most once per item and execution (see ../charges.ts).
 */
export async function startExport(api: ItemApi, body: IDataObject): Promise<IDataObject> {
	const response = await api.charge(
		{ method: 'POST', path: CATALOGUE.export.routes.list, body, expectId: 'exportId' },
		{
			what: 'export',
			idOf: (answer) => unwrapObject(CATALOGUE.export, answer).exportId,
			checkIn: EXPORT_CHECK_IN,
		},
	);
	return {
		...unwrapObject(CATALOGUE.export, response.body),
		alreadyExisted: response.statusCode === 200,
	};
}

/** What an export operation checks for an item before anything is sent. */
export interface CheckedExport {
	body: IDataObject;
	wait: WaitSettings | undefined;
}

/** Reads and checks an item's export form and wait settings; nothing is sent. */
export function checkExport(
	context: IExecuteFunctions,
	itemIndex: number,
	{ always = false } = {},
): CheckedExport {
	const wait = readWaitSettings(context, itemIndex, { always });
	return { body: exportBody(context, itemIndex), wait };
}

/**
 * The export form: campaign, file format and the options collection (last). Shared by "Create"
 * and "Create and Download".
 */
export const exportFormProperties: INodeProperties[] = [
	campaignLocator,
	{
		displayName: 'File Format',
		name: 'fileFormat',
		type: 'options',
		options: FILE_FORMATS,
		default: 'csv',
	},
	optionsCollection([
		{
			displayName: 'Deduplicate by Email',
			name: 'dedupeByEmail',
			type: 'boolean',
			default: true,
			description: 'Whether to keep only one row per e-mail address',
		},
		{
			displayName: 'Include AI-Verified Emails',
			name: 'includeAIVerified',
			type: 'boolean',
			default: false,
			description: 'Whether to include AI-verified e-mail data when available',
		},
		{
			displayName: 'Leads Scraped After',
			name: 'scrapedAfter',
			type: 'dateTime',
			default: '',
			description: 'Only leads discovered at or after this time',
		},
		{
			displayName: 'Leads Scraped Before',
			name: 'scrapedBefore',
			type: 'dateTime',
			default: '',
			description: 'Only leads discovered at or before this time',
		},
		{
			displayName: 'Only Leads With Email',
			name: 'emailOnly',
			type: 'boolean',
			default: false,
			description: 'Whether to include only leads that have an e-mail address',
		},
		{
			displayName: 'Only Valid Emails',
			name: 'onlyValidEmails',
			type: 'boolean',
			default: false,
			description: 'Whether to include only e-mails that passed validation',
		},
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://hooks.example.com/scravio/export-ready',
			description: 'HTTPS endpoint Scravio calls when the export is ready',
		},
	]),
];

const formFields = exportFormProperties.slice(0, -1);
const formOptions = exportFormProperties.slice(-1);

/** POST /list-exports (checked before), then optionally waits for the export to be completed (or failed). */
export async function createAndWaitExport(
	context: IExecuteFunctions,
	itemIndex: number,
	api: ItemApi,
	{ body, wait }: CheckedExport,
): Promise<IDataObject> {
	const created = await startExport(api, body);
	if (!wait) return created;
	const target = exportTarget(api, String(created.exportId), {
		alreadyExisted: created.alreadyExisted,
	});
	return await waitForCompletion(context, target, wait, itemIndex, created);
}

export const createExport = chargingOperation<CheckedExport>({
	properties: [...formFields, ...waitProperties('export', EXPORT_OUTCOMES.failed), ...formOptions],
	async check(this: IExecuteFunctions, itemIndex: number) {
		return checkExport(this, itemIndex);
	},
	async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi, checked) {
		return await createAndWaitExport(this, itemIndex, api, checked);
	},
});
