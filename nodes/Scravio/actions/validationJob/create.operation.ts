import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../common/options';
import { unwrapData } from '../common/get';
import type { ItemApi, ScravioOperation } from '../types';
import { MAX_EMAILS_PER_JOB, checkEmails } from './emails';

export const emailsProperty: INodeProperties = {
	displayName: 'Emails',
	name: 'emails',
	type: 'string',
	typeOptions: { rows: 5 },
	default: '',
	required: true,
	placeholder: 'e.g. anna@example.com\nben@example.org',
	description: `Addresses to validate: one per line or comma-separated, or an array from an expression. Duplicates are removed (ignoring case); at most ${MAX_EMAILS_PER_JOB} unique addresses.`,
};

/**
 * POST /validation-jobs/text for a checked list of addresses. Charging: never retried when the
 * outcome is unknown. Account-scoped keys only (scope `accountKeyOnly`). Returns the job summary.
 */
export async function submitValidationJob(api: ItemApi, emails: string[]): Promise<IDataObject> {
	const body = await api.request({
		method: 'POST',
		path: '/validation-jobs/text',
		body: { emails },
		scope: 'accountKeyOnly',
	});
	return unwrapData(body);
}

/** One validation job per input item, from that item's "Emails" field. */
export const createValidationJob: ScravioOperation = {
	properties: [emailsProperty, optionsCollection()],
	async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
		const emails = checkEmails(this, this.getNodeParameter('emails', itemIndex), itemIndex);
		return await submitValidationJob(api, emails);
	},
};
