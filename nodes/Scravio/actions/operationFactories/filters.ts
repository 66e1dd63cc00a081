import type { INodeProperties } from 'n8n-workflow';

import { CATALOGUE } from '../../../api/catalogue';

/** "fully_completed" → "Fully completed": status values as option names. */
export const statusName = (status: string) =>
	status.replace(/_/g, ' ').replace(/^./, (first) => first.toUpperCase());

/** Status values as options, in the catalogue's order or by name. */
export function statusOptions(
	statuses: readonly string[],
	{ sorted = false } = {},
): Array<{ name: string; value: string }> {
	const options = statuses.map((status) => ({ name: statusName(status), value: status }));
	return sorted ? options.sort((a, b) => a.name.localeCompare(b.name)) : options;
}

/** A Get Many "Status" filter over the route's documented statuses. */
export function statusFilter(statuses: readonly string[], defaultStatus: string): INodeProperties {
	return {
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: statusOptions(statuses),
		default: defaultStatus,
	};
}

/** The "Campaign ID" filter of the lists that belong to a campaign (exports, transactions). */
export function campaignIdFilter(subject: string): INodeProperties {
	return {
		displayName: 'Campaign ID',
		name: 'campaignId',
		type: 'string',
		default: '',
		placeholder: CATALOGUE.campaign.locator.idPlaceholder,
		description: `Only ${subject} of this campaign`,
	};
}

/** The `from`/`to` date filters that the list routes share. */
export function dateRangeFilters(
	labels: { from: string; to: string },
	subject: string,
): INodeProperties[] {
	return [
		{
			displayName: labels.from,
			name: 'from',
			type: 'dateTime',
			default: '',
			description: `Only ${subject} at or after this time`,
		},
		{
			displayName: labels.to,
			name: 'to',
			type: 'dateTime',
			default: '',
			description: `Only ${subject} at or before this time`,
		},
	];
}
