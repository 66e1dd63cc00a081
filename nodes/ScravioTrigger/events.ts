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

type WatchedObject = ListedObject &
	DetailedObject &
	TrackedObject & { statuses: { finishedAt: string } };

function objectKind(object: WatchedObject): ObjectKind {
	return {
		label: object.label,
		listPath: object.routes.list,
		style: object.pagination,
		scope: object.scope,
		idField: object.idField,
		detailPath: (id) => detailPath(object, id),
		unwrapDetail: (body) => unwrapObject(object, body),
		runningStatuses: object.statuses.running,
		terminalStatuses: object.statuses.terminal,
		finishedAtField: object.statuses.finishedAt,
	};
}

export type TriggerEvent = 'campaignFinished' | 'exportReady' | 'validationJobFinished';

export interface EventSpec {
	kind: ObjectKind;
	/** Name of the node parameter holding the statuses to emit. */
	statusParameter: string;
	statusOptions: Array<{ name: string; value: string; description: string }>;
	defaultStatuses: string[];
}

/** "fully_completed" → "Fully Completed". */
const optionName = (status: string) =>
	status.replace(/_/g, ' ').replace(/\b\w/g, (first) => first.toUpperCase());

/**
 * An event: the object it watches, the parameter holding the final statuses to emit (what each
 * means, as option descriptions), and by default the statuses that mean success.
 */
function eventSpec(
	object: WatchedObject,
	statusParameter: string,
	meanings: Record<string, string>,
): EventSpec {
	const statusOptions = Object.entries(meanings)
		.map(([value, description]) => ({ name: optionName(value), value, description }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return {
		kind: objectKind(object),
		statusParameter,
		statusOptions,
		defaultStatuses: [...object.statuses.succeeded],
	};
}

export const EVENTS: Record<TriggerEvent, EventSpec> = {
	campaignFinished: eventSpec(CATALOGUE.campaign, 'campaignStatuses', {
		failed: 'The campaign ended with an error',
		fully_completed: 'Scraping and e-mail processing are done',
		stopped: 'The campaign was stopped before its goal',
	}),
	exportReady: eventSpec(CATALOGUE.export, 'exportStatuses', {
		completed: 'The file is ready to download',
		failed: 'The export could not be built',
	}),
	validationJobFinished: eventSpec(CATALOGUE.validationJob, 'jobStatuses', {
		cancelled: 'The job was cancelled',
		completed: 'Every e-mail was validated',
		failed: 'The job ended with an error',
	}),
};

export const CAMPAIGN_KIND = EVENTS.campaignFinished.kind;
export const EXPORT_KIND = EVENTS.exportReady.kind;
export const VALIDATION_JOB_KIND = EVENTS.validationJobFinished.kind;

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
	if (filter.campaignTypes.length > 0 && !filter.campaignTypes.includes(String(item.type ?? '')))
		return false;
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
