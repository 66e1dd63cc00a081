import type { INodeProperties } from 'n8n-workflow';

/** "fully_completed" → "Fully completed": status values as option names. */
export const statusName = (status: string) => status.replace(/_/g, ' ').replace(/^./, (first) => first.toUpperCase());

/** A Get Many "Status" filter over the route's documented statuses. */
export function statusFilter(statuses: readonly string[], defaultStatus: string): INodeProperties {
	return {
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: statuses.map((status) => ({ name: statusName(status), value: status })),
		default: defaultStatus,
	};
}

/** The `from`/`to` date filters that the list routes share. */
export function dateRangeFilters(labels: { from: string; to: string }, subject: string): INodeProperties[] {
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
