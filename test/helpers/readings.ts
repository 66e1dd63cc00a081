/**
 * The sandbox's readings of the reference's silences (sandbox/simulation/config.ts `Readings`), as test
 * tables: tests that depend on a reading run under each of its values with `describe.each`, so
 * that `npx jest` covers them all and a node that leans on one reading fails.
 */
import { DEFAULT_READINGS, READING_VALUES, type Readings } from '../../sandbox';

export { DEFAULT_READINGS, READING_VALUES, type Readings };

export interface PageSizeReading {
	pageSizeCap: Readings['pageSizeCap'];
	overPageSizeCap: Readings['overPageSizeCap'];
}

/** Every page-size reading: no cap, or 25/50/100 clamped or refused. */
export const PAGE_SIZE_READINGS: PageSizeReading[] = READING_VALUES.pageSizeCap.flatMap(
	(pageSizeCap): PageSizeReading[] =>
		pageSizeCap === null
			? [{ pageSizeCap, overPageSizeCap: 'clamp' as const }]
			: READING_VALUES.overPageSizeCap.map((overPageSizeCap) => ({ pageSizeCap, overPageSizeCap })),
);

export const describeReading = (reading: Partial<Readings>) =>
	Object.entries(reading)
		.map(([key, value]) => `${key}=${value === null ? 'none' : value}`)
		.join(', ');

/** The page size a sandbox under `reading` serves when `asked` is asked. */
export function servedPageSize(reading: PageSizeReading, asked: number): number {
	return reading.pageSizeCap === null ? asked : Math.min(asked, reading.pageSizeCap);
}

/** Whether the sandbox under `reading` answers 400 to `asked`. */
export function refusesPageSize(reading: PageSizeReading, asked: number): boolean {
	return (
		reading.pageSizeCap !== null &&
		reading.overPageSizeCap === 'refuse' &&
		asked > reading.pageSizeCap
	);
}
