import { campaignTypeOptions } from '../../shared/campaignRules';
import { PAGINATION } from '../../transport';
import { dateRangeFilters, statusFilter } from '../common/filters';
import { listOperation } from '../common/list';

export const CAMPAIGN_STATUSES = [
	'pending', 'scraping', 'scraping_completed', 'processing_emails', 'fully_completed', 'failed', 'stopped',
] as const;

/** GET /campaigns with every documented filter and sort. */
export const getManyCampaigns = listOperation({
	style: PAGINATION.campaigns,
	path: () => '/campaigns',
	simplify: 'campaign',
	filters: [
		statusFilter(CAMPAIGN_STATUSES, 'fully_completed'),
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
