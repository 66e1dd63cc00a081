import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	scravioApiPaginate,
	scravioApiRequest,
	scravioApiRequestFull,
	scravioDownload,
} from '../../transport';
import { ChargeBook } from './charges';
import type { ItemApi, OperationResult, ScravioOperation, ScravioResource } from './types';

/**
 * The one place that loops over items, pairs output with input and handles errors and
 * "Continue On Fail", so that an operation only turns one item into a request and a result.
 */

export function itemApi(
	context: IExecuteFunctions,
	itemIndex: number,
	book: ChargeBook = new ChargeBook(context),
): ItemApi {
	const workspaceId = String(
		context.getNodeParameter('options.workspaceId', itemIndex, '') ?? '',
	).trim();
	const settings = { workspaceId, itemIndex };
	const api: ItemApi = {
		workspaceId,
		itemIndex,
		request: async <T>(request: Parameters<ItemApi['request']>[0]) =>
			await scravioApiRequest.call<
				IExecuteFunctions,
				[typeof request, typeof settings],
				Promise<T>
			>(context, request, settings),
		requestFull: async (request) => await scravioApiRequestFull.call(context, request, settings),
		paginate: async (request, style, options) =>
			await scravioApiPaginate.call(context, request, style, options, settings),
		download: async (url, expected) => await scravioDownload.call(context, url, expected, settings),
		charge: async (request, spec) => await book.charge(api, request, spec),
	};
	return api;
}

function isExecutionData(value: unknown): value is INodeExecutionData {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	// `json` first: a plain record (a lead of a 100,000-row Return All) stops here, keys unread.
	if (typeof (value as INodeExecutionData).json !== 'object') return false;
	return Object.keys(value).every(
		(key) => key === 'json' || key === 'binary' || key === 'pairedItem',
	);
}

export function toItems(result: OperationResult, itemIndex: number): INodeExecutionData[] {
	const list = (Array.isArray(result) ? result : [result]) as Array<
		IDataObject | INodeExecutionData
	>;
	return list.map((entry) =>
		isExecutionData(entry)
			? { ...entry, pairedItem: { item: itemIndex } }
			: { json: entry as IDataObject, pairedItem: { item: itemIndex } },
	);
}

/**
 * The JSON of an error item: what a workflow needs to branch on, never request details.
 * n8n routes an item to the error output only when its JSON keys are among `error`, `message`
 * and `details`, and it replaces the JSON of any item that carries an `error` object with
 * `{ error: message }`. So the API's code, field errors and requestId go under `details`, and
 * error items carry no `error` object.
 */
export function errorJson(error: Error): IDataObject {
	const details: IDataObject = {};
	if (error instanceof NodeApiError) {
		const body = (error.errorResponse ?? {}) as JsonObject;
		if (error.description) details.description = error.description;
		if (error.httpCode) details.httpCode = error.httpCode;
		if (body.code) details.code = body.code;
		if (Array.isArray(body.errors) && body.errors.length) details.errors = body.errors;
		if (body.requestId) details.requestId = body.requestId;
	} else if (error instanceof NodeOperationError && error.description) {
		details.description = error.description;
	}
	return Object.keys(details).length ? { error: error.message, details } : { error: error.message };
}

function asNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context = { ...(error.context ?? {}), itemIndex };
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/** Adds a paragraph at the end of an error's description (once). */
function appendDescription(
	error: NodeApiError | NodeOperationError,
	text: string | undefined,
): NodeApiError | NodeOperationError {
	if (!text || error.description?.includes(text)) return error;
	error.description = error.description ? `${error.description}\n${text}` : text;
	return error;
}

/** What a refused check says about credits: true for the whole execution, not only this item. */
function nothingChargedNote(book: ChargeBook): string {
	return (
		book.summary() ??
		'Nothing that reserves credits was sent to Scravio in this execution, so no credits were reserved.'
	);
}

type CheckOutcome = { checked: unknown } | { error: NodeApiError | NodeOperationError };

/**
 * Charging operations: every item is checked (`check`) before the first one is sent. Without
 * Continue On Fail one bad item stops the run before anything is charged; with it, bad items
 * become error items and the others go on. `checkAll` may then refuse the run as a whole.
 */
async function checkAllItems(
	context: IExecuteFunctions,
	operation: ScravioOperation,
	itemCount: number,
	apiFor: (itemIndex: number) => ItemApi,
	book: ChargeBook,
): Promise<Map<number, CheckOutcome>> {
	const results = new Map<number, CheckOutcome>();
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			results.set(itemIndex, {
				checked: await operation.check!.call(context, itemIndex, apiFor(itemIndex)),
			});
		} catch (error) {
			const nodeError = asNodeError(context, error, itemIndex);
			if (!context.continueOnFail()) throw appendDescription(nodeError, nothingChargedNote(book));
			results.set(itemIndex, { error: nodeError });
		}
	}
	const passed = [...results]
		.filter(([, result]) => 'checked' in result)
		.map(([itemIndex]) => itemIndex);
	if (operation.checkAll && passed.length > 0) {
		try {
			operation.checkAll.call(context, passed);
		} catch (error) {
			const nodeError = appendDescription(
				asNodeError(context, error, passed[0]),
				nothingChargedNote(book),
			);
			if (!context.continueOnFail()) throw nodeError;
			for (const itemIndex of passed) results.set(itemIndex, { error: nodeError });
		}
	}
	return results;
}

export async function route(
	this: IExecuteFunctions,
	resources: Record<string, ScravioResource>,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resourceName = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resourceName]?.operations.find(
		(entry) => entry.value === operationName,
	)?.operation;
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of "${resourceName}" is not supported`,
		);
	}

	const book = new ChargeBook(this);
	const apiFor = (itemIndex: number) => itemApi(this, itemIndex, book);

	if (operation.executeAll) {
		try {
			const combined = await operation.executeAll.call(this, items, apiFor);
			if (combined) return [combined];
		} catch (error) {
			const nodeError = appendDescription(asNodeError(this, error, 0), book.summary());
			if (!this.continueOnFail()) throw nodeError;
			return [
				items.map((_, index) => ({ json: errorJson(nodeError), pairedItem: { item: index } })),
			];
		}
	}

	const checks = operation.check
		? await checkAllItems(this, operation, items.length, apiFor, book)
		: undefined;

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const check = checks?.get(itemIndex);
			if (check && 'error' in check) throw check.error;
			const result = await operation.execute.call(
				this,
				itemIndex,
				apiFor(itemIndex),
				check?.checked,
			);
			for (const item of toItems(result, itemIndex)) output.push(item);
		} catch (error) {
			const nodeError = asNodeError(this, error, itemIndex);
			// A run that stops names everything it already paid for, so nothing is lost or bought twice.
			if (!this.continueOnFail()) throw appendDescription(nodeError, book.summary());
			output.push({ json: errorJson(nodeError), pairedItem: { item: itemIndex } });
		}
	}
	return [output];
}

/** Adds `displayOptions` for a resource/operation pair to an operation's own parameters. */
export function showFor(
	resource: string,
	operation: string,
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, resource: [resource], operation: [operation] },
		},
	}));
}

/** The node's parameter list: the resource selector, each resource's operations and their fields. */
export function buildProperties(resources: Record<string, ScravioResource>): INodeProperties[] {
	const list = Object.values(resources);
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: list.map(({ name, value }) => ({ name, value })),
			default: 'campaign',
		},
	];
	for (const resource of list) {
		const defaultOperation = resource.defaultOperation;
		properties.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			options: resource.operations.map(({ name, value, description, action }) => ({
				name,
				value,
				description,
				action,
			})),
			default: defaultOperation,
		});
	}
	for (const resource of list) {
		for (const operation of resource.operations) {
			properties.push(...showFor(resource.value, operation.value, operation.operation.properties));
		}
	}
	return properties;
}
