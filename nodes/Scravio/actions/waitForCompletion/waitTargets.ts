import type { IDataObject } from 'n8n-workflow';

import type { ItemApi } from '../types';
import { unwrapData } from '../operationFactories/get';
import { segment } from '../../../ui/locators';
import type { WaitTarget } from './wait';

/**
 * What "Wait for Completion" polls for each asynchronous object, and which statuses end the
 * wait. All of them are free GETs (idempotent: the transport retries them after a 5xx).
 */

/** Campaign statuses from the reference: pending, scraping, scraping_completed, processing_emails, fully_completed, failed, stopped. */
export const CAMPAIGN_OUTCOMES = { succeeded: ['fully_completed'], failed: ['failed', 'stopped'] } as const;
/** Post-campaign validation (`postValidation.status`): queued, processing, completed. The reference does not list failure
 * values; "failed" and "cancelled" are the ones validation jobs use, so they end the wait too. */
export const CAMPAIGN_VALIDATION_OUTCOMES = { succeeded: ['completed'], failed: ['failed', 'cancelled'] } as const;
/** Export statuses: pending, processing, completed, failed. */
export const EXPORT_OUTCOMES = { succeeded: ['completed'], failed: ['failed'] } as const;
/** Validation job statuses: pending, queued, processing, completed, failed, cancelled. */
export const VALIDATION_JOB_OUTCOMES = { succeeded: ['completed'], failed: ['failed', 'cancelled'] } as const;

const statusOf = (state: IDataObject) => String(state.status ?? 'unknown');

export function campaignTarget(api: ItemApi, campaignId: string): WaitTarget {
	return {
		what: `campaign ${campaignId}`,
		fetch: async () => {
			const body = await api.request<IDataObject>({ method: 'GET', path: `/campaigns/${segment(campaignId)}` });
			return (body.campaign ?? body) as IDataObject;
		},
		status: statusOf,
		...CAMPAIGN_OUTCOMES,
		progress: (state) => (state.progressPercentage === undefined ? '' : `${String(state.progressPercentage)}%`),
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
			const body = await api.request<IDataObject>({ method: 'GET', path: `/campaigns/${segment(campaignId)}` });
			const campaign = (body.campaign ?? body) as IDataObject;
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
			...unwrapData(await api.request<IDataObject>({ method: 'GET', path: `/list-exports/${segment(exportId)}` })),
			...extra,
		}),
		status: statusOf,
		...EXPORT_OUTCOMES,
		progress: (state) => (state.progress === undefined || state.progress === null ? '' : `${String(state.progress)}%`),
	};
}

export function validationJobTarget(api: ItemApi, jobId: string): WaitTarget {
	return {
		what: `validation job ${jobId}`,
		fetch: async () =>
			unwrapData(await api.request<IDataObject>({ method: 'GET', path: `/validation-jobs/${segment(jobId)}`, scope: 'accountKeyOnly' })),
		status: statusOf,
		...VALIDATION_JOB_OUTCOMES,
		progress: (state) => `${String(state.processedCount ?? 0)} of ${String(state.totalEmails ?? '?')} e-mails`,
	};
}
