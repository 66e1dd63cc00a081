import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { PaginationStyle, ScravioRequest } from '../transport';
import { PAGINATION, fetchPage } from '../transport';

const SEARCH_PAGE_SIZE = 50;

async function search(
	context: ILoadOptionsFunctions,
	request: ScravioRequest,
	style: PaginationStyle,
	paginationToken: string | undefined,
	toResult: (item: IDataObject) => { name: string; value: string },
): Promise<INodeListSearchResult> {
	const page = paginationToken ? Number(paginationToken) : 1;
	const workspaceId = String(context.getCurrentNodeParameter('options.workspaceId') ?? '').trim();
	const result = await fetchPage.call(context, request, style, page, SEARCH_PAGE_SIZE, { workspaceId });
	return {
		results: result.items.map(toResult),
		// n8n-workflow 2.x wants the token as a string
		paginationToken: page < result.totalPages ? String(page + 1) : undefined,
	};
}

export async function searchCampaigns(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await search(this, { method: 'GET', path: '/campaigns', qs: filter ? { q: filter } : {} }, PAGINATION.campaigns, paginationToken,
		(campaign) => ({
			name: `${String(campaign.title ?? campaign.id)} (${String(campaign.status ?? '')})`,
			value: String(campaign.id),
		}));
}

export async function searchExports(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	const campaignId = filter?.trim();
	return await search(this, { method: 'GET', path: '/list-exports', qs: campaignId ? { campaignId } : {} }, PAGINATION.exports, paginationToken,
		(item) => ({
			name: `${String(item.filename ?? item.exportId)} (${String(item.status ?? '')})`,
			value: String(item.exportId),
		}));
}

export async function searchValidationJobs(this: ILoadOptionsFunctions, _filter?: string, paginationToken?: string) {
	return await search(this, { method: 'GET', path: '/validation-jobs', scope: 'accountKeyOnly' }, PAGINATION.validationJobs, paginationToken,
		(job) => ({
			name: `${String(job.jobId)} · ${Number(job.totalEmails ?? 0)} email${Number(job.totalEmails) === 1 ? '' : 's'} (${String(job.status ?? '')})`,
			value: String(job.jobId),
		}));
}
