import type { IDataObject } from 'n8n-workflow';

import type { DetailedObject, ListedObject, TrackedObject } from '../api/catalogue';
import { CATALOGUE, detailPath, unwrapObject } from '../api/catalogue';
import type { PaginationStyle, RouteScope } from '../transport';

/**
 * What the trigger watches, per kind of object: the list route it pages (newest first), the
 * detail route it emits, and which statuses are still moving and which are final, all read
 * from the object's catalogue entry. The poll machinery (poller.ts) knows nothing else about
 * campaigns, exports or validation jobs.
 */
export interface ObjectKind {
	/** For messages: "campaign", "export", "validation job". */
	label: string;
	listPath: string;
	style: PaginationStyle;
	scope: RouteScope;
	/** Field holding the object's id in list and detail views. */
	idField: string;
	detailPath(id: string): string;
	/** Picks the object out of a detail response. */
	unwrapDetail(body: IDataObject): IDataObject;
	/** Statuses the object can still leave. Each is listed separately when many objects are tracked. */
	runningStatuses: readonly string[];
	/** Statuses it never leaves. */
	terminalStatuses: readonly string[];
	/** When the object reached its final status (null for some failures). */
	finishedAtField: string;
}

type WatchedObject = ListedObject & DetailedObject & TrackedObject & { finishedAtField: string };

function objectKind(object: WatchedObject): ObjectKind {
	return {
		label: object.label,
		listPath: object.listPath,
		style: object.pagination,
		scope: object.scope,
		idField: object.idField,
		detailPath: (id) => detailPath(object, id),
		unwrapDetail: (body) => unwrapObject(object, body),
		runningStatuses: object.statuses.running,
		terminalStatuses: object.statuses.terminal,
		finishedAtField: object.finishedAtField,
	};
}

export const CAMPAIGN_KIND = objectKind(CATALOGUE.campaign);
export const EXPORT_KIND = objectKind(CATALOGUE.export);
export const VALIDATION_JOB_KIND = objectKind(CATALOGUE.validationJob);

export type TriggerEvent = 'campaignFinished' | 'exportReady' | 'validationJobFinished';

export interface EventSpec {
	kind: ObjectKind;
	/** Name of the node parameter holding the statuses to emit. */
	statusParameter: string;
	statusOptions: Array<{ name: string; value: string; description: string }>;
	defaultStatuses: string[];
}

export const EVENTS: Record<TriggerEvent, EventSpec> = {
	campaignFinished: {
		kind: CAMPAIGN_KIND,
		statusParameter: 'campaignStatuses',
		statusOptions: [
			{ name: 'Failed', value: 'failed', description: 'The campaign ended with an error' },
			{ name: 'Fully Completed', value: 'fully_completed', description: 'Scraping and e-mail processing are done' },
			{ name: 'Stopped', value: 'stopped', description: 'The campaign was stopped before its goal' },
		],
		defaultStatuses: ['fully_completed'],
	},
	exportReady: {
		kind: EXPORT_KIND,
		statusParameter: 'exportStatuses',
		statusOptions: [
			{ name: 'Completed', value: 'completed', description: 'The file is ready to download' },
			{ name: 'Failed', value: 'failed', description: 'The export could not be built' },
		],
		defaultStatuses: ['completed'],
	},
	validationJobFinished: {
		kind: VALIDATION_JOB_KIND,
		statusParameter: 'jobStatuses',
		statusOptions: [
			{ name: 'Cancelled', value: 'cancelled', description: 'The job was cancelled' },
			{ name: 'Completed', value: 'completed', description: 'Every e-mail was validated' },
			{ name: 'Failed', value: 'failed', description: 'The job ended with an error' },
		],
		defaultStatuses: ['completed'],
	},
};

/** Which finished objects the user wants, read from the node's parameters. */
export interface EventFilter {
	statuses: string[];
	/** Campaign types (campaigns only); empty = all. */
	campaignTypes: string[];
	/** Campaign id (exports only); '' = all. */
	campaignId: string;
}

export function objectId(kind: ObjectKind, item: IDataObject): string {
	return String(item[kind.idField] ?? '');
}

export function isTerminal(kind: ObjectKind, item: IDataObject): boolean {
	return kind.terminalStatuses.includes(String(item.status ?? ''));
}

/** Whether a finished object is one the user asked for. */
export function matchesFilter(item: IDataObject, filter: EventFilter): boolean {
	if (!filter.statuses.includes(String(item.status ?? ''))) return false;
	if (filter.campaignTypes.length > 0 && !filter.campaignTypes.includes(String(item.type ?? ''))) return false;
	if (filter.campaignId && String(item.campaignId ?? '') !== filter.campaignId) return false;
	return true;
}

/** API time (epoch ms) an object reached its final status, for ordering; falls back to creation. */
export function finishedAtMs(kind: ObjectKind, item: IDataObject): number {
	for (const field of [kind.finishedAtField, 'updatedAt', 'createdAt']) {
		const ms = Date.parse(String(item[field] ?? ''));
		if (!Number.isNaN(ms)) return ms;
	}
	return 0;
}
