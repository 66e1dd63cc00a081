import type { IDataObject } from 'n8n-workflow';

import type { PageResult } from '../Scravio/transport';
import { MAX_PAGE_SIZE } from '../Scravio/transport';
import type { EventFilter, ObjectKind } from './events';
import { finishedAtMs, isTerminal, matchesFilter, objectId } from './events';
import type { TriggerState } from './state';
import { LOOKBACK_MS, MISSING_LIMIT, SEEN_MAX, compactState, createdAtMs } from './state';

/**
 * The poll machinery shared by the three events (the design is described in state.ts). It
 * talks to the API only through this interface, which the node implements with the transport.
 */
export interface PollerApi {
	/** One page of the kind's list route, newest first unless `qs` says otherwise. */
	listPage(kind: ObjectKind, qs: IDataObject, page: number, pageSize: number): Promise<PageResult>;
	/** The detail view of one object; undefined when it no longer exists (404). */
	getDetail(kind: ObjectKind, id: string): Promise<IDataObject | undefined>;
}

/** Detail GETs sent at once. */
const DETAIL_CONCURRENCY = 5;
/** Safety stop for a list that never ends (an API ignoring `page`). */
const MAX_PAGES = 100_000;

const NEWEST_FIRST = { sortBy: 'createdAt', order: 'desc' } as const;

async function mapConcurrent<T, R>(values: T[], limit: number, fn: (value: T) => Promise<R>): Promise<R[]> {
	const results: R[] = [];
	for (let start = 0; start < values.length; start += limit) {
		const batch = await Promise.all(values.slice(start, start + limit).map(fn));
		results.push(...batch);
	}
	return results;
}

/**
 * Pages `qs` newest first, handing each object to `visit`, until `visit` returns false (the list
 * went below the boundary) or the list ends.
 */
async function walkNewestFirst(
	api: PollerApi,
	kind: ObjectKind,
	qs: IDataObject,
	visit: (item: IDataObject, createdAt: number) => boolean,
): Promise<void> {
	// MAX_PAGE_SIZE is a ceiling: later pages are asked with the size the API served the first
	// one with, and the walk ends at the page count the API reports, not at a short page.
	let pageSize = MAX_PAGE_SIZE;
	for (let page = 1; page <= MAX_PAGES; page++) {
		const result = await api.listPage(kind, { ...qs, ...NEWEST_FIRST }, page, pageSize);
		for (const item of result.items) {
			if (!visit(item, createdAtMs(item))) return;
		}
		if (result.items.length === 0 || (result.totalPages > 0 ? page >= result.totalPages : result.items.length < result.pageSize)) return;
		pageSize = result.pageSize;
	}
}

interface NewObjects {
	/** New objects, each once, in list order. */
	items: Array<{ item: IDataObject; createdAt: number }>;
}

/**
 * Step 1: the objects created at or after `floor` that are not known yet. Without a floor
 * (first activation) it reads back LOOKBACK_MS from the newest object.
 */
async function scanNew(
	api: PollerApi,
	kind: ObjectKind,
	floor: number | undefined,
	isKnown: (id: string) => boolean,
): Promise<NewObjects> {
	const items: NewObjects['items'] = [];
	const taken = new Set<string>();
	let boundary = floor;
	await walkNewestFirst(api, kind, {}, (item, rawCreatedAt) => {
		// An object without a readable createdAt sits at the boundary: kept in `seen` for a while.
		const createdAt = Number.isNaN(rawCreatedAt) ? (boundary ?? 0) : rawCreatedAt;
		if (boundary === undefined) boundary = createdAt - LOOKBACK_MS;
		if (createdAt < boundary) return false;
		const id = objectId(kind, item);
		if (!id || taken.has(id) || isKnown(id)) return true;
		taken.add(id);
		items.push({ item, createdAt });
		// First activation keeps no more than SEEN_MAX ids anyway: stop below the last one kept
		// (objects created in that same instant are still read, so that none of them is "new" later).
		if (floor === undefined && items.length === SEEN_MAX) boundary = Math.max(boundary, createdAt);
		return true;
	});
	return { items };
}

/**
 * Step 2 with many tracked ids: one list per running status proves which tracked ids are still
 * running. Lists are read newest first and only down to the oldest tracked id.
 */
async function stillRunningIds(api: PollerApi, kind: ObjectKind, tracked: Record<string, number>): Promise<Set<string>> {
	const oldest = Math.min(...Object.values(tracked));
	const found = new Set<string>();
	await Promise.all(
		kind.runningStatuses.map(async (status) => {
			await walkNewestFirst(api, kind, { status }, (item, createdAt) => {
				const id = objectId(kind, item);
				// The list's status is what proves "running"; re-check it in case the API ignored the filter.
				if (id in tracked && String(item.status ?? '') === status) found.add(id);
				return Number.isNaN(createdAt) || createdAt >= oldest;
			});
		}),
	);
	return found;
}

interface RunningCheck {
	/** Tracked ids that reached a final status, with their detail view. */
	finished: IDataObject[];
	/** Tracked ids still running (or answering 404 fewer than MISSING_LIMIT times in a row). */
	running: Record<string, number>;
	missing: Record<string, number>;
}

/**
 * Fetches the detail of each id: final -> finished; still running -> kept; 404 -> kept until
 * it answered 404 MISSING_LIMIT polls in a row.
 */
async function fetchDetails(
	api: PollerApi,
	kind: ObjectKind,
	tracked: Record<string, number>,
	missingBefore: Record<string, number>,
	into: RunningCheck,
): Promise<void> {
	const details = await mapConcurrent(Object.keys(tracked), DETAIL_CONCURRENCY, async (id) => ({ id, detail: await api.getDetail(kind, id) }));
	for (const { id, detail } of details) {
		if (detail === undefined) {
			const misses = (missingBefore[id] ?? 0) + 1;
			if (misses < MISSING_LIMIT) {
				into.running[id] = tracked[id];
				into.missing[id] = misses;
			}
		} else if (isTerminal(kind, detail)) {
			into.finished.push(detail);
		} else {
			into.running[id] = tracked[id];
		}
	}
}

/** Step 2: which tracked objects reached a final status. */
async function checkRunning(
	api: PollerApi,
	kind: ObjectKind,
	tracked: Record<string, number>,
	missing: Record<string, number>,
): Promise<RunningCheck> {
	const check: RunningCheck = { finished: [], running: {}, missing: {} };
	const ids = Object.keys(tracked);
	if (ids.length === 0) return check;

	// With few ids, asking each one is cheapest; with more, one list per running status is.
	let toFetch = tracked;
	if (ids.length > kind.runningStatuses.length) {
		const proven = await stillRunningIds(api, kind, tracked);
		toFetch = {};
		for (const id of ids) {
			if (proven.has(id)) check.running[id] = tracked[id];
			else toFetch[id] = tracked[id];
		}
	}
	await fetchDetails(api, kind, toFetch, missing, check);
	return check;
}

export interface PollOutcome {
	/** Detail views of the objects that finished with a matching status, oldest finish first. */
	events: IDataObject[];
	/** The state to commit once the events are delivered. */
	state: TriggerState;
	droppedRunning: number;
}

/** One poll of an active trigger with a stored state. Throws on any API failure; commits nothing. */
export async function pollOnce(api: PollerApi, kind: ObjectKind, state: TriggerState, filter: EventFilter): Promise<PollOutcome> {
	const emitted = new Set(state.emitted);
	const fresh = await scanNew(api, kind, state.floor, (id) => id in state.seen || id in state.running);
	const check = await checkRunning(api, kind, state.running, state.missing);

	const seen = { ...state.seen };
	// New objects that are final already and wanted: their detail view is what is emitted.
	const wanted: Record<string, number> = {};
	for (const { item, createdAt } of fresh.items) {
		const id = objectId(kind, item);
		seen[id] = createdAt;
		if (!isTerminal(kind, item)) check.running[id] = createdAt;
		else if (matchesFilter(item, filter) && !emitted.has(id)) wanted[id] = createdAt;
	}
	await fetchDetails(api, kind, wanted, {}, check);

	const events: IDataObject[] = [];
	const emittedNow: string[] = [];
	for (const detail of check.finished) {
		const id = objectId(kind, detail);
		if (!id || emitted.has(id) || !matchesFilter(detail, filter)) continue;
		emitted.add(id);
		emittedNow.push(id);
		events.push(detail);
	}
	events.sort((a, b) => finishedAtMs(kind, a) - finishedAtMs(kind, b) || objectId(kind, a).localeCompare(objectId(kind, b)));

	const { state: next, droppedRunning } = compactState({
		scope: state.scope,
		floor: state.floor,
		seen,
		running: check.running,
		missing: check.missing,
		emitted: [...state.emitted, ...emittedNow],
	});
	return { events, state: next, droppedRunning };
}

/** First activation: records what exists and what is running now; emits nothing. */
export async function baselineState(api: PollerApi, kind: ObjectKind, scope: string): Promise<{ state: TriggerState; droppedRunning: number }> {
	const fresh = await scanNew(api, kind, undefined, () => false);
	const seen: Record<string, number> = {};
	const running: Record<string, number> = {};
	for (const { item, createdAt } of fresh.items) {
		const id = objectId(kind, item);
		seen[id] = createdAt;
		if (!isTerminal(kind, item)) running[id] = createdAt;
	}
	// Everything running now, however old: it will be emitted when it finishes.
	await Promise.all(
		kind.runningStatuses.map(async (status) => {
			await walkNewestFirst(api, kind, { status }, (item, createdAt) => {
				const id = objectId(kind, item);
				if (id && String(item.status ?? '') === status) running[id] = Number.isNaN(createdAt) ? 0 : createdAt;
				return true;
			});
		}),
	);
	const floor = fresh.items.length > 0 ? Math.min(...fresh.items.map(({ createdAt }) => createdAt)) : 0;
	return compactState({ scope, floor, seen, running, missing: {}, emitted: [] });
}

/** How many objects "Fetch Test Event" looks at per status. */
const SAMPLE_SIZE = 20;

/**
 * "Fetch Test Event": the most recently finished object with a matching status (among the newest
 * of each status), as its detail view; undefined when there is none. Reads no state.
 */
export async function latestMatching(
	api: PollerApi,
	kind: ObjectKind,
	filter: EventFilter,
	listFilters: IDataObject,
): Promise<IDataObject | undefined> {
	const pages = await Promise.all(
		filter.statuses.map(async (status) => await api.listPage(kind, { ...listFilters, status, ...NEWEST_FIRST }, 1, SAMPLE_SIZE)),
	);
	const candidates = pages
		.flatMap((page) => page.items)
		.filter((item) => isTerminal(kind, item) && matchesFilter(item, filter))
		.sort((a, b) => finishedAtMs(kind, b) - finishedAtMs(kind, a));
	for (const candidate of candidates) {
		const detail = await api.getDetail(kind, objectId(kind, candidate));
		if (detail !== undefined && matchesFilter(detail, filter)) return detail;
	}
	return undefined;
}
