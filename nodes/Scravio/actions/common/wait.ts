import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { waitUnlessCancelled } from '../../transport';

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

/** The parameters an operation adds to offer waiting. `noun` is e.g. "campaign". */
export function waitProperties(noun: string, failedStatuses: readonly string[]): INodeProperties[] {
	const failedList = failedStatuses.map((status) => `"${status}"`).join(' or ');
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description: `Whether to wait until the ${noun} has finished and return its final state`,
		},
		{
			displayName: 'Max Wait (Minutes)',
			name: 'maxWaitMinutes',
			type: 'number',
			typeOptions: { minValue: 0.1 },
			default: 30,
			description: `How long to wait for the ${noun} at most`,
			displayOptions: { show: { waitForCompletion: [true] } },
		},
		{
			displayName: 'On Timeout',
			name: 'onTimeout',
			type: 'options',
			options: [
				{ name: 'Fail', value: 'fail', description: 'Stop with an error that gives the last status seen' },
				{ name: 'Return Current State', value: 'return', description: `Output the ${noun} as it stands, so the workflow can branch on its status` },
			],
			default: 'fail',
			displayOptions: { show: { waitForCompletion: [true] } },
		},
		{
			displayName: 'Output Failed Outcomes',
			name: 'outputFailed',
			type: 'boolean',
			default: false,
			description: `Whether to output the ${noun} when it ends as ${failedList} instead of failing`,
			displayOptions: { show: { waitForCompletion: [true] } },
		},
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

export function readWaitSettings(context: IExecuteFunctions, itemIndex: number): WaitSettings | undefined {
	if (!(context.getNodeParameter('waitForCompletion', itemIndex, false) as boolean)) return undefined;
	const minutes = Number(context.getNodeParameter('maxWaitMinutes', itemIndex, 30));
	return {
		maxWaitMs: Math.max(0, minutes) * 60000,
		onTimeout: context.getNodeParameter('onTimeout', itemIndex, 'fail') as TimeoutBehaviour,
		outputFailed: context.getNodeParameter('outputFailed', itemIndex, false) as boolean,
	};
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
	let state = initial ?? (await target.fetch());

	for (;;) {
		const status = target.status(state);
		if (target.succeeded.includes(status)) return state;
		if (target.failed.includes(status)) {
			if (settings.outputFailed) return state;
			throw new NodeOperationError(context.getNode(), `The ${target.what} ended as "${status}"`, {
				itemIndex,
				description: 'Turn on "Output Failed Outcomes" to receive it as an item and branch on its status instead.',
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
					description: 'Raise "Max Wait (Minutes)", or choose "Return Current State" under "On Timeout" to branch on the status.',
				},
			);
		}

		if (!(await waitUnlessCancelled(context, Math.min(interval, remaining)))) {
			throw new NodeOperationError(context.getNode(), `Stopped waiting for the ${target.what}: the execution was cancelled`, { itemIndex });
		}
		interval = Math.min(interval * WAIT_INTERVAL.factor, WAIT_INTERVAL.maxMs);
		state = await target.fetch();
	}
}
