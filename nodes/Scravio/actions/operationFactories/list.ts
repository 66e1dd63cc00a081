import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ListedObject } from '../../../api/catalogue';
import { listPath } from '../../../api/catalogue';
import type { ItemApi, ScravioOperation } from '../types';
import { compact, optionsCollection } from '../../../ui/options';
import type { SimplifiedObject } from '../output/simplify';
import { simplifyIfAsked, simplifyProperty } from '../output/simplify';
import { returnAllLimit } from '../output/toolUse';

export const returnAllProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export function sortProperties(
	sortFields: Array<{ name: string; value: string }>,
	defaultField: string,
): INodeProperties[] {
	return [
		{
			displayName: 'Sort By',
			name: 'sortBy',
			type: 'options',
			options: sortFields,
			default: defaultField,
		},
		{
			displayName: 'Sort Order',
			name: 'order',
			type: 'options',
			options: [
				{ name: 'Ascending', value: 'asc' },
				{ name: 'Descending', value: 'desc' },
			],
			default: 'desc',
		},
	];
}

interface ListSpec {
	/** The object (catalogue entry): its list route, scope and pagination style. */
	object: ListedObject;
	/** The id of the object the list lives below (the campaign of a lead list). */
	parentId?(this: IExecuteFunctions, itemIndex: number): string;
	/** Fields shown before Return All (e.g. the campaign of a lead list). */
	leading?: INodeProperties[];
	/** The route's documented filters, in a "Filters" collection. */
	filters: INodeProperties[];
	/** Sort fields and default, in the "Options" collection. */
	sort: { fields: Array<{ name: string; value: string }>; default: string };
	/** Extra entries of the "Options" collection. */
	options?: INodeProperties[];
	/** Shapes each record for the output (e.g. leaves out a short-lived link). */
	output?(context: IExecuteFunctions, itemIndex: number, record: IDataObject): IDataObject;
	/** Offers Simplify with this object's main fields. */
	simplify?: SimplifiedObject;
}

/**
 * A "Get Many" operation for a list route: Return All / Limit, filters and sorting, with
 * the route's own pagination style (from its catalogue entry). Filters left empty are not sent.
 */
export function listOperation(spec: ListSpec): ScravioOperation {
	return {
		properties: [
			...(spec.leading ?? []),
			...returnAllProperties,
			...(spec.simplify ? [simplifyProperty(spec.simplify)] : []),
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: spec.filters,
			},
			// An account-scoped route (the credit ledger) takes no X-Workspace-Id, so no workspace override either.
			optionsCollection(
				[...sortProperties(spec.sort.fields, spec.sort.default), ...(spec.options ?? [])],
				{ workspace: spec.object.scope !== 'account' },
			),
		],
		async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
			const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
			const limit = returnAll ? returnAllLimit(this) : readLimit(this, itemIndex);
			const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
			const { sortBy, order } = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const qs = compact({ ...flattenFilters(filters), sortBy, order }) as IDataObject;
			const records = await api.paginate(
				{
					method: 'GET',
					path: listPath(spec.object, spec.parentId?.call(this, itemIndex)),
					qs,
					scope: spec.object.scope,
				},
				spec.object.pagination,
				{ limit },
			);
			const { output } = spec;
			return simplifyIfAsked(
				this,
				itemIndex,
				spec.simplify,
				output ? records.map((record) => output(this, itemIndex, record)) : records,
			);
		},
	};
}

/**
 * The "Limit" of a Get Many: a whole number of at least 1 (a number, or text that is one, from an
 * expression). Anything else names the field before a request is sent, instead of an empty
 * result or an API error about a paging parameter the user never set.
 */
export function readLimit(context: IExecuteFunctions, itemIndex: number): number {
	const raw = context.getNodeParameter('limit', itemIndex, 50) as unknown;
	const limit = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(
			context.getNode(),
			`Limit must be a whole number of at least 1, not ${JSON.stringify(raw)}`,
			{
				itemIndex,
				description:
					'Set "Limit" to how many results you want (1 or more), or turn on "Return All".',
			},
		);
	}
	return limit;
}

/** Booleans go into the query string as "true"/"false"; other values pass through. */
function flattenFilters(filters: IDataObject): IDataObject {
	const qs: IDataObject = {};
	for (const [key, value] of Object.entries(filters)) {
		if (typeof value === 'boolean') qs[key] = String(value);
		else qs[key] = value;
	}
	return qs;
}
