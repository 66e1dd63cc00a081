import type { IDataObject } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import type { PaginationStyle, RouteScope } from '../transport';

/**
 * What the Scravio API is made of, one entry per object, from the reference's endpoint cards:
 * where it lives, how an answer wraps it, which workspace rules apply, how its list pages, which
 * statuses it moves through, what limits its routes have and what its ids look like. The action
 * node's operations, Wait for Completion, the list searches and the trigger all read it; none
 * of them writes a route, an envelope or a status list of its own.
 *
 * A new route: add (or extend) its entry here, then write one operation file that names it.
 */

/** The statuses of an asynchronous object, in one shape: still moving, ended well, ended badly. */
export interface StatusSet {
	/** Every status, in the reference's order (running, then succeeded, then failed). */
	all: readonly string[];
	/** Statuses the object can still leave. */
	running: readonly string[];
	/** Final statuses that mean the work is done. */
	succeeded: readonly string[];
	/** Final statuses that mean it is not (failed, stopped, cancelled). */
	failed: readonly string[];
	/** Every final status: succeeded, then failed. */
	terminal: readonly string[];
	/** The field that says when the object reached its final status (null for some failures). */
	finishedAt?: string;
}

function statusSet(
	running: readonly string[],
	succeeded: readonly string[],
	failed: readonly string[],
): StatusSet;
function statusSet(
	running: readonly string[],
	succeeded: readonly string[],
	failed: readonly string[],
	finishedAt: string,
): StatusSet & { finishedAt: string };
function statusSet(
	running: readonly string[],
	succeeded: readonly string[],
	failed: readonly string[],
	finishedAt?: string,
): StatusSet {
	return {
		all: [...running, ...succeeded, ...failed],
		running,
		succeeded,
		failed,
		terminal: [...succeeded, ...failed],
		finishedAt,
	};
}

/** What an id looks like, for the resource locator: placeholder and, where the app has one, its URL form. */
export interface LocatorShape {
	idPlaceholder: string;
	/** Regex whose first group is the id, for the "By URL" mode. */
	urlRegex?: string;
	urlPlaceholder?: string;
}

export interface ApiObject {
	/** For messages: "campaign", "export", "validation job". */
	label: string;
	/**
	 * `list`: the list route (also where a new one is POSTed); `{id}` is the parent's id where the
	 * list lives below one (leads of a campaign). `detail`: the detail route, with `{id}`.
	 */
	routes: { list?: string; detail?: string };
	/** Field holding the object's id in list and detail views. */
	idField: string;
	/** The key a detail (or create) answer wraps the object in; the body itself when the key is missing. */
	envelope?: 'campaign' | 'data';
	/** Whether X-Workspace-Id is sent (see RouteScope). */
	scope: RouteScope;
	/** How its list route pages. */
	pagination?: PaginationStyle;
	statuses?: StatusSet;
	/** Documented rate limits of its routes ("POST /campaigns/{id}/stop" → what is allowed). */
	rateLimits?: Record<string, string>;
	locator?: LocatorShape;
}

/**
 * `perPage` pagination (campaigns, leads, exports, ledger): `page`/`perPage` in,
 * `pagination.{totalPages,perPage,totalCount}` out, next to the list; `under` is the envelope
 * both sit in (`data.` for exports).
 */
function perPagePagination(itemsKey: string, idField: string, under = ''): PaginationStyle {
	return {
		sizeParam: 'perPage',
		itemsPath: `${under}${itemsKey}`,
		totalPagesPath: `${under}pagination.totalPages`,
		perPagePath: `${under}pagination.perPage`,
		totalCountPath: `${under}pagination.totalCount`,
		idField,
	};
}

export const CATALOGUE = {
	account: {
		label: 'account',
		routes: { detail: '/auth/me' },
		idField: 'id',
		scope: 'workspace',
	},
	campaign: {
		label: 'campaign',
		routes: { list: '/campaigns', detail: '/campaigns/{id}' },
		idField: 'id',
		envelope: 'campaign',
		scope: 'workspace',
		pagination: perPagePagination('items', 'id'),
		/** Campaign statuses from the reference: pending, scraping, scraping_completed, processing_emails, fully_completed, failed, stopped. */
		statuses: statusSet(
			['pending', 'scraping', 'scraping_completed', 'processing_emails'],
			['fully_completed'],
			['failed', 'stopped'],
			'finishedAt',
		),
		rateLimits: {
			'POST /campaigns/{id}/stop': '5 requests per minute per campaign',
			'POST /campaigns/{id}/validate': '3 requests per minute per campaign',
		},
		locator: {
			idPlaceholder: 'e.g. cmp_8f2k3',
			urlRegex: 'scravio\\.com/(?:[^/]+/)*campaigns/([A-Za-z0-9_-]+)',
			urlPlaceholder: 'e.g. https://app.scravio.com/campaigns/cmp_8f2k3',
		},
	},
	/**
	 * The validation of a campaign's e-mails (POST /campaigns/{id}/validate), followed through the
	 * campaign's `postValidation` summary: queued, processing, completed. The reference does not
	 * list failure values; "failed" and "cancelled" are the ones validation jobs use, so they end it too.
	 * It is read through the campaign's detail route.
	 */
	campaignValidation: {
		label: 'campaign validation',
		routes: {},
		idField: 'jobId',
		scope: 'workspace',
		statuses: statusSet(['queued', 'processing'], ['completed'], ['failed', 'cancelled']),
	},
	exportSchema: {
		label: 'export schema',
		routes: { list: '/campaigns/export-schemas' },
		idField: 'key',
		envelope: 'data',
		scope: 'workspace',
	},
	lead: {
		label: 'lead',
		routes: { list: '/campaigns/{id}/leads' },
		idField: 'id',
		scope: 'workspace',
		pagination: perPagePagination('items', 'id'),
		/** A lead's `validationStatus`. */
		statuses: statusSet(['pending'], ['valid'], ['invalid']),
	},
	export: {
		label: 'export',
		routes: { list: '/list-exports', detail: '/list-exports/{id}' },
		idField: 'exportId',
		envelope: 'data',
		scope: 'workspace',
		pagination: perPagePagination('exports', 'exportId', 'data.'),
		/** Export statuses: pending, processing, completed, failed. */
		statuses: statusSet(['pending', 'processing'], ['completed'], ['failed'], 'completedAt'),
		rateLimits: { 'POST /list-exports': '5 requests per hour' },
		locator: { idPlaceholder: 'e.g. exp_19ab2' },
	},
	validationJob: {
		label: 'validation job',
		routes: { list: '/validation-jobs', detail: '/validation-jobs/{id}' },
		idField: 'jobId',
		envelope: 'data',
		scope: 'accountKeyOnly',
		/** `page`/`limit` in, `pages`/`total` out (the size used is not reported). */
		pagination: {
			sizeParam: 'limit',
			itemsPath: 'data.jobs',
			totalPagesPath: 'data.pages',
			totalCountPath: 'data.total',
			idField: 'jobId',
		},
		/** Validation job statuses: pending, queued, processing, completed, failed, cancelled. */
		statuses: statusSet(
			['pending', 'queued', 'processing'],
			['completed'],
			['failed', 'cancelled'],
			'completedAt',
		),
		rateLimits: { 'POST /validation-jobs/text': '3 requests per hour' },
		locator: { idPlaceholder: 'e.g. vj_71cd0' },
	},
	creditTransaction: {
		label: 'credit transaction',
		routes: { list: '/credit-transactions' },
		idField: 'id',
		scope: 'account',
		pagination: perPagePagination('transactions', 'id'),
	},
} as const satisfies Record<string, ApiObject>;

export type ApiObjectName = keyof typeof CATALOGUE;

/** An object with a list route and its pagination. */
export type ListedObject = ApiObject & { routes: { list: string }; pagination: PaginationStyle };
/** An object with a detail route. */
export type DetailedObject = ApiObject & { routes: { detail: string } };
/** An object that moves through statuses. */
export type TrackedObject = ApiObject & Required<Pick<ApiObject, 'statuses'>>;

/** Picks the object out of an answer wrapped in `key` (`data`, `campaign`); the body itself without it. */
export function unwrap(body: IDataObject, key: string | undefined): IDataObject {
	return (key === undefined ? body : (body[key] ?? body)) as IDataObject;
}

/** Most answers wrap their object in `data`. */
export const unwrapData = (body: IDataObject) => unwrap(body, 'data');

/** The object of a detail answer, unwrapped the way its entry says. */
export function unwrapObject(object: ApiObject, body: IDataObject): IDataObject {
	return unwrap(body, object.envelope);
}

/** The object's detail route for one id, e.g. `/campaigns/cmp_1`. */
export function detailPath(object: DetailedObject, id: string): string {
	return object.routes.detail.replace('{id}', segment(id));
}

/** Path and scope of the object's detail route for one id: a GET of it is `{ method: 'GET', ...detailRoute(object, id) }`. */
export function detailRoute(
	object: DetailedObject,
	id: string,
): { path: string; scope: RouteScope } {
	return { path: detailPath(object, id), scope: object.scope };
}

/** The object's list route; `parentId` fills a route below another object (leads of a campaign). */
export function listPath(object: ListedObject, parentId?: string): string {
	return parentId === undefined
		? object.routes.list
		: object.routes.list.replace('{id}', segment(parentId));
}

/** "." and ".." (also percent-encoded) are dot segments: a URL parser removes them with the segment before. */
export function isSafeSegment(id: string): boolean {
	return !/^(\.|%2e){1,2}$/i.test(id) && !/[/\\]/.test(id);
}

/**
 * Path segments are ids: encoded, so that an id can never change the route. A dot segment would
 * still be resolved away by the URL parser (`/campaigns/../validate` is `/validate`), so it is
 * refused, whoever supplied it (the user through locatorId, or an API answer).
 */
export function segment(id: string): string {
	if (!isSafeSegment(id))
		throw new UserError(`"${id}" is not a valid ID: it would change the API route`);
	return encodeURIComponent(id);
}
