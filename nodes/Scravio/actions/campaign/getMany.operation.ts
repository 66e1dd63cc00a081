import { campaignTypeOptions } from '../../../api/campaignRules';
import { CATALOGUE } from '../../../api/catalogue';
import { dateRangeFilters, statusFilter } from '../operationFactories/filters';
import { listOperation } from '../operationFactories/list';

/** GET /campaigns with every documented filter and sort. */
export const getManyCampaigns = listOperation({
	object: CATALOGUE.campaign,
	simplify: 'campaign',
	filters: [
		statusFilter(CATALOGUE.campaign.statuses.all, 'fully_completed'),
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			description: 'Campaign type',
			options: campaignTypeOptions(),
			default: 'INSTAGRAM_HASHTAG',
		},
		{
			displayName: 'Search',
			name: 'q',
			type: 'string',
			default: '',
			description: 'Matches the campaign title or its target input',
		},
		...dateRangeFilters({ from: 'Created After', to: 'Created Before' }, 'campaigns created'),
	],
	sort: {
		fields: [
			{ name: 'Created At', value: 'createdAt' },
			{ name: 'Progress', value: 'progress' },
			{ name: 'Status', value: 'status' },
		],
		default: 'createdAt',
	},
});
