import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../common/options';
import { unwrapData } from '../common/get';
import { readWaitSettings, waitForCompletion, waitProperties } from '../common/wait';
import { VALIDATION_JOB_OUTCOMES, validationJobTarget } from '../common/waitTargets';
import type { ItemApi, ScravioOperation } from '../types';
import type { InvalidHandling } from './combine';
import { VALIDATION_JOBS_PER_HOUR, jobItems, perItemResults, planCombinedJobs, submitCombinedJobs } from './combine';
import { MAX_EMAILS_PER_JOB, checkEmails } from './emails';

const modeProperty: INodeProperties = {
	displayName: 'Mode',
	name: 'mode',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'One Job per Item',
			value: 'perItem',
			description: 'Each input item sends its own "Emails" list as one job',
		},
		{
			name: 'Combine All Items',
			value: 'combine',
			description: `Pool the addresses of all input items, remove duplicates and send them in as few jobs as possible (at most ${MAX_EMAILS_PER_JOB} addresses per job, ${VALIDATION_JOBS_PER_HOUR} jobs per hour)`,
		},
	],
	default: 'perItem',
};

const combineProperties: INodeProperties[] = [
	{
		displayName: 'Email Field',
		name: 'emailField',
		type: 'string',
		default: 'email',
		required: true,
		placeholder: 'e.g. email or contact.email',
		description:
			'Name of the input field that holds the address: one address per item, or a list (array, or text with one per line or comma-separated) in one item. Dot notation reaches nested fields.',
		displayOptions: { show: { mode: ['combine'] } },
	},
	{
		displayName: 'Invalid Addresses',
		name: 'onInvalid',
		type: 'options',
		options: [
			{ name: 'Fail', value: 'fail', description: 'Stop before sending anything and name the items whose field holds no valid address' },
			{
				name: 'Skip and Report',
				value: 'skip',
				description: 'Send only the valid addresses; list the skipped items in the output ("skipped" results when waiting)',
			},
		],
		default: 'fail',
		displayOptions: { show: { mode: ['combine'] } },
	},
];

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
		expectId: 'jobId',
	});
	return unwrapData(body);
}

/**
 * "One Job per Item": a job per input item, from that item's "Emails" field.
 * "Combine All Items" (`executeAll`): one plan for all items, checked before anything is sent.
 * Both can wait for completion; combined, every input item then gets its own results.
 */
export const createValidationJob: ScravioOperation = {
	properties: [
		modeProperty,
		{ ...emailsProperty, displayOptions: { show: { mode: ['perItem'] } } },
		...combineProperties,
		...waitProperties('validation job', VALIDATION_JOB_OUTCOMES.failed),
		optionsCollection(),
	],
	async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
		const emails = checkEmails(this, this.getNodeParameter('emails', itemIndex), itemIndex);
		const wait = readWaitSettings(this, itemIndex);
		const job = await submitValidationJob(api, emails);
		if (!wait) return job;
		return await waitForCompletion(this, validationJobTarget(api, String(job.jobId)), wait, itemIndex, job);
	},
	async executeAll(this: IExecuteFunctions, items: INodeExecutionData[], apiFor: (itemIndex: number) => ItemApi) {
		if (this.getNodeParameter('mode', 0, 'perItem') !== 'combine') return undefined;
		const field = String(this.getNodeParameter('emailField', 0, 'email') ?? '').trim();
		const onInvalid = this.getNodeParameter('onInvalid', 0, 'fail') as InvalidHandling;
		const wait = readWaitSettings(this, 0);
		const plan = planCombinedJobs(this, items, field, onInvalid);
		const api = apiFor(0);
		const jobs = await submitCombinedJobs(this, plan, async (emails) => await submitValidationJob(api, emails));
		if (!wait) return jobItems(jobs, plan);
		return await perItemResults(this, api, jobs, plan, wait);
	},
};
