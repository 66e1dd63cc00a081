/**
 * Timing, memory and statistics for the benchmarks.
 *
 * Memory: before a measured run the heap is collected (twice) and a baseline taken; during the
 * run a 5 ms timer samples process.memoryUsage(); one more sample is taken when the run returns,
 * while its result is still referenced. Reported:
 *  - heap delta: peak of (heapUsed + external + arrayBuffers) minus the baseline, i.e. the JS
 *    objects AND the Buffers the run held at its worst moment. Comparable between variants that
 *    run in the same process.
 *  - RSS delta: peak resident set size minus the baseline. V8 keeps pages it once grew into, so in
 *    a process that already ran a bigger variant the RSS delta reads low; it is reported for
 *    completeness. Downloads run each measurement in a fresh child process, where RSS is exact.
 * The sampler only runs between the measured code's awaits; the final sample makes sure the held
 * result is counted even if no tick fell at the very peak.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let gcFn: (() => void) | undefined;

/** A full garbage collection (V8's gc, exposed at run time without --expose-gc). */
export function collectGarbage(): void {
	if (!gcFn) {
		v8.setFlagsFromString('--expose-gc');
		gcFn = vm.runInNewContext('gc') as () => void;
	}
	gcFn();
	gcFn();
}

export interface MemorySnapshot {
	rss: number;
	heap: number;
}

function snapshot(): MemorySnapshot {
	const m = process.memoryUsage();
	return { rss: m.rss, heap: m.heapUsed + m.external + m.arrayBuffers };
}

export interface Measured<T> {
	result: T;
	ms: number;
	/** Peak of heapUsed + external + arrayBuffers above the post-GC baseline, bytes. */
	heapDelta: number;
	/** Peak RSS above the post-GC baseline, bytes. */
	rssDelta: number;
	baseline: MemorySnapshot;
	peak: MemorySnapshot;
}

export async function measure<T>(
	run: () => Promise<T>,
	{ sampleMs = 5 } = {},
): Promise<Measured<T>> {
	collectGarbage();
	const baseline = snapshot();
	const peak = { ...baseline };
	const sample = () => {
		const now = snapshot();
		if (now.rss > peak.rss) peak.rss = now.rss;
		if (now.heap > peak.heap) peak.heap = now.heap;
	};
	const timer = setInterval(sample, sampleMs);
	const started = process.hrtime.bigint();
	let result: T;
	try {
		result = await run();
	} finally {
		clearInterval(timer);
	}
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	sample();
	return {
		result,
		ms,
		heapDelta: peak.heap - baseline.heap,
		rssDelta: peak.rss - baseline.rss,
		baseline,
		peak,
	};
}

export interface Summary {
	n: number;
	median: number;
	min: number;
	max: number;
}

export function summarize(values: number[]): Summary {
	const sorted = [...values].sort((a, b) => a - b);
	const n = sorted.length;
	if (n === 0) return { n: 0, median: NaN, min: NaN, max: NaN };
	const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	return { n, median, min: sorted[0], max: sorted[n - 1] };
}

export const MB = 1024 * 1024;

export function fmt(value: number, digits = 0): string {
	if (!Number.isFinite(value)) return 'n/a';
	return value.toLocaleString('en-US', {
		minimumFractionDigits: digits,
		maximumFractionDigits: digits,
	});
}

/** "1,234 (1,200–1,300)" */
export function fmtSummary(s: Summary, digits = 0, scale = 1): string {
	if (s.n === 0) return 'n/a';
	if (s.n === 1 || s.min === s.max) return fmt(s.median / scale, digits);
	return `${fmt(s.median / scale, digits)} (${fmt(s.min / scale, digits)}–${fmt(s.max / scale, digits)})`;
}
