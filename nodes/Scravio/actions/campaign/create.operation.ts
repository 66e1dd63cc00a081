import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { CATALOGUE, unwrapObject } from '../../../api/catalogue';
import { chargingOperation } from '../charges';
import { optionsCollection } from '../../../ui/options';
import type { WaitSettings } from '../waitForCompletion/wait';
import { readWaitSettings, waitForCompletion, waitProperties } from '../waitForCompletion/wait';
import { CAMPAIGN_OUTCOMES, campaignTarget } from '../waitForCompletion/waitTargets';
import type { ItemApi } from '../types';
import { campaignFormProperties, campaignRequestBody } from './campaignForm';
import { campaignLeads, outputLeadsProperties, wantsLeads } from './outputLeads';

/** Where to look for a campaign whose POST got no usable answer. */
export const CAMPAIGN_CHECK_IN =
	'the campaign list (Campaign → Get Many, newest first) and the credit transactions';

/**
 * POST /campaigns with a checked body (it reserves credits): sent at most once per item and
 * execution (see ../charges.ts). Returns the created campaign.
 */
export async function launchCampaign(api: ItemApi, body: IDataObject): Promise<IDataObject> {
	const { body: response } = await api.charge(
		{ method: 'POST', path: CATALOGUE.campaign.routes.list, body, expectId: 'id' },
		{
			what: 'campaign',
			idOf: (answer) => unwrapObject(CATALOGUE.campaign, answer).id,
			checkIn: CAMPAIGN_CHECK_IN,
		},
	);
	return unwrapObject(CATALOGUE.campaign, response);
}

/** POST /campaigns: creates a campaign of any of the 23 types, and optionally waits until it has finished. */
export const createCampaign = chargingOperation<{
	body: IDataObject;
	wait: WaitSettings | undefined;
	leads: boolean;
}>({
	properties: [
		...campaignFormProperties('create'),
		...waitProperties('campaign', CAMPAIGN_OUTCOMES.failed),
		...outputLeadsProperties,
		optionsCollection(),
	],
	async check(this: IExecuteFunctions, itemIndex: number, api: ItemApi) {
		// A bad wait or output setting must not cost credits either.
		const wait = readWaitSettings(this, itemIndex);
		const leads = wantsLeads(this, itemIndex, wait !== undefined);
		return { body: await campaignRequestBody(this, itemIndex, api, 'create'), wait, leads };
	},
	async execute(this: IExecuteFunctions, itemIndex: number, api: ItemApi, { body, wait, leads }) {
		const campaign = await launchCampaign(api, body);
		if (!wait) return campaign;
		const finished = await waitForCompletion(
			this,
			campaignTarget(api, String(campaign.id)),
			wait,
			itemIndex,
			campaign,
		);
		return leads ? await campaignLeads(this, itemIndex, api, finished) : finished;
	},
});
