import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type {
	DownloadExpectation,
	DownloadResult,
	PaginateOptions,
	PaginationStyle,
	ScravioRequest,
} from '../../transport';
import type { ChargeResult, ChargeSpec } from './charges';

/** The transport bound to one input item (its index and workspace override). */
export interface ItemApi {
	request<T = IDataObject>(request: ScravioRequest): Promise<T>;
	/** Also returns the status code, e.g. 200 (existing export) vs 201 (created). */
	requestFull(request: ScravioRequest): Promise<{ statusCode: number; body: unknown }>;
	paginate(
		request: ScravioRequest,
		style: PaginationStyle,
		options?: PaginateOptions,
	): Promise<IDataObject[]>;
	/** The file in memory, or as a stream with `as: 'stream'` (see scravioDownload). */
	download<E extends DownloadExpectation>(url: string, expected: E): Promise<DownloadResult<E>>;
	/**
	 * Sends a request that creates or charges (campaign create and validate, export create,
	 * validation job create) at most once per item and execution: see ./charges.ts. Returns the
	 * recorded answer without sending when an earlier try of this execution already created the
	 * object, and refuses to send when an earlier try's outcome is unknown.
	 */
	charge(request: ScravioRequest, spec: ChargeSpec): Promise<ChargeResult>;
	/** The workspace override of this item ('' when the credential's applies). */
	workspaceId: string;
	itemIndex: number;
}

/**
 * What an operation returns for one item: plain objects become items; items with binary
 * data are returned as INodeExecutionData. The router adds pairedItem to all of them.
 */
export type OperationResult =
	IDataObject | IDataObject[] | INodeExecutionData | INodeExecutionData[];

export interface ScravioOperation {
	/** The operation's parameters; the router adds the displayOptions for resource/operation. */
	properties: INodeProperties[];
	/**
	 * Operations that charge: reads and checks one item's input and returns what `execute` needs
	 * to send it (the request body, the wait settings). It sends nothing that charges (free reads
	 * are fine). The router runs it for EVERY item before the first item is executed, so one bad
	 * item stops the run before anything is charged.
	 */
	check?(this: IExecuteFunctions, itemIndex: number, api: ItemApi): Promise<unknown>;
	/**
	 * Called once after `check` with the items that passed, before anything is sent: refuses the
	 * whole run (throws) when it cannot go through, e.g. more jobs than the hourly allowance.
	 */
	checkAll?(this: IExecuteFunctions, itemIndexes: number[]): void;
	/** Turns one input item into requests and a result; `checked` is what `check` returned for it. */
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		api: ItemApi,
		checked?: unknown,
	): Promise<OperationResult>;
	/**
	 * Set by operations that can consume all items at once (one validation job for a whole
	 * list). When it returns output, the per-item loop is skipped; it pairs items itself.
	 */
	executeAll?(
		this: IExecuteFunctions,
		items: INodeExecutionData[],
		apiFor: (itemIndex: number) => ItemApi,
	): Promise<INodeExecutionData[] | undefined>;
}

export interface OperationOption {
	name: string;
	value: string;
	description: string;
	action: string;
}

export interface ScravioResource {
	name: string;
	value: string;
	operations: Array<OperationOption & { operation: ScravioOperation }>;
	/** Operation preselected in the editor. */
	defaultOperation: string;
}
