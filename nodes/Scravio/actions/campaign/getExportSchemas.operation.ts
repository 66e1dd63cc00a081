import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { CATALOGUE } from '../../../api/catalogue';
import { optionsCollection } from '../../../ui/options';
import type { ItemApi, ScravioOperation } from '../types';

/**
 * GET /campaigns/export-schemas. One item per schema ({ key, label, columns }), so that a
 * workflow can loop over the schemas or pick one with an IF/Filter node.
 */
export const getExportSchemas: ScravioOperation = {
	properties: [optionsCollection()],
	async execute(this: IExecuteFunctions, _itemIndex: number, api: ItemApi) {
		const body = await api.request({ method: 'GET', path: CATALOGUE.exportSchema.routes.list });
		const schemas = ((body.data as IDataObject | undefined)?.schemas ?? []) as IDataObject[];
		return schemas;
	},
};
