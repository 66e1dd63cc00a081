import type { IDataObject } from 'n8n-workflow';

import type { ItemApi } from '../types';
import type { DetailedObject, TrackedObject } from '../../../api/catalogue';
import { CATALOGUE, detailRoute, unwrapObject } from '../../../api/catalogue';
import type { WaitTarget } from './wait';

/**
 * What "Wait for Completion" polls for each asynchronous object, and which statuses end the
 * wait. All of them are free GETs (idempotent: the transport retries them after a 5xx).
 */

/** What ends the wait for each object: its catalogue statuses, succeeded and failed. */
const outcomes = ({ statuses }: TrackedObject) => ({
	succeeded: statuses.succeeded,
	failed: statuses.failed,
});

export const CAMPAIGN_OUTCOMES = outcomes(CATALOGUE.campaign);
export const CAMPAIGN_VALIDATION_OUTCOMES = outcomes(CATALOGUE.campaignValidation);
export const EXPORT_OUTCOMES = outcomes(CATALOGUE.export);
export const VALIDATION_JOB_OUTCOMES = outcomes(CATALOGUE.validationJob);

/** The object as its detail route shows it now. */
async function fetchDetail(api: ItemApi, object: DetailedObject, id: string): Promise<IDataObject> {
	return unwrapObject(
		object,
		await api.request<IDataObject>({ method: 'GET', ...detailRoute(object, id) }),
	);
}

const statusOf = (state: IDataObject) => String(state.status ?? 'unknown');

export function campaignTarget(api: ItemApi, campaignId: string): WaitTarget {
	return {
		what: `campaign ${campaignId}`,
		fetch: async () => await fetchDetail(api, CATALOGUE.campaign, campaignId),
		status: statusOf,
		...CAMPAIGN_OUTCOMES,
		progress: (state) =>
			state.progressPercentage === undefined ? '' : `${String(state.progressPercentage)}%`,
	};
}

/**
 * The validation started by POST /campaigns/{id}/validate, followed through the campaign's
 * `postValidation` summary. The state is the start answer (jobId, credit cost) with the latest
 * status and counts.
 */
export function campaignValidationTarget(api: ItemApi, started: IDataObject): WaitTarget {
	const campaignId = String(started.campaignId);
	return {
		what: `validation of campaign ${campaignId}`,
		fetch: async () => {
			const campaign = await fetchDetail(api, CATALOGUE.campaign, campaignId);
			const summary = (campaign.postValidation ?? null) as IDataObject | null;
			return { ...started, status: summary?.status ?? started.status, postValidation: summary };
		},
		status: statusOf,
		...CAMPAIGN_VALIDATION_OUTCOMES,
		progress: (state) => {
			const summary = state.postValidation as IDataObject | null | undefined;
			return summary ? `${String(summary.validated)} of ${String(summary.total)} e-mails` : '';
		},
	};
}

/** `extra` is kept on every state (e.g. `alreadyExisted` from the create answer). */
export function exportTarget(api: ItemApi, exportId: string, extra: IDataObject = {}): WaitTarget {
	return {
		what: `export ${exportId}`,
		fetch: async () => ({
			...(await fetchDetail(api, CATALOGUE.export, exportId)),
			...extra,
		}),
		status: statusOf,
		...EXPORT_OUTCOMES,
		progress: (state) =>
			state.progress === undefined || state.progress === null ? '' : `${String(state.progress)}%`,
	};
}

export function validationJobTarget(api: ItemApi, jobId: string): WaitTarget {
	return {
		what: `validation job ${jobId}`,
		fetch: async () => await fetchDetail(api, CATALOGUE.validationJob, jobId),
		status: statusOf,
		...VALIDATION_JOB_OUTCOMES,
		progress: (state) =>
			`${String(state.processedCount ?? 0)} of ${String(state.totalEmails ?? '?')} e-mails`,
	};
}
