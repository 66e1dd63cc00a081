import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getManyLeads } from '../lead/getMany.operation';
import type { ItemApi } from '../types';
import { CAMPAIGN_OUTCOMES } from '../waitForCompletion/waitTargets';

/**
 * Campaign › Create with Wait for Completion can output the campaign's leads instead of the
 * campaign ("run and get the results", as the Apify and Firecrawl nodes do). The lead options are
 * Lead › Get Many's own parameters (Return All, Limit, Simplify, Filters), read and applied by
 * that operation, so both behave the same.
 */

const LEAD_PARAMETERS = ['returnAll', 'limit', 'simplify', 'filters'];
const whenLeads = { waitForCompletion: [true], output: ['leads'] };

export const outputLeadsProperties: INodeProperties[] = [
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Campaign', value: 'campaign', description: 'One item: the finished campaign' },
			{
				name: 'Leads',
				value: 'leads',
				description:
					'One item per lead of the finished campaign (with the lead filters below). A campaign that did not complete is output as the campaign.',
			},
		],
		default: 'campaign',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	...getManyLeads.properties
		.filter((property) => LEAD_PARAMETERS.includes(property.name))
		.map((property) => ({
			...property,
			displayOptions: {
				...property.displayOptions,
				show: { ...property.displayOptions?.show, ...whenLeads },
			},
		})),
];

/** Whether this item asked for the leads; read before the campaign is created (bad input costs nothing). */
export function wantsLeads(
	context: IExecuteFunctions,
	itemIndex: number,
	waiting: boolean,
): boolean {
	if (!waiting) return false;
	const output = context.getNodeParameter('output', itemIndex, 'campaign') as string;
	if (output !== 'campaign' && output !== 'leads') {
		throw new NodeOperationError(
			context.getNode(),
			`Output must be "campaign" or "leads", not "${output}"`,
			{
				itemIndex,
				description: 'Nothing was sent.',
			},
		);
	}
	if (output === 'leads' && !(context.getNodeParameter('returnAll', itemIndex, false) as boolean)) {
		const limit = context.getNodeParameter('limit', itemIndex, 50);
		if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
			throw new NodeOperationError(
				context.getNode(),
				'Limit must be a whole number of at least 1',
				{
					itemIndex,
					description: `"${String(limit)}" is not a usable number of leads. Nothing was sent.`,
				},
			);
		}
	}
	return output === 'leads';
}

/**
 * The leads of a campaign that Wait for Completion returned. A campaign that did not complete
 * (returned by "Output Failed Outcomes" or "On Timeout: Return Current State") stays the output,
 * so that the workflow can branch on its status.
 */
export async function campaignLeads(
	context: IExecuteFunctions,
	itemIndex: number,
	api: ItemApi,
	campaign: IDataObject,
): Promise<IDataObject | IDataObject[]> {
	if (!(CAMPAIGN_OUTCOMES.succeeded as readonly string[]).includes(String(campaign.status)))
		return campaign;
	const campaignId = String(campaign.id);
	// Lead › Get Many reads its campaign from the `campaignId` locator: give it this campaign.
	const withCampaign = Object.create(context, {
		getNodeParameter: {
			value: (name: string, index: number, fallback?: unknown, options?: IDataObject) =>
				name === 'campaignId'
					? campaignId
					: context.getNodeParameter(name, index, fallback as IDataObject, options),
		},
	}) as IExecuteFunctions;
	return (await getManyLeads.execute.call(withCampaign, itemIndex, api)) as IDataObject[];
}
