import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { RequestSettings, ScravioContext, ScravioRequest } from './request';
import { getCredentialSettings, scravioApiRequestFull, unexpectedAnswer } from './request';

/**
 * The page size we ask for: a ceiling, not a promise. The reference gives a default (10) and no
 * maximum, so a server may cap pages lower (the answer reports the size it used) or refuse the
 * size with a 400; pagination follows what the API reports either way.
 */
export const MAX_PAGE_SIZE = 100;

/**
 * The two pagination styles of the API (each object's own is in nodes/api/catalogue.ts).
 * - `perPage`: `page`/`perPage` in, `pagination.{totalPages,perPage,totalCount}` out (campaigns,
 *   leads, exports, ledger).
 * - `limit`: `page`/`limit` in, `pages`/`total` out (validation jobs; the size used is not reported).
 */
export interface PaginationStyle {
	sizeParam: 'perPage' | 'limit';
	/** Dotted path of the array in the body: `items`, `transactions`, `data.exports`, `data.jobs`. */
	itemsPath: string;
	/** Dotted path of the total page count. */
	totalPagesPath: string;
	/** Dotted path of the page size the API used, where the route reports it. */
	perPagePath?: string;
	/** Dotted path of the total record count. */
	totalCountPath: string;
	/** Field that identifies a record: Return All drops a record it has already seen. */
	idField: string;
}

function pick(body: unknown, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], body);
}

function positiveInteger(value: unknown): number | undefined {
	const number = Number(value);
	return value !== null && value !== '' && Number.isInteger(number) && number >= 0
		? number
		: undefined;
}

export interface PageResult {
	items: IDataObject[];
	/** Total pages as the API reported them on this page; 0 when it reported none. */
	totalPages: number;
	/** Total records as the API reported them on this page, when it did. */
	totalCount?: number;
	/**
	 * The page size this page was served with: what the API reports (`perPage`), else the size
	 * of a full page that is not the last one, else the size asked for. Later pages must be
	 * asked with this size so that page numbers keep meaning the same records.
	 */
	pageSize: number;
	/** The API server's clock when it answered (its `Date` header, epoch ms), if it sent one. */
	serverTime?: number;
}

/** Sizes tried, in order, when the API refuses a page size without saying which one it takes. */
const FALLBACK_PAGE_SIZES = [50, 25, 10, 5, 1];

/**
 * When a page request was refused because of its size (a 400 whose field errors or message name
 * the size parameter), the next size to try: the largest number the API's message allows, else
 * the next step down. Undefined when the error is about something else, or nothing smaller is left.
 */
export function smallerPageSize(
	error: unknown,
	sizeParam: string,
	asked: number,
): number | undefined {
	const apiError = error as {
		httpCode?: string | null;
		errorResponse?: JsonObject;
		message?: string;
	};
	if (String(apiError?.httpCode ?? '') !== '400') return undefined;
	const body = (apiError.errorResponse ?? {}) as IDataObject;
	const fields = Array.isArray(body.errors) ? (body.errors as IDataObject[]) : [];
	const named = fields.filter(
		(field) => String(field.param ?? '').toLowerCase() === sizeParam.toLowerCase(),
	);
	const texts = named.length > 0 ? named.map((field) => String(field.msg ?? '')) : [];
	if (named.length === 0) {
		const message = String(body.message ?? apiError.message ?? '');
		if (fields.length > 0 || !new RegExp(`\\b${sizeParam}\\b`, 'i').test(message)) return undefined;
		texts.push(message);
	}
	const hinted = texts
		.flatMap((text) => [...text.matchAll(/\d+/g)].map((match) => Number(match[0])))
		.filter((n) => n >= 1 && n < asked);
	if (hinted.length > 0) return Math.max(...hinted);
	return FALLBACK_PAGE_SIZES.find((size) => size < asked);
}

/**
 * Fetches one page of a list route. A page size the API refuses (400 naming the size) is asked
 * again, smaller; `pageSize` of the result says which size served the page.
 */
export async function fetchPage(
	this: ScravioContext,
	request: ScravioRequest,
	style: PaginationStyle,
	page: number,
	pageSize: number,
	settings: RequestSettings = {},
): Promise<PageResult> {
	let asked = pageSize;
	let body: unknown;
	let serverTime: number | undefined;
	for (;;) {
		try {
			({ body, serverTime } = await scravioApiRequestFull.call(
				this,
				{ ...request, qs: { ...request.qs, page, [style.sizeParam]: asked } },
				settings,
			));
			break;
		} catch (error) {
			const smaller = smallerPageSize(error, style.sizeParam, asked);
			// The transport's errors are NodeApiErrors already: wrapping one hands it back unchanged.
			if (smaller === undefined) throw new NodeApiError(this.getNode(), error as JsonObject);
			asked = smaller;
		}
	}
	const rawItems = pick(body, style.itemsPath);
	// A 2xx without the list is a broken answer, not an empty page.
	if (!Array.isArray(rawItems))
		throw unexpectedAnswer(this, request, 200, `a list in ${style.itemsPath}`, settings);
	const items = rawItems as IDataObject[];
	const totalPages = positiveInteger(pick(body, style.totalPagesPath)) ?? 0;
	const reported = style.perPagePath ? positiveInteger(pick(body, style.perPagePath)) : undefined;
	let served = asked;
	if (reported !== undefined && reported > 0) served = reported;
	else if (items.length > 0 && items.length < asked && page < totalPages) served = items.length; // a page before the last is full
	return {
		items,
		totalPages,
		totalCount: positiveInteger(pick(body, style.totalCountPath)),
		pageSize: served,
		serverTime,
	};
}

/**
 * Drops records seen twice during one walk. Offset pages of a list that does not change cannot
 * overlap, and hashing every id of a 100,000-record Return All costs more than the walk's own
 * work (bench/), so ids are put in a set only once the walk shows that the list moved: a page
 * reports other totals than the first (rows inserted or deleted), or a page starts with a record of
 * the page before it (rows shifted down). From then on every record is checked against all the
 * records returned so far.
 */
class Deduper {
	private seen: Set<unknown> | undefined;
	private previous: IDataObject[] = [];

	constructor(
		private readonly idField: string,
		private readonly first: PageResult,
	) {}

	private idOf(item: IDataObject): unknown {
		const id = item?.[this.idField];
		return id === undefined || id === null ? undefined : id;
	}

	private moved(page: PageResult): boolean {
		if (page.totalPages !== this.first.totalPages || page.totalCount !== this.first.totalCount)
			return true;
		const head = page.items.length > 0 ? this.idOf(page.items[0]) : undefined;
		if (head === undefined) return false;
		for (const item of this.previous) if (this.idOf(item) === head) return true;
		return false;
	}

	/** The records of `page` not returned yet; `results` are those returned so far (deduplicated in place once). */
	check(page: PageResult, results: IDataObject[]): IDataObject[] {
		if (this.seen === undefined && page !== this.first && this.moved(page)) {
			this.seen = new Set();
			let kept = 0;
			for (const item of results) {
				const id = this.idOf(item);
				if (id !== undefined) {
					if (this.seen.has(id)) continue;
					this.seen.add(id);
				}
				results[kept++] = item;
			}
			results.length = kept;
		}
		this.previous = page.items;
		const seen = this.seen;
		if (seen === undefined) return page.items;
		return page.items.filter((item) => {
			const id = this.idOf(item);
			if (id === undefined) return true;
			if (seen.has(id)) return false;
			seen.add(id);
			return true;
		});
	}
}

/**
 * Pages in flight at once when the caller passes no `concurrency`. Return All walks every page
 * anyway, so it keeps a few requests in flight (bench/ measures it against a plain fetch loop);
 * with a Limit it goes page by page so that it never asks for pages it does not need. Output
 * order is the page order either way.
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
 * Walks a list route page by page with its own pagination style, as far as the API's reported
 * page count goes (it is re-read from every page, so rows added during the walk extend it), not
 * by the length of a page. The first page fixes the page size (see fetchPage); a record seen
 * twice (rows inserted above shift records to the next page) is returned once (Deduper). With `limit` it
 * asks for no bigger pages than needed and stops as soon as it has enough.
 */
export async function scravioApiPaginate(
	this: ScravioContext,
	request: ScravioRequest,
	style: PaginationStyle,
	options: PaginateOptions = {},
	settings: RequestSettings = {},
): Promise<IDataObject[]> {
	const { limit } = options;
	// One credential read for the whole walk instead of one per page.
	settings = {
		...settings,
		credential: settings.credential ?? (await getCredentialSettings.call(this)),
	};
	const ceiling = limit === undefined ? MAX_PAGE_SIZE : Math.max(1, Math.min(MAX_PAGE_SIZE, limit));
	const first = await fetchPage.call(this, request, style, 1, ceiling, settings);
	const pageSize = first.pageSize;
	const dedupe = new Deduper(style.idField, first);
	const results: IDataObject[] = [];
	const add = (page: PageResult) => {
		const items = dedupe.check(page, results);
		for (const item of items) results.push(item);
	};
	add(first);
	const enough = () => limit !== undefined && results.length >= limit;

	let totalPages = first.totalPages;
	if (totalPages > 0) {
		const fallback =
			limit === undefined
				? PAGINATION_DEFAULTS.returnAllConcurrency
				: PAGINATION_DEFAULTS.limitConcurrency;
		const concurrency = Math.max(1, Math.floor(options.concurrency ?? fallback));
		// A sliding window: up to `concurrency` pages in flight, consumed strictly in page order.
		const inFlight = new Map<number, Promise<PageResult>>();
		let nextPage = 2;
		for (let page = 2; page <= totalPages && !enough(); page++) {
			while (inFlight.size < concurrency && nextPage <= totalPages) {
				const pending = fetchPage.call(this, request, style, nextPage, pageSize, settings);
				pending.catch(() => undefined); // awaited below; a page left behind must not be unhandled
				inFlight.set(nextPage++, pending);
			}
			const result = await inFlight.get(page)!;
			inFlight.delete(page);
			add(result);
			// Rows added during the walk push records onto pages past the first count.
			if (result.totalPages > totalPages) totalPages = result.totalPages;
		}
	} else {
		// No page count reported: go on while pages come back full at the size the API uses.
		let last = first;
		for (
			let page = 2;
			last.items.length >= pageSize && last.items.length > 0 && !enough();
			page++
		) {
			last = await fetchPage.call(this, request, style, page, pageSize, settings);
			add(last);
		}
	}
	return limit === undefined ? results : results.slice(0, limit);
}
