/**
 * Deterministic pseudo-randomness. Synthetic data is a pure function of (seed, name, index) so
 * a lead can be generated on demand, in any order, without storing it.
 */

/** 32-bit FNV-1a of a string. */
export function hashString(text: string, seed = 0x811c9dc5): number {
	let hash = seed >>> 0;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

/** Murmur3 finaliser: spreads bits of an integer. */
export function mix32(value: number): number {
	let h = value >>> 0;
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** Uniform number in [0, 1) from a base hash, an index and a salt (field name number). */
export function unit(base: number, index: number, salt: number): number {
	return mix32(base ^ mix32(index + 0x9e3779b9 * (salt + 1))) / 4294967296;
}

/** Integer in [0, n) */
export function pickIndex(base: number, index: number, salt: number, n: number): number {
	return Math.floor(unit(base, index, salt) * n);
}

export function pick<T>(base: number, index: number, salt: number, items: readonly T[]): T {
	return items[pickIndex(base, index, salt, items.length)];
}

/** Small seeded generator for sequences (random faults). */
export function sequence(seed: number): () => number {
	let state = mix32(seed ^ 0xa5a5a5a5) || 1;
	return () => {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		return (state >>> 0) / 4294967296;
	};
}

/** Deterministic id like `cmp_5f2c9a1b03d4e6f7`. */
export function makeId(prefix: string, seed: number, kind: string, counter: number): string {
	const a = mix32(hashString(`${kind}:${counter}`, seed >>> 0));
	const b = mix32(a ^ counter ^ 0x5bd1e995);
	return `${prefix}_${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}
