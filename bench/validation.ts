/**
 * Benchmark 2: validation of N e-mail items (one address per input item) with the Scravio node's
 * validationJob create, through n8n's engine, against the sandbox at its normal validation pace
 * (50 addresses per second per job, clock speed 1) with its rate limits on (3 jobs per hour):
 *  - "Combine All Items": ceil(N / 5000) job requests; measured without waiting (submission) and
 *    with "Wait for Completion" (until every item has its result back);
 *  - "One Job per Item": one POST per item. The 4th is refused with 429 and a Retry-After of
 *    about an hour, which the node does not wait out (its bound is 60 s): the run fails there.
 *    With "Continue On Fail", every further item sends its request and gets an error item.
 * The sandbox's rate limiter is reset between runs (admin route).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { createEngine } from '../harness/engine';
import { measure, summarize, type Summary } from './lib/measure';
import { Scravio, ScravioApi } from './lib/nodes';
import {
	API_KEY,
	WS_LARGE,
	admin,
	clearRequestLog,
	requestLog,
	startSandboxProcess,
} from './lib/sandbox';

export interface ValidationVariant {
	id: string;
	label: string;
	ms: Summary;
	jobRequests: number;
	apiRequests: number;
	jobsCreated: number;
	outputItems: number;
	outcome: string;
	runs: number[];
}

export interface ValidationResult {
	emails: number;
	expectedJobs: number;
	rateLimit: string;
	clockSpeed: number;
	variants: ValidationVariant[];
	notes: string[];
}

const JOB_SIZE = 5000;
/**
 * Runs of the wait variant: each takes ~105 s at the normal pace (sleep, not CPU), so 3 instead of
 * 5, without a warm-up (the submission variant warmed the same code).
 */
const WAIT_RUNS = 3;

export async function runValidation(opts: {
	quick: boolean;
	runs: number;
	warmups: number;
	log: (line: string) => void;
}): Promise<ValidationResult> {
	const { log } = opts;
	const emails = opts.quick ? 5_200 : 10_000;
	// The wait variant's time is the sandbox's pace; quick mode only proves it works, on a fast clock.
	const waitClockSpeed = opts.quick ? 50 : 1;
	const items: INodeExecutionData[] = Array.from({ length: emails }, (_, i) => ({
		json: { email: `lead${i}.bench@example.com`, row: i },
	}));
	const engine = createEngine({ nodes: [Scravio], credentialTypes: [ScravioApi] });
	const sandbox = await startSandboxProcess({
		largeData: true,
		clockSpeed: 1,
		enforceRateLimits: true,
	});
	const credentials = {
		scravioApi: {
			authentication: 'apiKey',
			apiKey: API_KEY,
			baseUrl: sandbox.apiUrl,
			workspaceId: WS_LARGE,
		},
	};
	const notes: string[] = [];

	const runNode = async (parameters: Record<string, unknown>, continueOnFail = false) =>
		await engine.runNode({
			type: 'scravio',
			parameters: { resource: 'validationJob', operation: 'create', ...parameters } as never,
			credentials,
			items,
			continueOnFail,
		});

	const variants: Array<{
		id: string;
		label: string;
		parameters: Record<string, unknown>;
		continueOnFail?: boolean;
		warmups: number;
		clockSpeed: number;
		check: (outputs: INodeExecutionData[][], error: Error | undefined, jobs: number) => string;
	}> = [
		{
			id: 'combine',
			label: 'Combine All Items (submit)',
			parameters: { mode: 'combine', emailField: 'email' },
			warmups: opts.warmups,
			clockSpeed: 1,
			check: (outputs, error, jobs) => {
				if (error) throw error;
				if (jobs !== Math.ceil(emails / JOB_SIZE)) throw new Error(`combine created ${jobs} jobs`);
				return `${jobs} jobs, ${outputs[0].length} output item(s)`;
			},
		},
		{
			id: 'combine-wait',
			label: `Combine All Items + Wait for Completion${waitClockSpeed === 1 ? '' : ` (clock ×${waitClockSpeed})`}`,
			parameters: {
				mode: 'combine',
				emailField: 'email',
				waitForCompletion: true,
				maxWaitMinutes: 30,
			},
			warmups: 0,
			clockSpeed: waitClockSpeed,
			check: (outputs, error, jobs) => {
				if (error) throw error;
				const out = outputs[0];
				if (out.length !== emails)
					throw new Error(`combine+wait returned ${out.length} items for ${emails}`);
				const withResult = out.filter(
					(item) =>
						typeof item.json.isValid === 'boolean' ||
						item.json.status === 'valid' ||
						item.json.status === 'invalid',
				).length;
				return `${jobs} jobs completed; ${out.length} items, ${withResult} with their own result`;
			},
		},
		{
			id: 'perItem',
			label: 'One Job per Item',
			parameters: { mode: 'perItem', emails: '={{ $json.email }}' },
			warmups: opts.warmups,
			clockSpeed: 1,
			check: (_outputs, error, jobs) => {
				if (!error || jobs !== 0)
					throw new Error(`one job per item was not refused before sending (${jobs} jobs)`);
				return `refused before anything is sent: "${error.message}"`;
			},
		},
		{
			id: 'perItem-continue',
			label: 'One Job per Item + Continue On Fail',
			parameters: { mode: 'perItem', emails: '={{ $json.email }}' },
			continueOnFail: true,
			warmups: opts.warmups,
			clockSpeed: 1,
			check: (outputs, error, jobs) => {
				if (error) throw error;
				const failed = outputs[0].filter((item) => item.json.error !== undefined).length;
				if (jobs !== 0 || failed !== outputs[0].length)
					throw new Error(`one job per item + Continue On Fail sent ${jobs} jobs`);
				return `${jobs} jobs, ${failed.toLocaleString('en-US')} error items (refused before sending)`;
			},
		},
	];

	try {
		const results: ValidationVariant[] = [];
		for (const variant of variants) {
			await admin(sandbox, 'PATCH', '/config', { clockSpeed: variant.clockSpeed });
			const times: number[] = [];
			let last = { jobRequests: 0, apiRequests: 0, jobsCreated: 0, outputItems: 0, outcome: '' };
			const runs = variant.id === 'combine-wait' ? Math.min(opts.runs, WAIT_RUNS) : opts.runs;
			for (let round = 0; round < variant.warmups + runs; round++) {
				const warm = round < variant.warmups;
				await admin(sandbox, 'POST', '/rate-limits/reset');
				await clearRequestLog(sandbox);
				const measured = await measure(
					async () => await runNode(variant.parameters, variant.continueOnFail),
				);
				const log_ = (await requestLog(sandbox)).filter((entry) => entry.host === 'api');
				const posts = log_.filter((entry) => entry.operationId === 'createValidationJob');
				const created = posts.filter((entry) => entry.status === 201).length;
				const { outputs, error } = measured.result;
				const outcome = variant.check(outputs, error as Error | undefined, created);
				last = {
					jobRequests: posts.length,
					apiRequests: log_.length,
					jobsCreated: created,
					outputItems: outputs[0]?.length ?? 0,
					outcome,
				};
				if (!warm) times.push(measured.ms);
				log(
					`  ${warm ? 'warm-up' : `run ${round - variant.warmups + 1}`} ${variant.id.padEnd(17)} ${measured.ms.toFixed(0).padStart(7)} ms  ${posts.length} job POSTs, ${log_.length} API requests: ${outcome}`,
				);
			}
			results.push({
				id: variant.id,
				label: variant.label,
				ms: summarize(times),
				runs: times,
				...last,
			});
		}
		notes.push(
			`Wait for Completion polls with a backing-off interval (1 s, ×1.5, ≤ 30 s), so its time is the sandbox's pace (${JOB_SIZE} addresses at 50/s ≈ 100 s per job, jobs run side by side) rounded up to the next poll.`,
			'One Job per Item: more items than the 3 jobs per hour the API allows is refused before anything is sent, with a pointer to Combine All Items; with Continue On Fail every item gets that error and nothing is sent.',
		);
		if (!opts.quick)
			notes.push(
				`The wait variant ran ${Math.min(opts.runs, WAIT_RUNS)} times without a warm-up (each run is ~105 s of waiting on the sandbox's pace).`,
			);
		if (opts.quick)
			notes.push(`Quick mode: ${emails} emails, the wait variant on a ×${waitClockSpeed} clock.`);
		return {
			emails,
			expectedJobs: Math.ceil(emails / JOB_SIZE),
			rateLimit: '3 requests per hour',
			clockSpeed: 1,
			variants: results,
			notes,
		};
	} finally {
		await sandbox.close();
	}
}
