import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { DetailedObject } from '../../../api/catalogue';
import { detailPath, unwrapObject } from '../../../api/catalogue';
import type { ItemApi, ScravioOperation } from '../types';
import { locatorId } from '../../../ui/locators';
import { optionsCollection } from '../../../ui/options';
import type { SimplifiedObject } from '../output/simplify';
import { simplifyIfAsked, simplifyProperty } from '../output/simplify';

interface GetSpec {
	locator: INodeProperties;
	label: string;
	/** The object (catalogue entry): its detail route, scope and envelope. */
	object: DetailedObject;
	/** A route below the detail route, e.g. `/download` for GET /list-exports/{id}/download. */
	suffix?: string;
	/** Extra entries of the "Options" collection. */
	options?: INodeProperties[];
	/** Shapes the object for the output (e.g. leaves out a short-lived link). */
	output?(context: IExecuteFunctions, itemIndex: number, object: IDataObject): IDataObject;
	/** Offers Simplify with this object's main fields. */
	simplify?: SimplifiedObject;
}

/** "Get" of one object by id, as its catalogue entry says: the same code for campaigns, exports and validation jobs. */
export function getOperation(spec: GetSpec): ScravioOperation {
	return {
		properties: [
			spec.locator,
			...(spec.simplify ? [simplifyProperty(spec.simplify)] : []),
			optionsCollection(spec.options),
		],
		async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
			const id = locatorId(this, spec.locator.name, itemIndex, spec.label);
			const body = await api.request({
				method: 'GET',
				path: `${detailPath(spec.object, id)}${spec.suffix ?? ''}`,
				scope: spec.object.scope,
			});
			const object = unwrapObject(spec.object, body);
			return simplifyIfAsked(
				this,
				itemIndex,
				spec.simplify,
				spec.output ? spec.output(this, itemIndex, object) : object,
			);
		},
	};
}
