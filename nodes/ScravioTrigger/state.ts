/**
 * The Scravio Trigger's state, and why it emits every event exactly once.
 *
 * The problem. Scravio has no webhooks for campaigns. Lists can be sorted by `createdAt`, but not
 * by when an object finished (campaigns cannot be sorted by `finishedAt` at all), and a campaign
 * created months ago, far down the list, can finish at any time. So "give me what finished since
 * my last poll" is not a query the API answers; the trigger has to remember what is still running.
 *
 * The state (in the node's static data, JSON-safe, bounded):
 *   - `floor`: an API timestamp (epoch ms). Every object created before it is accounted for.
 *   - `seen`: id -> createdAt of the objects created at or after `floor` that are accounted for.
 *   - `running`: id -> createdAt of accounted-for objects that had not reached a final status.
 *   - `missing`: id -> how many polls in a row a tracked id answered 404. The API has no delete
 *     route, so a 404 is most likely transient: the id stays tracked and is only given up after
 *     MISSING_LIMIT polls in a row.
 *   - `emitted`: the last ids emitted (a short ring, a second guard against duplicates).
 *   - `scope`: event + API base URL + workspace the state belongs to; a change starts afresh.
 * "Accounted for" means: emitted, or found already final before the trigger was active (never
 * emitted), or being tracked in `running`.
 *
 * One poll (poller.ts), built so that it can fail anywhere and be repeated:
 *   1. New objects: page the list newest first (sortBy=createdAt, order=desc) and stop at the
 *      first object created before `floor`. Every object not in `seen`/`running` is new: final
 *      already -> an event (if it matches); still moving -> add to `running`. Objects created in
 *      the same millisecond (or second) are all caught because the boundary is inclusive and
 *      `seen` holds the ids at and after it, not just a timestamp. New objects pushing older
 *      ones onto the next page while we page only repeat ids, which are ignored.
 *   2. Running objects: ask for each tracked id whether it is final. With few tracked ids that is
 *      one GET per id; with more than there are running statuses, one list per running status
 *      (newest first, stopping below the oldest tracked id) proves which are still running, and
 *      only the ids missing from those lists are fetched. Either way the cost grows with the
 *      number of running objects, never with the size of the workspace. Final -> an event (if it
 *      matches) or dropped; 404 -> kept, and dropped after MISSING_LIMIT 404s in a row.
 *   3. Every event is fetched from its detail route (the item emitted is the detail view), and
 *      export files are downloaded, before anything is committed. A new, already final object
 *      whose detail answers 404 is tracked like a running one, so it is not lost.
 *   4. Only when all of that succeeded is the new state written. A poll that fails halfway (a list
 *      request: it concerns every object) throws and leaves the old state, so the next poll redoes
 *      the same work and emits the same events once: nothing is marked done before it is emitted.
 *      A failure of one object (its detail, its file) keeps that object tracked for the next poll
 *      and lets the others through (see "One object that keeps failing" below).
 *
 * Time. Only timestamps written by the API are compared, never n8n's clock, so the two clocks may
 * differ by any amount. `floor` trails the newest `createdAt` seen by LOOKBACK_MS, so that an
 * object that becomes visible in the list a little after a newer one (a slow insert) is still
 * new; the ids in that window are in `seen`, so nothing in it is emitted twice.
 *
 * First activation (mode 'trigger', no state) records the present: `seen` = the newest objects,
 * `running` = everything in a running status (one list per running status), and emits nothing.
 * A campaign already running then is emitted when it finishes. "Fetch Test Event" (mode 'manual')
 * returns the most recent matching object and never reads or writes the state. After a restart
 * or a deactivation the stored state is used as is: what finished meanwhile is emitted once.
 *
 * Bounds: `seen` keeps at most SEEN_MAX ids, fewer than a page, so that a poll with nothing new
 * reads one page. When more objects share the lookback window, `floor` moves up to the oldest one
 * kept (still correct: the older ones are below `floor`; only the tolerance for slow inserts
 * shrinks during such a burst). `running` at most
 * RUNNING_MAX (a workspace with more objects running at once would lose the oldest, logged as a
 * warning); `emitted` EMITTED_MAX.
 *
 * Guarantees added for faults (issue 11):
 *   - Overlapping polls. n8n starts a poll at every interval whether or not the previous one has
 *     finished. A poll first takes a lease in the node's static data (the same object for every
 *     poll of this trigger in this process). A poll that finds a live lease of another poll ends
 *     at once and emits nothing; a poll that lost its lease (it outlived LEASE_MS and another poll
 *     took over) emits nothing and commits nothing. A lease from another process (before a
 *     restart) or past its expiry does not block.
 *   - One object that keeps failing (its detail answers 500, its file 404) never blocks the others:
 *     the others are emitted, it stays tracked with a count in `failures`, and after FAIL_LIMIT
 *     polls in a row it is given up and reported by name (an export can be emitted without its file).
 *   - The API's clock. `floor` never passes the API server's clock (its `Date` header) minus the
 *     lookback, so one record stamped in the future cannot blind the trigger. Without a `Date`
 *     header, `floor` trails what most records say (the median createdAt kept), not the newest.
 *   - Records without a readable createdAt are remembered by id in `undated` (at most
 *     UNDATED_MAX, oldest forgotten first), never in `seen`, so they neither move `floor` nor grow
 *     the state without bound.
 */
import type { IDataObject } from 'n8n-workflow';

export const STATE_VERSION = 1;
export const STATE_KEY = 'scravioTrigger';

/** How far `floor` trails the newest createdAt seen (API time). */
export const LOOKBACK_MS = 2 * 60_000;
/**
 * Fewer than one list page: with nothing new, the first page then always reaches below `floor`,
 * so an idle poll reads one page however many objects were created in the lookback window.
 */
export const SEEN_MAX = 99;
export const RUNNING_MAX = 5000;
export const EMITTED_MAX = 200;
/** Polls in a row a tracked id may answer 404 before it is given up. */
export const MISSING_LIMIT = 3;
/** Polls in a row an object may fail (detail or file) before it is given up and reported. */
export const FAIL_LIMIT = 5;
/** Ids without a readable createdAt remembered at most. */
export const UNDATED_MAX = 500;
/** The `Date` header has a resolution of one second. */
export const CLOCK_SLACK_MS = 1000;

export interface TriggerState {
	version: typeof STATE_VERSION;
	scope: string;
	floor: number;
	seen: Record<string, number>;
	running: Record<string, number>;
	missing: Record<string, number>;
	/** id -> polls in a row its detail or file failed. */
	failures: Record<string, number>;
	/** Ids without a readable createdAt, oldest first. */
	undated: string[];
	emitted: string[];
}

function isStringArray(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((id) => typeof id === 'string');
}

function isNumberRecord(value: unknown): value is Record<string, number> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	return Object.values(value).every((entry) => typeof entry === 'number' && Number.isFinite(entry));
}

/** The stored state when it is intact and belongs to this scope; undefined otherwise. */
export function readState(nodeStaticData: IDataObject, scope: string): TriggerState | undefined {
	const raw = nodeStaticData[STATE_KEY] as Partial<TriggerState> | undefined;
	if (typeof raw !== 'object' || raw === null) return undefined;
	if (raw.version !== STATE_VERSION || raw.scope !== scope) return undefined;
	if (typeof raw.floor !== 'number' || !Number.isFinite(raw.floor)) return undefined;
	if (!isNumberRecord(raw.seen) || !isNumberRecord(raw.running)) return undefined;
	// Fields added later default to empty, so a state stored by an older release is still used.
	const missing = raw.missing === undefined ? {} : raw.missing;
	const failures = raw.failures === undefined ? {} : raw.failures;
	const undated = raw.undated === undefined ? [] : raw.undated;
	if (!isNumberRecord(missing) || !isNumberRecord(failures) || !isStringArray(undated))
		return undefined;
	if (!isStringArray(raw.emitted)) return undefined;
	return {
		version: STATE_VERSION,
		scope,
		floor: raw.floor,
		seen: { ...raw.seen },
		running: { ...raw.running },
		missing: { ...missing },
		failures: { ...failures },
		undated: [...undated],
		emitted: [...raw.emitted],
	};
}

/** Replaces the stored state (a plain JSON copy, so nothing shared with the poll survives). */
export function writeState(nodeStaticData: IDataObject, state: TriggerState): void {
	nodeStaticData[STATE_KEY] = JSON.parse(JSON.stringify(state)) as IDataObject;
}

export interface StateDraft {
	scope: string;
	floor: number;
	seen: Record<string, number>;
	running: Record<string, number>;
	missing: Record<string, number>;
	failures?: Record<string, number>;
	undated?: string[];
	emitted: string[];
	/** The API server's clock when this poll read the list (epoch ms), if known. */
	apiNow?: number;
}

export interface CompactResult {
	state: TriggerState;
	/** Running ids dropped because RUNNING_MAX was exceeded. */
	droppedRunning: number;
}

/**
 * The newest createdAt that `floor` may follow: the newest one not ahead of the API's clock, or
 * without a clock, the median (what most records say), so that one record stamped in the future
 * cannot move `floor` past the records created after it.
 */
export function trustedNewest(createdAts: number[], apiNow: number | undefined): number {
	if (createdAts.length === 0) return Number.NEGATIVE_INFINITY;
	if (apiNow !== undefined) {
		const limit = apiNow + CLOCK_SLACK_MS;
		return createdAts.reduce(
			(max, t) => (t <= limit ? Math.max(max, t) : max),
			Number.NEGATIVE_INFINITY,
		);
	}
	const sorted = [...createdAts].sort((a, b) => a - b);
	return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * Moves `floor` up to (trusted newest createdAt - LOOKBACK_MS), never down, forgets the `seen` ids
 * below it and applies the size bounds.
 */
export function compactState(draft: StateDraft): CompactResult {
	const seenEntries = Object.entries(draft.seen);
	let floor = draft.floor;
	const newest = trustedNewest(
		seenEntries.map(([, createdAt]) => createdAt),
		draft.apiNow,
	);
	if (Number.isFinite(newest)) floor = Math.max(floor, newest - LOOKBACK_MS);

	let kept = seenEntries.filter(([, createdAt]) => createdAt >= floor).sort((a, b) => b[1] - a[1]);
	if (kept.length > SEEN_MAX) {
		// Keep every id created at the cut instant: ids below the new floor need no memory. The cut
		// never passes the trusted newest (ids stamped ahead of the API's clock stay in `seen` until
		// the clock reaches them; they are at most SEEN_MAX).
		const cut = kept[SEEN_MAX - 1][1];
		floor = Math.max(floor, Number.isFinite(newest) ? Math.min(cut, newest) : cut);
		kept = kept.filter(([, createdAt]) => createdAt >= floor);
	}

	let running = Object.entries(draft.running).sort((a, b) => b[1] - a[1]);
	const droppedRunning = Math.max(0, running.length - RUNNING_MAX);
	if (droppedRunning > 0) running = running.slice(0, RUNNING_MAX);
	const runningIds = new Set(running.map(([id]) => id));

	return {
		state: {
			version: STATE_VERSION,
			scope: draft.scope,
			floor,
			seen: Object.fromEntries(kept),
			running: Object.fromEntries(running),
			missing: Object.fromEntries(
				Object.entries(draft.missing).filter(([id]) => runningIds.has(id)),
			),
			failures: Object.fromEntries(
				Object.entries(draft.failures ?? {}).filter(([id]) => runningIds.has(id)),
			),
			undated: [...new Set(draft.undated ?? [])].slice(-UNDATED_MAX),
			emitted: draft.emitted.slice(-EMITTED_MAX),
		},
		droppedRunning,
	};
}

/** An object's createdAt as epoch ms (API time); NaN when it has none. */
export function createdAtMs(item: IDataObject): number {
	return Date.parse(String(item.createdAt ?? ''));
}

/* ------------------------------------------------------------------------------------------ */
/* Lease: one poll of a trigger at a time                                                     */
/* ------------------------------------------------------------------------------------------ */

export const LEASE_KEY = 'scravioTriggerLease';
/**
 * How long a lease holds without being released. Only a poll that hangs (or a process that died
 * while its lease was saved) leaves one behind; a later poll then takes over after this long.
 */
export const LEASE_MS = 15 * 60_000;

/** This process (a lease saved by another process, before a restart, does not block). */
const PROCESS_TAG = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
let leaseCounter = 0;

interface Lease {
	holder: string;
	process: string;
	until: number;
}

function leaseOf(nodeStaticData: IDataObject): Lease | undefined {
	const raw = nodeStaticData[LEASE_KEY] as Partial<Lease> | undefined;
	if (typeof raw !== 'object' || raw === null) return undefined;
	if (
		typeof raw.holder !== 'string' ||
		typeof raw.process !== 'string' ||
		typeof raw.until !== 'number'
	)
		return undefined;
	return raw as Lease;
}

/**
 * Takes the trigger's lease for one poll; returns its holder id, or undefined when another poll
 * of this trigger in this process holds a lease that has not expired. `now` is n8n's clock (the
 * lease never leaves the process, so the API's clock plays no part).
 */
export function takeLease(
	nodeStaticData: IDataObject,
	now: number = Date.now(),
): string | undefined {
	const current = leaseOf(nodeStaticData);
	if (current && current.process === PROCESS_TAG && current.until > now) return undefined;
	const holder = `${PROCESS_TAG}#${++leaseCounter}`;
	nodeStaticData[LEASE_KEY] = { holder, process: PROCESS_TAG, until: now + LEASE_MS };
	return holder;
}

/** Whether `holder` still holds the lease (a poll that outlived it must not commit). */
export function holdsLease(nodeStaticData: IDataObject, holder: string): boolean {
	return leaseOf(nodeStaticData)?.holder === holder;
}

/** Gives the lease back (only its holder can). */
export function releaseLease(nodeStaticData: IDataObject, holder: string): void {
	if (holdsLease(nodeStaticData, holder)) delete nodeStaticData[LEASE_KEY];
}
