import type { IDataObject } from 'n8n-workflow';

import type { RequestSettings, ScravioContext, ScravioRequest } from './request';
import { scravioApiRequestFull } from './request';

/** The API's page size cap (the sandbox applies the same cap). */
export const MAX_PAGE_SIZE = 100;

/**
 * The two pagination styles of the API.
 * - `perPage`: `page`/`perPage` in, `pagination.totalPages` out (campaigns, leads, exports, ledger).
 * - `limit`: `page`/`limit` in, `pages` out (validation jobs).
 */
export interface PaginationStyle {
	sizeParam: 'perPage' | 'limit';
	/** Dotted path of the array in the body: `items`, `transactions`, `data.exports`, `data.jobs`. */
	itemsPath: string;
	/** Dotted path of the total page count. */
	totalPagesPath: string;
}

export const PAGINATION = {
	campaigns: { sizeParam: 'perPage', itemsPath: 'items', totalPagesPath: 'pagination.totalPages' },
	leads: { sizeParam: 'perPage', itemsPath: 'items', totalPagesPath: 'pagination.totalPages' },
	exports: { sizeParam: 'perPage', itemsPath: 'data.exports', totalPagesPath: 'data.pagination.totalPages' },
	validationJobs: { sizeParam: 'limit', itemsPath: 'data.jobs', totalPagesPath: 'data.pages' },
	creditTransactions: { sizeParam: 'perPage', itemsPath: 'transactions', totalPagesPath: 'pagination.totalPages' },
} as const satisfies Record<string, PaginationStyle>;

function pick(body: unknown, path: string): unknown {
	return path.split('.').reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], body);
}

export interface PageResult {
	items: IDataObject[];
	totalPages: number;
	/** The API server's clock when it answered (its `Date` header, epoch ms), if it sent one. */
	serverTime?: number;
}

/** Fetches one page of a list route. */
export async function fetchPage(
	this: ScravioContext,
	request: ScravioRequest,
	style: PaginationStyle,
	page: number,
	pageSize: number,
	settings: RequestSettings = {},
): Promise<PageResult> {
	const { body, serverTime } = await scravioApiRequestFull.call(
		this,
		{ ...request, qs: { ...request.qs, page, [style.sizeParam]: pageSize } },
		settings,
	);
	const items = pick(body, style.itemsPath);
	const totalPages = Number(pick(body, style.totalPagesPath));
	return {
		items: Array.isArray(items) ? (items as IDataObject[]) : [],
		totalPages: Number.isFinite(totalPages) ? totalPages : 0,
		serverTime,
	};
}

/**
 * Pages in flight at once when the caller passes no `concurrency`. Return All walks every page
 * anyway, so it keeps a few requests in flight (the benchmark in bench/ measured 4 pages at once
 * as fast as a plain fetch loop, sequential about a third slower); with a Limit it goes page by
 * page so that it never asks for pages it does not need. Output order is the page order either way.
 */
export const PAGINATION_DEFAULTS = { returnAllConcurrency: 4, limitConcurrency: 1 };

export interface PaginateOptions {
	/** Stop after this many items; undefined walks every page (Return All). */
	limit?: number;
	/**
	 * Pages fetched at once after the first. Output order stays the page order whatever
	 * the value. 1 is sequential.
	 */
	concurrency?: number;
}

/**
 * Walks a list route page by page with its own pagination style. With `limit` it asks
 * for no bigger pages than needed and stops as soon as it has enough.
 */
export async function scravioApiPaginate(
	this: ScravioContext,
	request: ScravioRequest,
	style: PaginationStyle,
	options: PaginateOptions = {},
	settings: RequestSettings = {},
): Promise<IDataObject[]> {
	const { limit } = options;
	const pageSize = limit === undefined ? MAX_PAGE_SIZE : Math.max(1, Math.min(MAX_PAGE_SIZE, limit));
	const first = await fetchPage.call(this, request, style, 1, pageSize, settings);
	const results: IDataObject[] = [...first.items];
	const enough = () => limit !== undefined && results.length >= limit;

	// A short first page means there is nothing more, whatever the totals say.
	if (first.items.length >= pageSize && !enough()) {
		const fallback = limit === undefined ? PAGINATION_DEFAULTS.returnAllConcurrency : PAGINATION_DEFAULTS.limitConcurrency;
		const concurrency = Math.max(1, Math.floor(options.concurrency ?? fallback));
		// A sliding window: up to `concurrency` pages in flight, consumed strictly in page order.
		const inFlight = new Map<number, Promise<PageResult>>();
		let nextPage = 2;
		for (let page = 2; page <= first.totalPages && !enough(); page++) {
			while (inFlight.size < concurrency && nextPage <= first.totalPages) {
				const pending = fetchPage.call(this, request, style, nextPage, pageSize, settings);
				pending.catch(() => undefined); // awaited below; a page left behind must not be unhandled
				inFlight.set(nextPage++, pending);
			}
			const result = await inFlight.get(page)!;
			inFlight.delete(page);
			for (const item of result.items) results.push(item);
			if (result.items.length < pageSize) break;
		}
	}
	return limit === undefined ? results : results.slice(0, limit);
}
