import type { IExecuteFunctions } from 'n8n-workflow';

import { CATALOGUE } from '../../../api/catalogue';
import { statusOptions } from '../operationFactories/filters';
import { listOperation } from '../operationFactories/list';
import { campaignLocator, locatorId } from '../../../ui/locators';

const PLATFORMS = [
	{ name: 'Facebook', value: 'facebook' },
	{ name: 'Google Maps', value: 'google_maps' },
	{ name: 'Instagram', value: 'instagram' },
	{ name: 'LinkedIn', value: 'linkedin' },
	{ name: 'TikTok', value: 'tiktok' },
	{ name: 'X', value: 'x' },
	{ name: 'YouTube', value: 'youtube' },
];

/** GET /campaigns/{id}/leads with every documented filter and sort. */
export const getManyLeads = listOperation({
	object: CATALOGUE.lead,
	leading: [campaignLocator],
	simplify: 'lead',
	parentId(this: IExecuteFunctions, itemIndex: number) {
		return locatorId(this, campaignLocator.name, itemIndex, 'Campaign');
	},
	filters: [
		{
			displayName: 'Email Source',
			name: 'emailSource',
			type: 'string',
			default: '',
			description: 'How Scravio found the e-mail, as shown in the emailSource field of a lead',
		},
		{
			displayName: 'Has Email',
			name: 'hasEmail',
			type: 'boolean',
			default: true,
			description:
				'Whether to return only leads with an e-mail (true) or only leads without one (false)',
		},
		{
			displayName: 'Platform',
			name: 'platform',
			type: 'options',
			options: PLATFORMS,
			default: 'instagram',
			description: 'Source platform of the lead',
		},
		{
			displayName: 'Source Type',
			name: 'sourceType',
			type: 'string',
			default: '',
			description: 'Lead source type, as shown in the sourceType field of a lead',
		},
		{
			displayName: 'Validation Status',
			name: 'validationStatus',
			type: 'options',
			options: statusOptions(CATALOGUE.lead.statuses.all, { sorted: true }),
			default: 'valid',
		},
	],
	sort: {
		fields: [
			{ name: 'Follower Count', value: 'followerCount' },
			{ name: 'Has Email', value: 'hasEmail' },
			{ name: 'Scraped At', value: 'scrapedAt' },
		],
		default: 'hasEmail',
	},
});
