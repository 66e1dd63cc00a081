import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chargingOperation } from '../charges';
import { optionsCollection } from '../../../ui/options';
import { CATALOGUE, unwrapObject } from '../../../api/catalogue';
import type { WaitSettings } from '../waitForCompletion/wait';
import { readWaitSettings, waitForCompletion, waitProperties } from '../waitForCompletion/wait';
import { VALIDATION_JOB_OUTCOMES, validationJobTarget } from '../waitForCompletion/waitTargets';
import type { ItemApi } from '../types';
import type { InvalidHandling } from './combine';
import {
	VALIDATION_JOBS_PER_HOUR,
	jobItems,
	perItemResults,
	planCombinedJobs,
	submitCombinedJobs,
} from './combine';
import { MAX_EMAILS_PER_JOB, withoutMasked } from './emails';
import { includeDownloadUrlOption, jobOutput } from './output';

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
			{
				name: 'Fail',
				value: 'fail',
				description:
					'Stop before sending anything and name the items whose field holds no valid address',
			},
			{
				name: 'Skip and Report',
				value: 'skip',
				description:
					'Send only the valid addresses; list the skipped items in the output ("skipped" results when waiting)',
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

/** Where to look for a validation job whose POST got no usable answer. */
const JOB_CHECK_IN =
	'the validation jobs (Validation Job → Get Many, newest first) and the credit transactions';

/**
 * POST /validation-jobs/text for a checked list of addresses. Charging: sent at most once per
 * item (and job number) and execution, see ../charges.ts. Account-scoped keys only (scope
 * `accountKeyOnly`). Returns the job summary.
 */
export async function submitValidationJob(
	api: ItemApi,
	emails: string[],
	slot: { job?: number; itemIndex?: number } = {},
): Promise<IDataObject> {
	const { body } = await api.charge(
		{
			method: 'POST',
			path: `${CATALOGUE.validationJob.routes.list}/text`,
			body: { emails },
			scope: CATALOGUE.validationJob.scope,
			expectId: 'jobId',
		},
		{
			what: 'validation job',
			idOf: (answer) => unwrapObject(CATALOGUE.validationJob, answer).jobId,
			checkIn: JOB_CHECK_IN,
			slot: slot.job === undefined ? undefined : `job ${slot.job}`,
			itemIndex: slot.itemIndex,
		},
	);
	return unwrapObject(CATALOGUE.validationJob, body);
}

interface CheckedJob {
	emails: string[];
	/** Addresses left out because Scravio masks them (they cannot be validated, and would cost credits). */
	masked: string[];
	wait: WaitSettings | undefined;
}

/**
 * "One Job per Item": a job per input item, from that item's "Emails" field; more items than the
 * hourly allowance of jobs is refused before anything is sent.
 * "Combine All Items" (`executeAll`): one plan for all items, checked before anything is sent.
 * Both can wait for completion; combined, every input item then gets its own results.
 */
export const createValidationJob = chargingOperation<CheckedJob>({
	properties: [
		modeProperty,
		{ ...emailsProperty, displayOptions: { show: { mode: ['perItem'] } } },
		...combineProperties,
		...waitProperties('validation job', VALIDATION_JOB_OUTCOMES.failed),
		optionsCollection([includeDownloadUrlOption]),
	],
	async check(this: IExecuteFunctions, itemIndex: number) {
		const { emails, masked } = withoutMasked(
			this,
			this.getNodeParameter('emails', itemIndex),
			this.getInputData()[itemIndex]?.json ?? {},
			itemIndex,
		);
		return { emails, masked, wait: readWaitSettings(this, itemIndex) };
	},
	checkAll(this: IExecuteFunctions, itemIndexes: number[]) {
		if (itemIndexes.length <= VALIDATION_JOBS_PER_HOUR) return;
		throw new NodeOperationError(
			this.getNode(),
			`${itemIndexes.length} items would create ${itemIndexes.length} validation jobs, but Scravio accepts ${VALIDATION_JOBS_PER_HOUR} per hour`,
			{
				itemIndex: itemIndexes[VALIDATION_JOBS_PER_HOUR],
				description:
					`"One Job per Item" sends one paid job per input item; the ${VALIDATION_JOBS_PER_HOUR + 1}th would be refused after ${VALIDATION_JOBS_PER_HOUR} were paid for. ` +
					`Set "Mode" to "Combine All Items": it validates the addresses of all items in as few jobs as possible (up to ${MAX_EMAILS_PER_JOB} addresses per job).`,
			},
		);
	},
	async execute(
		this: IExecuteFunctions,
		itemIndex: number,
		api: ItemApi,
		{ emails, masked, wait },
	) {
		const report = masked.length ? { skippedMasked: masked } : {};
		const job = await submitValidationJob(api, emails);
		if (!wait) return jobOutput(this, itemIndex, { ...job, ...report });
		const final = await waitForCompletion(
			this,
			validationJobTarget(api, String(job.jobId)),
			wait,
			itemIndex,
			job,
		);
		return jobOutput(this, itemIndex, { ...final, ...report });
	},
	async executeAll(
		this: IExecuteFunctions,
		items: INodeExecutionData[],
		apiFor: (itemIndex: number) => ItemApi,
	) {
		if (this.getNodeParameter('mode', 0, 'perItem') !== 'combine') return undefined;
		const field = String(this.getNodeParameter('emailField', 0, 'email') ?? '').trim();
		const onInvalid = this.getNodeParameter('onInvalid', 0, 'fail') as InvalidHandling;
		const wait = readWaitSettings(this, 0);
		const plan = planCombinedJobs(this, items, field, onInvalid);
		const api = apiFor(0);
		const jobs = await submitCombinedJobs(
			plan,
			async (emails, job, itemIndex) => await submitValidationJob(api, emails, { job, itemIndex }),
		);
		if (!wait)
			return jobItems(jobs, plan).map((item) => ({ ...item, json: jobOutput(this, 0, item.json) }));
		return await perItemResults(this, api, jobs, plan, wait);
	},
});
