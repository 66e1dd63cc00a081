import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { csvRecords } from '../../../files/csv';
import type { WaitSettings } from '../waitForCompletion/wait';
import { waitForCompletion } from '../waitForCompletion/wait';
import { validationJobTarget } from '../waitForCompletion/waitTargets';
import type { ItemApi } from '../types';
import { downloadJobResults } from './results';
import { EMAIL_SYNTAX, MAX_EMAILS_PER_JOB, isMaskedAddress, splitEmails } from './emails';

/** POST /validation-jobs/text allows 3 requests per hour (reference, endpoint card). */
export const VALIDATION_JOBS_PER_HOUR = 3;

export type InvalidHandling = 'fail' | 'skip';

/** One address (or one unusable entry) of one input item. */
interface Entry {
	itemIndex: number;
	value: string;
	key: string;
	valid: boolean;
	/** Masked by Scravio: never sent, always skipped and reported (see isMaskedAddress). */
	masked: boolean;
}

export interface CombinedJob {
	job: IDataObject;
	emails: string[];
	/** Input items with at least one address in this job. */
	itemIndexes: number[];
}

/** Reads `path` from an item's JSON: a top-level key first (keys may contain dots), else a dotted path. */
function readField(json: IDataObject, path: string): unknown {
	if (path in json) return json[path];
	return path
		.split('.')
		.reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], json);
}

/** Every entry of every item's field, in input order. An item without any address gives one empty, invalid entry. */
function collectEntries(items: INodeExecutionData[], field: string): Entry[] {
	const entries: Entry[] = [];
	items.forEach((item, itemIndex) => {
		const json = item.json ?? {};
		const values = splitEmails(readField(json, field));
		if (values.length === 0)
			entries.push({ itemIndex, value: '', key: '', valid: false, masked: false });
		for (const value of values) {
			const masked = isMaskedAddress(value, json);
			entries.push({
				itemIndex,
				value,
				key: value.toLowerCase(),
				valid: !masked && EMAIL_SYNTAX.test(value),
				masked,
			});
		}
	});
	return entries;
}

/** Why an entry was not sent, in results and reports. */
const skipReason = (entry: Entry) =>
	entry.masked ? 'masked_email' : entry.value === '' ? 'no_email' : 'not_an_email_address';

const describeEntry = (entry: Entry) =>
	`item ${entry.itemIndex}: ${entry.value === '' ? '(empty)' : `"${entry.value}"`}`;

export interface CombinePlan {
	entries: Entry[];
	/** Entries that are not e-mail addresses (masked ones are in `masked`). */
	invalid: Entry[];
	/** Masked addresses: never sent, whatever "Invalid Addresses" says. */
	masked: Entry[];
	/** Unique valid addresses (first spelling wins), split into jobs of at most 5000. */
	chunks: string[][];
	stats: IDataObject;
}

/**
 * Pools the addresses of all items, checks them and plans the jobs, all before anything is sent:
 * unusable entries fail the run (naming items and field) unless they are to be skipped, and a
 * list that needs more jobs than the hourly limit allows fails as a whole.
 */
export function planCombinedJobs(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	field: string,
	onInvalid: InvalidHandling,
): CombinePlan {
	const fail = (message: string, description: string) =>
		new NodeOperationError(context.getNode(), message, { description });
	if (field.trim() === '')
		throw fail(
			'Email Field is empty',
			'Enter the name of the input field that holds the e-mail address (or a list of them), e.g. "email".',
		);

	const entries = collectEntries(items, field);
	const masked = entries.filter((entry) => entry.masked);
	const invalid = entries.filter((entry) => !entry.valid && !entry.masked);
	if (invalid.length > 0 && onInvalid === 'fail') {
		const shown = invalid.slice(0, 5).map(describeEntry).join(', ');
		const more = invalid.length > 5 ? ` and ${invalid.length - 5} more` : '';
		throw fail(
			`${invalid.length} ${invalid.length === 1 ? 'entry' : 'entries'} in the field "${field}" ${invalid.length === 1 ? 'is' : 'are'} not an e-mail address`,
			`Not e-mail addresses: ${shown}${more}. Nothing was sent. Fix those items, or set "Invalid Addresses" to "Skip and Report" to validate the rest.`,
		);
	}

	const seen = new Set<string>();
	const unique: string[] = [];
	let validEntries = 0;
	for (const entry of entries) {
		if (!entry.valid) continue;
		validEntries++;
		if (seen.has(entry.key)) continue;
		seen.add(entry.key);
		unique.push(entry.value);
	}
	if (unique.length === 0 && masked.length > 0) {
		throw fail(
			`All e-mail addresses in the field "${field}" are masked`,
			`${masked.length} masked ${masked.length === 1 ? 'address' : 'addresses'} (e.g. ${describeEntry(masked[0])}). Scravio masks lead e-mails for this account (shouldMaskEmail), so these are not the real addresses; validating them would cost credits for nothing, so they are never sent. Nothing was sent.`,
		);
	}
	if (unique.length === 0) {
		throw fail(
			`No e-mail addresses found in the field "${field}"`,
			`None of the ${items.length} input items has an e-mail address in "${field}". Nothing was sent.`,
		);
	}

	const chunks: string[][] = [];
	for (let start = 0; start < unique.length; start += MAX_EMAILS_PER_JOB)
		chunks.push(unique.slice(start, start + MAX_EMAILS_PER_JOB));
	if (chunks.length > VALIDATION_JOBS_PER_HOUR) {
		throw fail(
			`The list needs ${chunks.length} validation jobs, but Scravio accepts ${VALIDATION_JOBS_PER_HOUR} per hour`,
			`${unique.length} unique addresses make ${chunks.length} jobs of at most ${MAX_EMAILS_PER_JOB}. Nothing was sent. ` +
				`Send at most ${VALIDATION_JOBS_PER_HOUR * MAX_EMAILS_PER_JOB} unique addresses per hour, e.g. split the list with the Loop Over Items node and a Wait of one hour between batches.`,
		);
	}

	return {
		entries,
		invalid,
		masked,
		chunks,
		stats: {
			inputItems: items.length,
			addresses: validEntries,
			uniqueAddresses: unique.length,
			duplicatesRemoved: validEntries - unique.length,
			skipped: invalid.length + masked.length,
			skippedMasked: masked.length,
			skippedEntries: [...invalid, ...masked]
				.sort((a, b) => a.itemIndex - b.itemIndex)
				.map((entry) => ({
					itemIndex: entry.itemIndex,
					value: entry.value,
					reason: skipReason(entry),
				})),
			jobs: chunks.length,
		},
	};
}

/**
 * Sends the planned jobs one after the other. Each is a charging POST, sent at most once per job
 * number and execution (see ../charges.ts): a later try of the execution reuses the jobs already
 * created. When one fails, the router's error names the jobs created so far.
 */
export async function submitCombinedJobs(
	plan: CombinePlan,
	submit: (emails: string[], job: number, firstItem: number) => Promise<IDataObject>,
): Promise<CombinedJob[]> {
	const jobOfKey = new Map<string, number>();
	plan.chunks.forEach((chunk, index) =>
		chunk.forEach((email) => jobOfKey.set(email.toLowerCase(), index)),
	);
	const itemsOfJob = plan.chunks.map(() => new Set<number>());
	for (const entry of plan.entries)
		if (entry.valid) itemsOfJob[jobOfKey.get(entry.key)!].add(entry.itemIndex);

	const jobs: CombinedJob[] = [];
	for (const [index, emails] of plan.chunks.entries()) {
		const itemIndexes = [...itemsOfJob[index]];
		const job = await submit(emails, index + 1, Math.min(...itemIndexes));
		jobs.push({ job, emails, itemIndexes });
	}
	return jobs;
}

/** Without waiting: one item per job, paired with the input items whose addresses it holds. */
export function jobItems(jobs: CombinedJob[], plan: CombinePlan): INodeExecutionData[] {
	return jobs.map(({ job, emails, itemIndexes }, index) => ({
		json: {
			...job,
			part: index + 1,
			parts: jobs.length,
			emailsSent: emails.length,
			combined: plan.stats,
		},
		pairedItem: itemIndexes.map((item) => ({ item })),
	}));
}

/**
 * With "Wait for Completion": waits for every job within one shared deadline, downloads the
 * results file of each completed job and gives every input item its own result rows, taken from
 * the file (columns matched by header name), paired with that item.
 */
export async function perItemResults(
	context: IExecuteFunctions,
	api: ItemApi,
	jobs: CombinedJob[],
	plan: CombinePlan,
	wait: WaitSettings,
): Promise<INodeExecutionData[]> {
	const deadline = Date.now() + wait.maxWaitMs;
	const finals: IDataObject[] = [];
	const resultsByKey = new Map<string, Record<string, string | boolean>>();
	const jobOfKey = new Map<string, IDataObject>();

	for (const { job } of jobs) {
		const remaining = Math.max(0, deadline - Date.now());
		finals.push(
			await waitForCompletion(
				context,
				validationJobTarget(api, String(job.jobId)),
				{ ...wait, maxWaitMs: remaining },
				0,
			),
		);
	}
	for (const [index, final] of finals.entries()) {
		for (const email of jobs[index].emails) jobOfKey.set(email.toLowerCase(), final);
		if (final.status !== 'completed') continue;
		// Each job's file is fetched with a fresh link: the one seen when the job completed may
		// have expired while the other jobs were awaited.
		const records = await resultsOf(context, api, String(final.jobId));
		for (const record of records) resultsByKey.set(String(record.__key), record);
	}

	return plan.entries.map((entry) => {
		if (!entry.valid) {
			return {
				json: {
					email: entry.value,
					status: 'skipped',
					reason: skipReason(entry),
					jobId: null,
					jobStatus: null,
				},
				pairedItem: { item: entry.itemIndex },
			};
		}
		const final = jobOfKey.get(entry.key)!;
		const row = resultsByKey.get(entry.key);
		const result: IDataObject = {};
		if (row)
			for (const [name, value] of Object.entries(row)) if (name !== '__key') result[name] = value;
		return {
			json: { ...result, email: entry.value, jobId: final.jobId, jobStatus: final.status },
			pairedItem: { item: entry.itemIndex },
		};
	});
}

/** The rows of a completed job's results file (fetched with a fresh link), each with `__key` (its lower-cased address). */
async function resultsOf(
	context: IExecuteFunctions,
	api: ItemApi,
	jobId: string,
): Promise<Array<Record<string, string | boolean>>> {
	const { file } = await downloadJobResults(context, api, jobId, { as: 'buffer' });
	const { headers, records } = csvRecords(file.data.toString('utf8'));
	const emailColumn = headers.find((name) => name.toLowerCase() === 'email');
	if (!emailColumn) {
		throw new NodeOperationError(
			context.getNode(),
			`The results file of validation job ${jobId} has no "email" column`,
			{
				description: `Its columns are: ${headers.join(', ') || '(none)'}.`,
			},
		);
	}
	return records.map((record) => ({
		...record,
		__key: String(record[emailColumn]).trim().toLowerCase(),
	}));
}
