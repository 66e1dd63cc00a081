/** Ids of new objects: one counter per kind, mixed with the seed (same seed, same ids). */
import { makeId } from './random';

export class IdSource {
	private readonly counters = new Map<string, number>();

	constructor(private readonly seed: number) {}

	next(prefix: string, kind: string): string {
		const n = (this.counters.get(kind) ?? 0) + 1;
		this.counters.set(kind, n);
		return makeId(prefix, this.seed, kind, n);
	}
}
