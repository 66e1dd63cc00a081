import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ScravioRequest } from '../../transport';
import { isUnknownOutcome } from '../../transport';
import type { ItemApi, OperationResult, ScravioOperation } from './types';

/**
 * One charge per item per execution.
 *
 * n8n's "Retry On Fail" runs a node's whole `execute()` again within the same execution (and so
 * does Continue On Fail when the first output item is an error). Without a memory, every try
 * would send its charging requests again: two campaigns, twice the credits. So every request
 * that creates or charges goes through `ChargeBook.charge`, which keeps a record in n8n's
 * execution-scoped node context (`this.getContext('node')`, kept across those tries, and part of
 * the execution's data). Per item and request body it holds:
 *
 * - `created`: the object the request created (its answer). A later try does not send again; it
 *   gets the recorded answer and carries on from the object (waiting, downloading).
 * - `unknown`: the request was sent but no usable answer came back (5xx, lost connection,
 *   malformed 2xx). It may have been processed. A later try does not send again either: it fails
 *   with an error that says what to look up in Scravio.
 *
 * A definite refusal (4xx, including 429) charged nothing and is not recorded: it may be sent again.
 * The record belongs to one run of the node (`getRunIndex()`): a node that runs again in a loop
 * with other input starts a fresh one. Entries are keyed by item index and a fingerprint of the
 * request (route, body, workspace), so changed input is never mistaken for a charged one.
 */

export interface ChargeSpec {
	/** What the request creates or starts, for messages: "campaign", "export", "validation job". */
	what: string;
	/** The created object's id in the answer body (unwrapped as the operation reads it). */
	idOf(body: IDataObject): unknown;
	/** Where to look in Scravio when the outcome is unknown, e.g. "the campaign list (Campaign → Get Many)". */
	checkIn: string;
	/** Distinguishes several charging requests of one item (Combine All Items: the job number). */
	slot?: string;
	/** Item the request is charged for, when not the api's own (Combine All Items: the first item of the job). */
	itemIndex?: number;
}

export interface ChargeResult {
	statusCode: number;
	body: IDataObject;
	/** True when the object was created by an earlier try of this execution and nothing was sent now. */
	replayed: boolean;
}

interface ChargeEntry {
	itemIndex: number;
	what: string;
	state: 'created' | 'unknown';
	id?: string;
	statusCode?: number;
	body?: IDataObject;
	checkIn: string;
	route: string;
	/** Order of sending, for messages. */
	order: number;
}

interface ChargeRecord {
	runIndex: number;
	entries: Record<string, ChargeEntry>;
}

const CONTEXT_KEY = 'scravioCharges';

/** A 53-bit string hash (cyrb53): short keys for request bodies of any size. */
function fingerprint(text: string): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		h1 = Math.imul(h1 ^ code, 2654435761);
		h2 = Math.imul(h2 ^ code, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

const describeEntry = (entry: ChargeEntry) =>
	entry.state === 'created'
		? `${entry.what} ${entry.id} (item ${entry.itemIndex})`
		: `${entry.what} of item ${entry.itemIndex} (${entry.route})`;

export class ChargeBook {
	private runIndex: number | undefined;

	constructor(private readonly context: IExecuteFunctions) {}

	private record(): ChargeRecord {
		const store = this.context.getContext('node');
		// The same for every try of this run of the node; a new run (a loop) has a new one.
		this.runIndex ??= Number(this.context.getWorkflowDataProxy(0).$runIndex ?? 0);
		const runIndex = this.runIndex;
		let record = store[CONTEXT_KEY] as ChargeRecord | undefined;
		if (!record || record.runIndex !== runIndex) {
			record = { runIndex, entries: {} };
			store[CONTEXT_KEY] = record;
		}
		return record;
	}

	/** Sends `request` through `api` unless this execution already sent it for this item. */
	async charge(api: ItemApi, request: ScravioRequest, spec: ChargeSpec): Promise<ChargeResult> {
		const itemIndex = spec.itemIndex ?? api.itemIndex;
		const route = `${request.method} ${request.path}`;
		const key = `${itemIndex}/${spec.slot ?? ''}/${fingerprint(JSON.stringify([route, api.workspaceId, request.body ?? null]))}`;
		const record = this.record();
		const earlier = record.entries[key];
		if (earlier?.state === 'created') {
			return { statusCode: earlier.statusCode ?? 200, body: earlier.body ?? {}, replayed: true };
		}
		if (earlier?.state === 'unknown') {
			throw new NodeOperationError(
				this.context.getNode(),
				`The ${spec.what} of item ${itemIndex} may already exist: an earlier try of this execution sent ${route} and got no usable answer`,
				{
					itemIndex,
					description:
						`It is not sent again in this execution, so it cannot be paid for twice. Check ${spec.checkIn} in Scravio: ` +
						`if the ${spec.what} is there, use it; if not, run the workflow again.`,
				},
			);
		}

		const order = Object.keys(record.entries).length;
		const base = { itemIndex, what: spec.what, checkIn: spec.checkIn, route, order };
		let response: { statusCode: number; body: unknown };
		try {
			response = await api.requestFull(request);
		} catch (error) {
			if (isUnknownOutcome(error)) record.entries[key] = { ...base, state: 'unknown' };
			throw error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.context.getNode(), error as Error, { itemIndex });
		}
		const body = (
			typeof response.body === 'object' && response.body !== null ? response.body : {}
		) as IDataObject;
		const id = spec.idOf(body);
		if (typeof id !== 'string' && typeof id !== 'number') {
			record.entries[key] = { ...base, state: 'unknown' };
			throw new NodeOperationError(
				this.context.getNode(),
				`Scravio accepted ${route} for item ${itemIndex} but its answer names no ${spec.what}`,
				{
					itemIndex,
					description: `The ${spec.what} was probably created and paid for. Check ${spec.checkIn} in Scravio before running this again.`,
				},
			);
		}
		record.entries[key] = {
			...base,
			state: 'created',
			id: String(id),
			statusCode: response.statusCode,
			body,
		};
		// n8n can lose an execution's data when the process running it dies (a worker killed in queue
		// mode): its log is then the one place inside n8n that names what was paid for.
		this.context.logger.info(
			`Scravio: ${spec.what} ${String(id)} created for item ${itemIndex} (node "${this.context.getNode().name}", execution ${this.context.getExecutionId()})`,
		);
		return { statusCode: response.statusCode, body, replayed: false };
	}

	/**
	 * What this execution has charged so far, for an error's description; undefined when nothing.
	 * Lists every created object by id and every request whose outcome is unknown.
	 */
	summary(): string | undefined {
		const entries = Object.values(this.record().entries).sort((a, b) => a.order - b.order);
		if (entries.length === 0) return undefined;
		const created = entries.filter((entry) => entry.state === 'created');
		const unknown = entries.filter((entry) => entry.state === 'unknown');
		const lines: string[] = [];
		if (created.length) {
			lines.push(
				`Already created in this execution (credits reserved): ${created.map(describeEntry).join(', ')}. Use these instead of creating them again.`,
			);
		}
		if (unknown.length) {
			lines.push(
				`Sent in this execution without a usable answer (may have reserved credits): ${unknown.map(describeEntry).join(', ')}. Check ${[...new Set(unknown.map((entry) => entry.checkIn))].join(' and ')} in Scravio.`,
			);
		}
		return lines.join('\n');
	}
}

/** A charging operation whose `check` result is typed for its `execute`. */
export interface ChargingOperationSpec<Checked> {
	properties: INodeProperties[];
	check(this: IExecuteFunctions, itemIndex: number, api: ItemApi): Promise<Checked>;
	checkAll?(this: IExecuteFunctions, itemIndexes: number[]): void;
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		api: ItemApi,
		checked: Checked,
	): Promise<OperationResult>;
	executeAll?: ScravioOperation['executeAll'];
}

export function chargingOperation<Checked>(spec: ChargingOperationSpec<Checked>): ScravioOperation {
	return {
		properties: spec.properties,
		check: spec.check,
		checkAll: spec.checkAll,
		executeAll: spec.executeAll,
		async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi, checked?: unknown) {
			// The router always checks first; checking here too keeps `execute` usable on its own.
			const input =
				checked === undefined ? await spec.check.call(this, itemIndex, api) : (checked as Checked);
			return await spec.execute.call(this, itemIndex, api, input);
		},
	};
}
