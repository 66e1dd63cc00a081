/**
 * The trigger's state rules (nodes/ScravioTrigger/state.ts), as pure functions: the floor only
 * moves up and trails the newest createdAt by the lookback, ids at the boundary instant are kept,
 * the bounds hold, and a stored state from another scope or version is not used.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	EMITTED_MAX,
	LOOKBACK_MS,
	RUNNING_MAX,
	SEEN_MAX,
	STATE_KEY,
	STATE_VERSION,
	UNDATED_MAX,
	compactState,
	readState,
	writeState,
} from '../../nodes/ScravioTrigger/state';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const empty = { scope: 's', floor: 0, seen: {}, running: {}, missing: {}, emitted: [] as string[] };

describe('compactState', () => {
	it('moves the floor to newest - lookback and forgets older seen ids', () => {
		const { state } = compactState({
			...empty,
			floor: T0 - 10 * LOOKBACK_MS,
			seen: { old: T0 - LOOKBACK_MS - 1, edge: T0 - LOOKBACK_MS, newest: T0 },
			apiNow: T0,
		});
		expect(state.floor).toBe(T0 - LOOKBACK_MS);
		expect(Object.keys(state.seen).sort()).toEqual(['edge', 'newest']);
	});

	it('never follows a createdAt ahead of the API clock (Date header) past that clock', () => {
		const future = T0 + 3600_000; // one record stamped an hour ahead
		const { state } = compactState({
			...empty,
			floor: T0 - 10 * LOOKBACK_MS,
			seen: { a: T0 - 1000, b: T0, future },
			apiNow: T0,
		});
		expect(state.floor).toBe(T0 - LOOKBACK_MS);
		expect(Object.keys(state.seen).sort()).toEqual(['a', 'b', 'future']);
		// A second later (the Date header has a one-second resolution) is not "ahead".
		expect(compactState({ ...empty, seen: { a: T0 + 999 }, apiNow: T0 }).state.floor).toBe(
			T0 + 999 - LOOKBACK_MS,
		);
	});

	it('without the API clock, follows what most records say (the median), not the newest', () => {
		const { state } = compactState({
			...empty,
			seen: { a: T0 - 2000, b: T0 - 1000, c: T0, future: T0 + 3600_000 },
		});
		expect(state.floor).toBe(T0 - 1000 - LOOKBACK_MS);
		expect(state.seen.future).toBe(T0 + 3600_000);
	});

	it('bounds the ids without createdAt (oldest forgotten first)', () => {
		const undated = Array.from({ length: UNDATED_MAX + 20 }, (_, i) => `u${i}`);
		const { state } = compactState({ ...empty, undated: [...undated, 'u3'] });
		expect(state.undated).toHaveLength(UNDATED_MAX);
		expect(state.undated[state.undated.length - 1]).toBe(`u${UNDATED_MAX + 19}`);
		expect(state.undated).not.toContain('u0');
	});

	it('never moves the floor down', () => {
		const { state } = compactState({ ...empty, floor: T0, seen: { a: T0 - 5 * LOOKBACK_MS } });
		expect(state.floor).toBe(T0);
		expect(state.seen).toEqual({});
	});

	it('keeps the floor when nothing was ever seen', () => {
		expect(compactState({ ...empty, floor: 123 }).state.floor).toBe(123);
	});

	it('bounds seen, keeping every id created at the cut instant', () => {
		const seen: Record<string, number> = {};
		for (let i = 0; i < SEEN_MAX + 50; i++) seen[`c${i}`] = T0 - Math.floor(i / 10); // 10 ids per ms
		const { state } = compactState({ ...empty, seen });
		const kept = Object.values(state.seen);
		expect(kept.length).toBeGreaterThanOrEqual(SEEN_MAX);
		expect(kept.length).toBeLessThan(SEEN_MAX + 10);
		expect(Math.min(...kept)).toBe(state.floor);
		// every id at or above the floor is kept: nothing at the boundary instant is forgotten
		const expected = Object.entries(seen)
			.filter(([, t]) => t >= state.floor)
			.map(([id]) => id)
			.sort();
		expect(Object.keys(state.seen).sort()).toEqual(expected);
	});

	it('bounds running (oldest dropped, reported) and emitted; missing only for running ids', () => {
		const running: Record<string, number> = {};
		for (let i = 0; i < RUNNING_MAX + 7; i++) running[`r${i}`] = T0 + i;
		const emitted = Array.from({ length: EMITTED_MAX + 3 }, (_, i) => `e${i}`);
		const { state, droppedRunning } = compactState({
			...empty,
			running,
			emitted,
			missing: { r0: 1, r9: 2, ghost: 1 },
		});
		expect(droppedRunning).toBe(7);
		expect(Object.keys(state.running)).toHaveLength(RUNNING_MAX);
		expect(state.running.r0).toBeUndefined();
		expect(state.running[`r${RUNNING_MAX + 6}`]).toBe(T0 + RUNNING_MAX + 6);
		expect(state.emitted).toHaveLength(EMITTED_MAX);
		expect(state.emitted[state.emitted.length - 1]).toBe(`e${EMITTED_MAX + 2}`);
		expect(state.missing).toEqual({ r9: 2 });
	});
});

describe('readState / writeState', () => {
	const state = compactState({
		...empty,
		scope: 'campaignFinished|http://x|ws',
		seen: { a: T0 },
		running: { b: T0 - 1 },
	}).state;

	it('round-trips through JSON', () => {
		const staticData: IDataObject = {};
		writeState(staticData, state);
		const restored = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		expect(readState(restored, state.scope)).toEqual(state);
	});

	it('ignores a state of another scope, version or shape', () => {
		const staticData: IDataObject = {};
		writeState(staticData, state);
		expect(readState(staticData, 'exportReady|http://x|ws')).toBeUndefined();
		expect(
			readState({ [STATE_KEY]: { ...state, version: STATE_VERSION + 1 } }, state.scope),
		).toBeUndefined();
		expect(readState({ [STATE_KEY]: { ...state, seen: { a: 'x' } } }, state.scope)).toBeUndefined();
		expect(readState({ [STATE_KEY]: { ...state, floor: null } }, state.scope)).toBeUndefined();
		expect(readState({}, state.scope)).toBeUndefined();
	});

	it('reads a state stored before failures/undated existed', () => {
		const { failures: _f, undated: _u, ...older } = state;
		expect(readState({ [STATE_KEY]: JSON.parse(JSON.stringify(older)) }, state.scope)).toEqual({
			...state,
			failures: {},
			undated: [],
		});
	});

	it('does not share objects with the stored state', () => {
		const staticData: IDataObject = {};
		writeState(staticData, state);
		const read = readState(staticData, state.scope)!;
		read.running.c = 1;
		expect(readState(staticData, state.scope)!.running.c).toBeUndefined();
	});
});
