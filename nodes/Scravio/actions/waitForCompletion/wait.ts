import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { waitUnlessCancelled } from '../../../transport';

/**
 * "Wait for Completion" for the asynchronous objects (campaigns, campaign validation,
 * exports, validation jobs): poll until a terminal status, with a backing-off interval,
 * a user-set maximum and the execution's cancel signal honoured.
 */

export const WAIT_INTERVAL = {
	firstMs: 1000,
	factor: 1.5,
	maxMs: 30000,
} as const;

export type TimeoutBehaviour = 'fail' | 'return';

/**
 * The parameters an operation adds to offer waiting. `noun` is e.g. "campaign". With
 * `toggle: false` the operation always waits (export "Create and Download"), so only the
 * limits and outcomes are offered.
 */
export function waitProperties(
	noun: string,
	failedStatuses: readonly string[],
	{ toggle = true } = {},
): INodeProperties[] {
	const failedList = failedStatuses.map((status) => `"${status}"`).join(' or ');
	const whenWaiting = toggle ? { displayOptions: { show: { waitForCompletion: [true] } } } : {};
	const properties: INodeProperties[] = [
		{
			displayName: 'Max Wait (Minutes)',
			name: 'maxWaitMinutes',
			type: 'number',
			typeOptions: { minValue: 0.1 },
			default: 30,
			description: `How long to wait for the ${noun} at most`,
			...whenWaiting,
		},
		{
			displayName: 'On Timeout',
			name: 'onTimeout',
			type: 'options',
			options: [
				{
					name: 'Fail',
					value: 'fail',
					description: 'Stop with an error that gives the last status seen',
				},
				{
					name: 'Return Current State',
					value: 'return',
					description: `Output the ${noun} as it stands, so the workflow can branch on its status`,
				},
			],
			default: 'fail',
			...whenWaiting,
		},
		{
			displayName: 'Output Failed Outcomes',
			name: 'outputFailed',
			type: 'boolean',
			default: false,
			description: `Whether to output the ${noun} when it ends as ${failedList} instead of failing`,
			...whenWaiting,
		},
	];
	if (!toggle) return properties;
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description: `Whether to wait until the ${noun} has finished and return its final state`,
		},
		...properties,
	];
}

export interface WaitTarget {
	/** For messages: "campaign cmp_1". */
	what: string;
	fetch(): Promise<IDataObject>;
	status(state: IDataObject): string;
	succeeded: readonly string[];
	failed: readonly string[];
	/** Extra words for messages, e.g. "45%". */
	progress?(state: IDataObject): string;
}

export interface WaitSettings {
	maxWaitMs: number;
	onTimeout: TimeoutBehaviour;
	outputFailed: boolean;
}

/**
 * Reads and checks the wait settings of an item. Call it BEFORE the request that creates or
 * charges, so that a bad "Max Wait" stops the item before any credit is spent.
 * `always` is for operations that wait without a toggle.
 */
export function readWaitSettings(
	context: IExecuteFunctions,
	itemIndex: number,
	{ always = false } = {},
): WaitSettings | undefined {
	if (!always && !(context.getNodeParameter('waitForCompletion', itemIndex, false) as boolean))
		return undefined;
	const raw = context.getNodeParameter('maxWaitMinutes', itemIndex, 30);
	const minutes = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes <= 0) {
		throw new NodeOperationError(
			context.getNode(),
			'Max Wait (Minutes) must be a number greater than 0',
			{
				itemIndex,
				description: `"${String(raw)}" is not a usable maximum wait. Nothing was sent.`,
			},
		);
	}
	return {
		maxWaitMs: minutes * 60000,
		onTimeout: context.getNodeParameter('onTimeout', itemIndex, 'fail') as TimeoutBehaviour,
		outputFailed: context.getNodeParameter('outputFailed', itemIndex, false) as boolean,
	};
}

/** Puts `note` first in an error's description (the error keeps its kind, code and requestId). */
export function withNote(
	context: IExecuteFunctions,
	error: unknown,
	note: string,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.description = error.description ? `${note}\n${error.description}` : note;
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, {
		itemIndex,
		description: note,
	});
}

/**
 * Polls `target` until it reaches a terminal status. `initial` is the state the create
 * call returned, so an object that is already finished costs no extra request.
 */
export async function waitForCompletion(
	context: IExecuteFunctions,
	target: WaitTarget,
	settings: WaitSettings,
	itemIndex: number,
	initial?: IDataObject,
): Promise<IDataObject> {
	const deadline = Date.now() + settings.maxWaitMs;
	let interval: number = WAIT_INTERVAL.firstMs;
	// The object exists by now (it was created or started, and maybe charged): a failed status
	// check must not hide it, so its error names the object to look up in Scravio.
	const fetchState = async (): Promise<IDataObject> => {
		try {
			return await target.fetch();
		} catch (error) {
			throw withNote(
				context,
				error,
				`Checking the ${target.what} failed while waiting for it; it exists and may still be running. Look it up by its ID instead of starting it again.`,
				itemIndex,
			);
		}
	};
	let state = initial ?? (await fetchState());

	for (;;) {
		const status = target.status(state);
		if (target.succeeded.includes(status)) return state;
		if (target.failed.includes(status)) {
			if (settings.outputFailed) return state;
			throw new NodeOperationError(context.getNode(), `The ${target.what} ended as "${status}"`, {
				itemIndex,
				description:
					'Turn on "Output Failed Outcomes" to receive it as an item and branch on its status instead.',
			});
		}

		const remaining = deadline - Date.now();
		if (remaining <= 0) {
			if (settings.onTimeout === 'return') return state;
			const progress = target.progress?.(state);
			throw new NodeOperationError(
				context.getNode(),
				`The ${target.what} did not finish in time; last status "${status}"${progress ? ` (${progress})` : ''}`,
				{
					itemIndex,
					description:
						'Raise "Max Wait (Minutes)", or choose "Return Current State" under "On Timeout" to branch on the status.',
				},
			);
		}

		if (!(await waitUnlessCancelled(context, Math.min(interval, remaining)))) {
			throw new NodeOperationError(
				context.getNode(),
				`Stopped waiting for the ${target.what}: the execution was cancelled`,
				{ itemIndex },
			);
		}
		interval = Math.min(interval * WAIT_INTERVAL.factor, WAIT_INTERVAL.maxMs);
		state = await fetchState();
	}
}
