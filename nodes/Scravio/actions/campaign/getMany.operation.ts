import { CAMPAIGN_TYPES, CAMPAIGN_TYPE_RULES } from '../../shared/campaignRules';
import { PAGINATION } from '../../transport';
import { listOperation } from '../common/list';

export const CAMPAIGN_STATUSES = [
	'pending', 'scraping', 'scraping_completed', 'processing_emails', 'fully_completed', 'failed', 'stopped',
] as const;

export const statusName = (status: string) =>
	status.replace(/_/g, ' ').replace(/^./, (first) => first.toUpperCase());

/** GET /campaigns with every documented filter and sort. */
export const getManyCampaigns = listOperation({
	style: PAGINATION.campaigns,
	path: () => '/campaigns',
	filters: [
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: CAMPAIGN_STATUSES.map((status) => ({ name: statusName(status), value: status })),
			default: 'fully_completed',
		},
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			description: 'Campaign type',
			options: CAMPAIGN_TYPES.map((type) => ({ name: CAMPAIGN_TYPE_RULES[type].displayName, value: type })),
			default: 'INSTAGRAM_HASHTAG',
		},
		{
			displayName: 'Search',
			name: 'q',
			type: 'string',
			default: '',
			description: 'Matches the campaign title or its target input',
		},
		{
			displayName: 'Created After',
			name: 'from',
			type: 'dateTime',
			default: '',
		},
		{
			displayName: 'Created Before',
			name: 'to',
			type: 'dateTime',
			default: '',
		},
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
