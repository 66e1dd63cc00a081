import { CATALOGUE } from '../../../api/catalogue';
import { campaignIdFilter, statusFilter } from '../operationFactories/filters';
import { listOperation } from '../operationFactories/list';

/** GET /list-exports with every documented filter and sort. */
export const getManyExports = listOperation({
	object: CATALOGUE.export,
	simplify: 'export',
	filters: [campaignIdFilter('exports'), statusFilter(CATALOGUE.export.statuses.all, 'completed')],
	sort: {
		fields: [
			{ name: 'Completed At', value: 'completedAt' },
			{ name: 'Created At', value: 'createdAt' },
			{ name: 'Status', value: 'status' },
		],
		default: 'createdAt',
	},
});
