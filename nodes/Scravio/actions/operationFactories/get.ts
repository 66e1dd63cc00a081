import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RouteScope } from '../../../transport';
import type { ItemApi, ScravioOperation } from '../types';
import { locatorId, segment } from '../../../ui/locators';
import { optionsCollection } from '../../../ui/options';
import type { SimplifiedObject } from '../output/simplify';
import { simplifyIfAsked, simplifyProperty } from '../output/simplify';

interface GetSpec {
	locator: INodeProperties;
	label: string;
	/** Route with `{id}`, e.g. `/list-exports/{id}`. */
	path: string;
	scope?: RouteScope;
	/** Picks the object out of the response (`campaign`, `data`). */
	unwrap(body: IDataObject): IDataObject;
	/** Extra entries of the "Options" collection. */
	options?: INodeProperties[];
	/** Shapes the object for the output (e.g. leaves out a short-lived link). */
	output?(context: IExecuteFunctions, itemIndex: number, object: IDataObject): IDataObject;
	/** Offers Simplify with this object's main fields. */
	simplify?: SimplifiedObject;
}

/** "Get" of one object by id: the same code for campaigns, exports and validation jobs. */
export function getOperation(spec: GetSpec): ScravioOperation {
	return {
		properties: [spec.locator, ...(spec.simplify ? [simplifyProperty(spec.simplify)] : []), optionsCollection(spec.options)],
		async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
			const id = locatorId(this, spec.locator.name, itemIndex, spec.label);
			const body = await api.request({ method: 'GET', path: spec.path.replace('{id}', segment(id)), scope: spec.scope });
			const object = spec.unwrap(body);
			return simplifyIfAsked(this, itemIndex, spec.simplify, spec.output ? spec.output(this, itemIndex, object) : object);
		},
	};
}

export const unwrapData = (body: IDataObject) => (body.data ?? body) as IDataObject;
