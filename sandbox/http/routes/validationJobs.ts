/** Standalone validation jobs: POST /validation-jobs/text, GET /validation-jobs, GET /validation-jobs/{id}. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LIMITS } from '../../../nodes/api/campaignRules';
import type { ContractRoute } from '../contract';
import type { SandboxContext } from '../context';
import { badField, notFound } from '../errors';
import {
	createJobRecord,
	jobResultsCsv,
	jobView,
	uniqueEmails,
	type ValidationJobRecord,
} from '../../model/validationModel';
import {
	caller,
	compare,
	dateParam,
	defineRoute,
	enforceRateLimit,
	iso,
	paging,
	workspaceOf,
	wrapped,
} from './util';

export function registerValidationJobRoutes(
	app: FastifyInstance,
	ctx: SandboxContext,
	routes: Map<string, ContractRoute>,
): void {
	const toApiJob = (job: ValidationJobRecord) => {
		const now = ctx.clock.now();
		const view = jobView(job, now);
		let downloadUrl: string | null = null;
		if (view.status === 'completed') {
			const key = `validation-results/${job.id}.csv`;
			ctx.files.register(key, async () => ({
				body: Buffer.from(jobResultsCsv(job), 'utf8'),
				contentType: 'text/csv; charset=utf-8',
				filename: `validation-${job.id}.csv`,
				etag: `"${job.id}-${job.verdicts.length}"`,
				lastModified: view.completedAt!,
			}));
			// A fresh short-lived signed URL on every read ("opaque short-lived result URL").
			downloadUrl = ctx.storage.signedUrl(key);
		}
		return {
			jobId: job.id,
			status: view.status,
			totalEmails: job.verdicts.length,
			processedCount: view.processedCount,
			validCount: view.validCount,
			invalidCount: view.invalidCount,
			downloadUrl,
			createdAt: new Date(job.createdAt).toISOString(),
			completedAt: iso(view.completedAt),
		};
	};

	const jobsOf = (request: FastifyRequest) => {
		const { account } = caller(request);
		const ws = workspaceOf(request);
		return [...ctx.state.validationJobs.values()].filter(
			(j) => j.accountId === account.id && j.workspaceId === ws.id,
		);
	};

	defineRoute(app, routes, 'createValidationJob', async (request, reply) => {
		const { account } = caller(request);
		const ws = workspaceOf(request);
		const emails = uniqueEmails((request.body as { emails: string[] }).emails);
		if (emails.length === 0)
			throw badField('emails', 'emails must contain at least one non-empty address');
		// The contract caps the array; the shared limits table caps the unique count (same 5000).
		if (emails.length > LIMITS.validationJobMaxEmails)
			throw badField('emails', `Submit at most ${LIMITS.validationJobMaxEmails} unique emails`);
		enforceRateLimit(ctx, routes, request, account.id);
		const job = createJobRecord(
			{
				id: ctx.state.ids.next('vjob', 'validation-job'),
				accountId: account.id,
				workspaceId: ws.id,
				createdAt: ctx.clock.now(),
			},
			emails,
			ctx.state.seed,
		);
		ctx.state.validationJobs.set(job.id, job);
		reply.code(201);
		return wrapped(request, toApiJob(job));
	});

	defineRoute(app, routes, 'listValidationJobs', async (request) => {
		const query = request.query as Record<string, unknown>;
		const { page, size, offset } = paging(ctx, query, 'limit');
		const from = dateParam(query, 'from', false);
		const to = dateParam(query, 'to', true);
		const now = ctx.clock.now();
		const desc = (query.order ?? 'desc') === 'desc';
		const sortBy = (query.sortBy as string) ?? 'createdAt';
		const rows = jobsOf(request)
			.map((job, index) => ({ job, index, view: jobView(job, now) }))
			.filter(
				({ job, view }) =>
					(query.status === undefined || view.status === query.status) &&
					(query.provider === undefined || job.provider === query.provider) &&
					(from === undefined || job.createdAt >= from) &&
					(to === undefined || job.createdAt <= to),
			);
		rows.sort((a, b) => {
			if (sortBy === 'completedAt') {
				// Jobs not completed yet sort last in either direction.
				const ca = a.view.completedAt;
				const cb = b.view.completedAt;
				if (ca === null || cb === null)
					return ca === cb ? compare(a.index, b.index) : ca === null ? 1 : -1;
				return (desc ? -1 : 1) * (compare(ca, cb) || compare(a.index, b.index));
			}
			return (
				(desc ? -1 : 1) * (compare(a.job.createdAt, b.job.createdAt) || compare(a.index, b.index))
			);
		});
		return wrapped(request, {
			jobs: rows.slice(offset, offset + size).map(({ job }) => toApiJob(job)),
			total: rows.length,
			page,
			pages: Math.ceil(rows.length / size),
		});
	});

	defineRoute(app, routes, 'getValidationJob', async (request) => {
		const { id } = request.params as { id: string };
		const job = jobsOf(request).find((j) => j.id === id);
		if (!job) throw notFound('Validation job');
		return wrapped(request, toApiJob(job));
	});
}
