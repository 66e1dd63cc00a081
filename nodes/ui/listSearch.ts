import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { ListedObject } from '../api/catalogue';
import { CATALOGUE } from '../api/catalogue';
import { fetchPage } from '../transport';

const SEARCH_PAGE_SIZE = 50;

/**
 * "label (status)", with the status shown once: a title that already ends with it (the sample
 * "TikTok followers (failed)") is not given a second one. No status, no brackets.
 */
export function withStatus(label: string, status: unknown): string {
	const value = String(status ?? '').trim();
	if (!value) return label;
	const suffix = `(${value})`;
	return label.trimEnd().toLowerCase().endsWith(suffix.toLowerCase())
		? label
		: `${label} ${suffix}`;
}

/** One page of an object's list route (its catalogue entry: path, scope, pagination), as locator results. */
async function search(
	context: ILoadOptionsFunctions,
	object: ListedObject,
	qs: IDataObject,
	paginationToken: string | undefined,
	toResult: (item: IDataObject) => { name: string; value: string },
): Promise<INodeListSearchResult> {
	const page = paginationToken ? Number(paginationToken) : 1;
	const workspaceId = String(context.getCurrentNodeParameter('options.workspaceId') ?? '').trim();
	const request = { method: 'GET' as const, path: object.routes.list, qs, scope: object.scope };
	const result = await fetchPage.call(context, request, object.pagination, page, SEARCH_PAGE_SIZE, {
		workspaceId,
	});
	return {
		results: result.items.map(toResult),
		// n8n-workflow 2.x wants the token as a string
		paginationToken: page < result.totalPages ? String(page + 1) : undefined,
	};
}

export async function searchCampaigns(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) {
	return await search(
		this,
		CATALOGUE.campaign,
		filter ? { q: filter } : {},
		paginationToken,
		(campaign) => ({
			name: withStatus(String(campaign.title ?? campaign.id), campaign.status),
			value: String(campaign.id),
		}),
	);
}

export async function searchExports(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) {
	const campaignId = filter?.trim();
	return await search(
		this,
		CATALOGUE.export,
		campaignId ? { campaignId } : {},
		paginationToken,
		(item) => ({
			name: withStatus(String(item.filename ?? item.exportId), item.status),
			value: String(item.exportId),
		}),
	);
}

export async function searchValidationJobs(
	this: ILoadOptionsFunctions,
	_filter?: string,
	paginationToken?: string,
) {
	return await search(this, CATALOGUE.validationJob, {}, paginationToken, (job) => ({
		name: withStatus(
			`${String(job.jobId)} · ${Number(job.totalEmails ?? 0)} email${Number(job.totalEmails) === 1 ? '' : 's'}`,
			job.status,
		),
		value: String(job.jobId),
	}));
}
