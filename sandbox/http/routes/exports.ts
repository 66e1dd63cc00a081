/**
 * List exports and the download flow:
 *   POST/GET /list-exports, GET /list-exports/{id}, GET /list-exports/{id}/download (opaque URL),
 *   GET /list-exports/download/{downloadId} (public; 302 to a signed storage URL, 304, 404 expired).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ContractRoute } from '../contract';
import type { SandboxContext } from '../context';
import { badField, conflict, notFound } from '../errors';
import { buildCsv, buildXlsx, contentTypeFor } from '../../model/exportFiles';
import {
	exportCompletesAt,
	exportMatchKey,
	exportView,
	parseRangeBound,
	selectExportRows,
	slugify,
	toApiExport,
	type ExportOptions,
	type ExportRecord,
} from '../../model/exportModel';
import { snapshotKey } from '../../model/leads';
import { hashString } from '../../model/random';
import { DOWNLOAD_LINK_TTL_MS } from '../../model/exportStore';
import { findCampaign } from './campaigns';
import {
	caller,
	compare,
	defineRoute,
	enforceRateLimit,
	pagination,
	paging,
	workspaceOf,
	wrapped,
	masksEmails,
} from './util';

interface CreateExportBody {
	campaignId: string;
	fileFormat?: 'csv' | 'xlsx';
	emailOnly?: boolean;
	onlyValidEmails?: boolean;
	includeAIVerified?: boolean;
	dedupeByEmail?: boolean;
	dateRange?: { from?: string; to?: string };
	webhookUrl?: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function checkWebhookUrl(url: string, allowInsecure: boolean): void {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw badField('webhookUrl', 'webhookUrl must be an absolute HTTPS URL');
	}
	if (parsed.protocol === 'https:') return;
	if (allowInsecure && parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return;
	throw badField('webhookUrl', 'webhookUrl must use HTTPS');
}

function etagOf(e: ExportRecord): string {
	return `"${hashString(`${e.id}|${e.options.fileFormat}|${e.rows.length}|${e.rows[0] ?? -1}|${e.rows[e.rows.length - 1] ?? -1}`).toString(16)}"`;
}

export function registerExportRoutes(
	app: FastifyInstance,
	ctx: SandboxContext,
	routes: Map<string, ContractRoute>,
): void {
	const findExport = (request: FastifyRequest, id: string): ExportRecord => {
		const e = ctx.state.exports.get(id);
		if (!e || e.workspaceId !== workspaceOf(request).id) throw notFound('Export');
		return e;
	};

	const storageKey = (e: ExportRecord) => `exports/${e.id}.${e.options.fileFormat}`;

	defineRoute(app, routes, 'createListExport', async (request, reply) => {
		const body = request.body as CreateExportBody;
		const { account } = caller(request);
		const ws = workspaceOf(request);
		const options: ExportOptions = {
			fileFormat: body.fileFormat ?? 'csv',
			emailOnly: body.emailOnly ?? false,
			onlyValidEmails: body.onlyValidEmails ?? false,
			includeAIVerified: body.includeAIVerified ?? false,
			dedupeByEmail: body.dedupeByEmail ?? true,
			dateRange:
				body.dateRange && (body.dateRange.from || body.dateRange.to) ? { ...body.dateRange } : null,
		};
		if (body.webhookUrl !== undefined)
			checkWebhookUrl(body.webhookUrl, ctx.config.allowInsecureWebhooks);
		for (const bound of ['from', 'to'] as const) {
			if (Number.isNaN(parseRangeBound(options.dateRange?.[bound], bound === 'to'))) {
				throw badField(
					`dateRange.${bound}`,
					`dateRange.${bound} must be an ISO 8601 date or date-time`,
				);
			}
		}
		const c = findCampaign(ctx, request, body.campaignId);
		enforceRateLimit(ctx, routes, request, account.id);

		const now = ctx.clock.now();
		const view = ctx.state.campaigns.view(c, now, masksEmails(ctx, account));
		const matchKey = exportMatchKey(c.id, options, snapshotKey(view.snapshot));
		const existing = [...ctx.state.exports.values()].find(
			(e) =>
				e.workspaceId === ws.id &&
				e.matchKey === matchKey &&
				exportView(e, now).status !== 'failed',
		);
		if (existing) {
			reply.code(200);
			return wrapped(request, toApiExport(existing, now));
		}
		const leads = ctx.state.campaigns.leadSetFor(c);
		const id = ctx.state.ids.next('exp', 'export');
		const e: ExportRecord = {
			id,
			accountId: account.id,
			workspaceId: ws.id,
			campaignId: c.id,
			options,
			matchKey,
			createdAt: now,
			snapshot: view.snapshot,
			rows: selectExportRows(leads, view.snapshot, options),
			webhookUrl: body.webhookUrl ?? null,
			webhookDone: false,
			filename: `${slugify(c.title)}-${id}.${options.fileFormat}`,
		};
		ctx.state.exportStore.add(e);
		ctx.files.register(storageKey(e), async () => ({
			body: e.options.fileFormat === 'csv' ? buildCsv(e, leads) : await buildXlsx(e, leads),
			contentType: contentTypeFor(e.options.fileFormat),
			filename: e.filename,
			etag: etagOf(e),
			lastModified: exportCompletesAt(e),
		}));
		reply.code(201);
		return wrapped(request, toApiExport(e, now));
	});

	defineRoute(app, routes, 'listListExports', async (request) => {
		const query = request.query as Record<string, unknown>;
		const ws = workspaceOf(request);
		const now = ctx.clock.now();
		const { page, size, offset } = paging(ctx, query);
		const desc = (query.order ?? 'desc') === 'desc';
		const sortBy = (query.sortBy as string) ?? 'createdAt';
		const rows = [...ctx.state.exports.values()]
			.filter((e) => e.workspaceId === ws.id)
			.map((e, index) => ({ e, index, view: exportView(e, now) }))
			.filter(
				({ e, view }) =>
					(query.campaignId === undefined || e.campaignId === query.campaignId) &&
					(query.status === undefined || view.status === query.status),
			);
		const key = (row: (typeof rows)[number]): number | string =>
			sortBy === 'status'
				? row.view.status
				: sortBy === 'completedAt'
					? (row.view.completedAt ?? Number.MAX_SAFE_INTEGER)
					: row.e.createdAt;
		rows.sort((a, b) => (desc ? -1 : 1) * (compare(key(a), key(b)) || compare(a.index, b.index)));
		return wrapped(request, {
			exports: rows.slice(offset, offset + size).map(({ e }) => toApiExport(e, now)),
			pagination: pagination(rows.length, page, size),
		});
	});

	defineRoute(app, routes, 'getListExport', async (request) => {
		const e = findExport(request, (request.params as { id: string }).id);
		return wrapped(request, toApiExport(e, ctx.clock.now()));
	});

	defineRoute(app, routes, 'getListExportDownloadUrl', async (request) => {
		const e = findExport(request, (request.params as { id: string }).id);
		const now = ctx.clock.now();
		const status = exportView(e, now).status;
		if (status !== 'completed')
			throw conflict(
				'EXPORT_NOT_READY',
				`The export is ${status}; a download URL exists once it is completed`,
			);
		const link = {
			id: ctx.state.ids.next('dl', 'download'),
			exportId: e.id,
			accountId: caller(request).account.id,
			createdAt: now,
			expiresAt: now + DOWNLOAD_LINK_TTL_MS,
		};
		ctx.state.downloads.set(link.id, link);
		return wrapped(request, {
			downloadUrl: `${ctx.apiUrl}/list-exports/download/${link.id}`,
			filename: e.filename,
		});
	});

	defineRoute(app, routes, 'followListExportDownload', async (request, reply) => {
		const { downloadId } = request.params as { downloadId: string };
		const link = ctx.state.downloads.get(downloadId);
		const now = ctx.clock.now();
		if (!link || now > link.expiresAt) throw notFound('Download link (expired or unknown)');
		// Optional Bearer auth: a token of another account does not see the link.
		if (request.caller && request.caller.account.id !== link.accountId)
			throw notFound('Download link (expired or unknown)');
		const e = ctx.state.exports.get(link.exportId)!;
		const etag = etagOf(e);
		const lastModified = new Date(exportCompletesAt(e)).toUTCString();
		const ifNoneMatch = request.headers['if-none-match'];
		if (
			ifNoneMatch &&
			ifNoneMatch
				.split(',')
				.map((t) => t.trim().replace(/^W\//, ''))
				.some((t) => t === etag || t === '*')
		) {
			return reply.code(304).header('etag', etag).header('last-modified', lastModified).send();
		}
		return reply
			.code(302)
			.header('location', ctx.storage.signedUrl(storageKey(e)))
			.header('etag', etag)
			.header('last-modified', lastModified)
			.header('cache-control', 'private, no-cache')
			.send();
	});
}
