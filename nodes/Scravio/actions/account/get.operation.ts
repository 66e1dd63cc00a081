import type { IExecuteFunctions } from 'n8n-workflow';

import { CATALOGUE } from '../../../api/catalogue';
import { optionsCollection } from '../../../ui/options';
import type { ItemApi, ScravioOperation } from '../types';

/** GET /auth/me: the account, its credits and the effective workspace. */
export const getAccount: ScravioOperation = {
	properties: [optionsCollection()],
	async execute(this: IExecuteFunctions, _itemIndex: number, api: ItemApi) {
		return await api.request({ method: 'GET', path: CATALOGUE.account.routes.detail });
	},
};
