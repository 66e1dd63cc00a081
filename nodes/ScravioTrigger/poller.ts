import type { IDataObject } from 'n8n-workflow';

import type { PageResult } from '../transport';
import { MAX_PAGE_SIZE } from '../transport';
import type { EventFilter, ObjectKind } from './events';
import { finishedAtMs, isTerminal, matchesFilter, objectId } from './events';
import type { TriggerState } from './state';
import {
	FAIL_LIMIT,
	LOOKBACK_MS,
	MISSING_LIMIT,
	SEEN_MAX,
	UNDATED_MAX,
	compactState,
	createdAtMs,
	trustedNewest,
} from './state';

/**
 * The poll machinery shared by the three events (the design is described in state.ts). It
 * talks to the API only through this interface, which the node implements with the transport.
 */
export interface PollerApi {
	/** One page of the kind's list route, newest first unless `qs` says otherwise. */
	listPage(kind: ObjectKind, qs: IDataObject, page: number, pageSize: number): Promise<PageResult>;
	/** The detail view of one object; undefined when it no longer exists (404). */
	getDetail(kind: ObjectKind, id: string): Promise<IDataObject | undefined>;
	/** Throws when the poll was cancelled: then a failure ends the poll instead of being counted. */
	assertNotCancelled?(): void;
}

/** Detail GETs sent at once. */
const DETAIL_CONCURRENCY = 5;
/** Safety stop for a list that never ends (an API ignoring `page`). */
const MAX_PAGES = 100_000;

const NEWEST_FIRST = { sortBy: 'createdAt', order: 'desc' } as const;

async function mapConcurrent<T, R>(
	values: T[],
	limit: number,
	fn: (value: T) => Promise<R>,
): Promise<R[]> {
	const results: R[] = [];
	for (let start = 0; start < values.length; start += limit) {
		const batch = await Promise.all(values.slice(start, start + limit).map(fn));
		results.push(...batch);
	}
	return results;
}

/**
 * Pages `qs` newest first, handing each object to `visit`, until `visit` returns false (the list
 * went below the boundary) or the list ends. Returns the API's clock (the newest `Date` header).
 */
async function walkNewestFirst(
	api: PollerApi,
	kind: ObjectKind,
	qs: IDataObject,
	visit: (item: IDataObject, createdAt: number, apiNow: number | undefined) => boolean,
	onPage?: (items: IDataObject[], apiNow: number | undefined) => void,
): Promise<number | undefined> {
	let apiNow: number | undefined;
	// MAX_PAGE_SIZE is a ceiling: later pages are asked with the size the API served the first
	// one with, and the walk ends at the page count the API reports, not at a short page.
	let pageSize = MAX_PAGE_SIZE;
	for (let page = 1; page <= MAX_PAGES; page++) {
		const result = await api.listPage(kind, { ...qs, ...NEWEST_FIRST }, page, pageSize);
		if (result.serverTime !== undefined)
			apiNow = Math.max(apiNow ?? result.serverTime, result.serverTime);
		onPage?.(result.items, apiNow);
		for (const item of result.items) {
			if (!visit(item, createdAtMs(item), apiNow)) return apiNow;
		}
		if (
			result.items.length === 0 ||
			(result.totalPages > 0 ? page >= result.totalPages : result.items.length < result.pageSize)
		)
			return apiNow;
		pageSize = result.pageSize;
	}
	return apiNow;
}

interface NewObjects {
	/** New objects with a readable createdAt, each once, in list order. */
	items: Array<{ item: IDataObject; createdAt: number }>;
	/** New objects without a readable createdAt. */
	undated: IDataObject[];
	/** Ids of every object without a readable createdAt the scan saw (known or not). */
	undatedSeen: string[];
	/** The API's clock when the list was read, if it sent one. */
	apiNow?: number;
}

/**
 * Step 1: the objects created at or after `floor` that are not known yet. Without a floor
 * (first activation) it reads back LOOKBACK_MS from the newest object of the first page that is
 * not ahead of the API's clock (without a clock: the median of the first page).
 */
async function scanNew(
	api: PollerApi,
	kind: ObjectKind,
	floor: number | undefined,
	isKnown: (id: string) => boolean,
): Promise<NewObjects> {
	const found: NewObjects = { items: [], undated: [], undatedSeen: [] };
	const taken = new Set<string>();
	let boundary = floor;
	const firstPage = (items: IDataObject[], apiNow: number | undefined) => {
		if (boundary !== undefined) return;
		const dated = items.map(createdAtMs).filter((t) => !Number.isNaN(t));
		if (dated.length > 0) boundary = trustedNewest(dated, apiNow) - LOOKBACK_MS;
	};
	found.apiNow = await walkNewestFirst(
		api,
		kind,
		{},
		(item, createdAt) => {
			const id = objectId(kind, item);
			// An object without a readable createdAt says nothing about where the list is: go on.
			if (Number.isNaN(createdAt)) {
				if (id && !taken.has(id)) {
					taken.add(id);
					found.undatedSeen.push(id);
					if (!isKnown(id)) found.undated.push(item);
				}
				return true;
			}
			if (boundary !== undefined && createdAt < boundary) return false;
			if (!id || taken.has(id) || isKnown(id)) return true;
			taken.add(id);
			found.items.push({ item, createdAt });
			// First activation keeps no more than SEEN_MAX ids anyway: stop below the last one kept
			// (objects created in that same instant are still read, so that none of them is "new" later).
			if (floor === undefined && found.items.length === SEEN_MAX && boundary !== undefined)
				boundary = Math.max(boundary, createdAt);
			return true;
		},
		firstPage,
	);
	return found;
}

/**
 * Step 2 with many tracked ids: one list per running status proves which tracked ids are still
 * running. Lists are read newest first and only down to the oldest tracked id. An id that moves
 * to another status while the lists are read is in none of them: it is fetched, not lost.
 */
async function stillRunningIds(
	api: PollerApi,
	kind: ObjectKind,
	tracked: Record<string, number>,
): Promise<Set<string>> {
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

/** An object the trigger stopped trying after FAIL_LIMIT polls in a row, for the report. */
export interface GivenUp {
	id: string;
	/** A title, file name or other name the API gave it, when one is known. */
	name?: string;
	/** What kept failing. */
	stage: 'detail' | 'file';
	error: Error;
	/** Whether it was emitted anyway (an export without its file). */
	emitted: boolean;
}

interface RunningCheck {
	/** Tracked ids that reached a final status, with their detail view. */
	finished: IDataObject[];
	/** Tracked ids still running (or answering 404 fewer than MISSING_LIMIT times in a row). */
	running: Record<string, number>;
	missing: Record<string, number>;
	/** Ids whose detail or file failed this poll, with their count of polls in a row. */
	failures: Record<string, number>;
	givenUp: GivenUp[];
}

function asError(error: unknown): Error {
	return error instanceof Error ? error : new Error(String(error));
}

/** A name to report an object by: its title, file name or name. */
export function objectName(item: IDataObject | undefined): string | undefined {
	for (const field of ['title', 'filename', 'name', 'fileName']) {
		const value = item?.[field];
		if (typeof value === 'string' && value.trim()) return value.trim();
	}
	return undefined;
}

/**
 * Fetches the detail of each id: final -> finished; still running -> kept; 404 -> kept until
 * it answered 404 MISSING_LIMIT polls in a row; any other failure -> kept until it failed
 * FAIL_LIMIT polls in a row, then given up (reported), so that one bad object never blocks the
 * others. A cancelled poll stops here.
 */
async function fetchDetails(
	api: PollerApi,
	kind: ObjectKind,
	tracked: Record<string, number>,
	before: {
		missing: Record<string, number>;
		failures: Record<string, number>;
		names?: Record<string, string | undefined>;
	},
	into: RunningCheck,
): Promise<void> {
	const details = await mapConcurrent(Object.keys(tracked), DETAIL_CONCURRENCY, async (id) => {
		try {
			return { id, detail: await api.getDetail(kind, id) };
		} catch (error) {
			api.assertNotCancelled?.();
			return { id, detail: undefined, error: asError(error) };
		}
	});
	for (const { id, detail, error } of details) {
		if (error) {
			const failures = (before.failures[id] ?? 0) + 1;
			if (failures < FAIL_LIMIT) {
				into.running[id] = tracked[id];
				into.failures[id] = failures;
			} else {
				into.givenUp.push({ id, name: before.names?.[id], stage: 'detail', error, emitted: false });
			}
		} else if (detail === undefined) {
			const misses = (before.missing[id] ?? 0) + 1;
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
	state: TriggerState,
	check: RunningCheck,
): Promise<void> {
	const tracked = state.running;
	const ids = Object.keys(tracked);
	if (ids.length === 0) return;

	// With few ids, asking each one is cheapest; with more, one list per running status is.
	let toFetch = tracked;
	if (ids.length > kind.runningStatuses.length) {
		const proven = await stillRunningIds(api, kind, tracked);
		toFetch = {};
		for (const id of ids) {
			if (proven.has(id)) {
				check.running[id] = tracked[id];
				if (state.failures[id] !== undefined) check.failures[id] = state.failures[id];
			} else toFetch[id] = tracked[id];
		}
	}
	await fetchDetails(api, kind, toFetch, state, check);
}

/** Turns a finished object into what is emitted (e.g. downloads its file); may fail. */
export type Deliver<T> = (detail: IDataObject) => Promise<T>;
/** What to emit for an object whose delivery failed FAIL_LIMIT polls in a row (undefined: nothing). */
export type DeliverFallback<T> = (detail: IDataObject, error: Error) => T | undefined;

export interface PollOutcome<T = IDataObject> {
	/** What was emitted for the objects that finished with a matching status, oldest finish first. */
	events: T[];
	/** The state to commit once the events are delivered. */
	state: TriggerState;
	droppedRunning: number;
	/** Objects given up this poll (they kept failing). */
	givenUp: GivenUp[];
	/** Objects that failed this poll and will be tried again: id -> polls in a row. */
	failing: Record<string, number>;
}

/**
 * One poll of an active trigger with a stored state. A failure that concerns every object (a
 * list request) throws and commits nothing; a failure of one object (its detail, its delivery)
 * keeps that object for the next poll and lets the others through.
 */
export async function pollOnce<T = IDataObject>(
	api: PollerApi,
	kind: ObjectKind,
	state: TriggerState,
	filter: EventFilter,
	deliver: Deliver<T> = async (detail) => detail as unknown as T,
	fallback?: DeliverFallback<T>,
): Promise<PollOutcome<T>> {
	const emitted = new Set(state.emitted);
	const undatedKnown = new Set(state.undated);
	const fresh = await scanNew(
		api,
		kind,
		state.floor,
		(id) => id in state.seen || id in state.running || undatedKnown.has(id),
	);
	const check: RunningCheck = { finished: [], running: {}, missing: {}, failures: {}, givenUp: [] };
	await checkRunning(api, kind, state, check);

	const seen = { ...state.seen };
	// Ids without createdAt, refreshed when seen (those the list still shows are forgotten last).
	const seenNow = new Set(fresh.undatedSeen);
	const undated = [...state.undated.filter((id) => !seenNow.has(id)), ...fresh.undatedSeen];
	// More of them in view than can be remembered: a new one cannot be told from a forgotten one,
	// so none is emitted as new (no repeats); those seen running are still tracked and emitted.
	const undatedOverflow = fresh.undatedSeen.length > UNDATED_MAX;
	// New objects that are final already and wanted: their detail view is what is emitted.
	const wanted: Record<string, number> = {};
	const names: Record<string, string | undefined> = {};
	const consider = (item: IDataObject, createdAt: number) => {
		const id = objectId(kind, item);
		if (!isTerminal(kind, item)) check.running[id] = createdAt;
		else if (matchesFilter(item, filter) && !emitted.has(id)) {
			wanted[id] = createdAt;
			names[id] = objectName(item);
		}
	};
	for (const { item, createdAt } of fresh.items) {
		seen[objectId(kind, item)] = createdAt;
		consider(item, createdAt);
	}
	for (const item of fresh.undated) {
		if (undatedOverflow && isTerminal(kind, item)) continue;
		consider(item, state.floor);
	}
	await fetchDetails(api, kind, wanted, { missing: {}, failures: {}, names }, check);

	const createdAtOf = (id: string, detail: IDataObject) =>
		state.running[id] ??
		seen[id] ??
		wanted[id] ??
		(Number.isNaN(createdAtMs(detail)) ? state.floor : createdAtMs(detail));
	const finished = check.finished
		.filter((detail) => {
			const id = objectId(kind, detail);
			return id && !emitted.has(id) && matchesFilter(detail, filter);
		})
		.sort(
			(a, b) =>
				finishedAtMs(kind, a) - finishedAtMs(kind, b) ||
				objectId(kind, a).localeCompare(objectId(kind, b)),
		);

	const events: T[] = [];
	const emittedNow: string[] = [];
	for (const detail of finished) {
		const id = objectId(kind, detail);
		let event: T | undefined;
		try {
			event = await deliver(detail);
		} catch (caught) {
			api.assertNotCancelled?.();
			const error = asError(caught);
			const failures = (state.failures[id] ?? 0) + 1;
			if (failures < FAIL_LIMIT) {
				// Tried again next poll: tracked as if still running.
				check.running[id] = createdAtOf(id, detail);
				check.failures[id] = failures;
				continue;
			}
			event = fallback?.(detail, error);
			check.givenUp.push({
				id,
				name: objectName(detail),
				stage: 'file',
				error,
				emitted: event !== undefined,
			});
			if (event === undefined) continue;
		}
		emitted.add(id);
		emittedNow.push(id);
		events.push(event);
	}

	const { state: next, droppedRunning } = compactState({
		scope: state.scope,
		floor: state.floor,
		seen,
		running: check.running,
		missing: check.missing,
		failures: check.failures,
		undated,
		emitted: [...state.emitted, ...emittedNow],
		apiNow: fresh.apiNow,
	});
	return { events, state: next, droppedRunning, givenUp: check.givenUp, failing: check.failures };
}

/**
 * First activation: records what exists and what is running now; emits nothing. Running objects
 * are found in one walk of the whole list (not one list per running status, where an object
 * that moves from one running status to the next while the lists are read is in neither): an
 * object never leaves the whole list, and new ones only push others down (read twice, not lost).
 */
export async function baselineState(
	api: PollerApi,
	kind: ObjectKind,
	scope: string,
): Promise<{ state: TriggerState; droppedRunning: number }> {
	const fresh = await scanNew(api, kind, undefined, () => false);
	const seen: Record<string, number> = {};
	const running: Record<string, number> = {};
	const undated = fresh.undatedSeen;
	for (const { item, createdAt } of fresh.items) seen[objectId(kind, item)] = createdAt;
	const floor =
		fresh.items.length > 0 ? Math.min(...fresh.items.map(({ createdAt }) => createdAt)) : 0;
	// Everything running now, however old: it will be emitted when it finishes.
	const apiNow = await walkNewestFirst(api, kind, {}, (item, createdAt) => {
		const id = objectId(kind, item);
		if (id && !isTerminal(kind, item)) running[id] = Number.isNaN(createdAt) ? floor : createdAt;
		return true;
	});
	return compactState({
		scope,
		floor,
		seen,
		running,
		missing: {},
		failures: {},
		undated,
		emitted: [],
		apiNow: apiNow ?? fresh.apiNow,
	});
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
		filter.statuses.map(
			async (status) =>
				await api.listPage(kind, { ...listFilters, status, ...NEWEST_FIRST }, 1, SAMPLE_SIZE),
		),
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
