import type {
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { binaryPropertyOption, storeFile } from '../files/binary';
import { fetchExportFile } from '../files/exportFile';
import { campaignLocator } from '../ui/locators';
import { optionsCollection } from '../ui/options';
import { searchCampaigns } from '../ui/listSearch';
import { campaignTypeOptions } from '../api/campaignRules';
import type { RequestSettings } from '../transport';
import {
	cancelSignal,
	fetchPage,
	getCredentialSettings,
	scravioApiRequestFull,
} from '../transport';
import type { EventFilter, TriggerEvent } from './events';
import { EVENTS, objectId } from './events';
import type { GivenUp, PollerApi } from './poller';
import { baselineState, latestMatching, pollOnce } from './poller';
import { FAIL_LIMIT, holdsLease, readState, releaseLease, takeLease, writeState } from './state';

const showFor = (event: TriggerEvent) => ({ show: { event: [event] } });

/** Each event's "Statuses": the final statuses that fire it, by default those that mean success. */
const statusProperties: INodeProperties[] = (Object.keys(EVENTS) as TriggerEvent[]).map(
	(event) => ({
		displayName: 'Statuses',
		name: EVENTS[event].statusParameter,
		type: 'multiOptions',
		options: EVENTS[event].statusOptions,
		default: [...EVENTS[event].defaultStatuses],
		description: 'Final statuses that fire the trigger',
		displayOptions: showFor(event),
	}),
);

const exportCampaign: INodeProperties = {
	...campaignLocator,
	required: false,
	description: 'Only exports of this campaign. Leave empty for the exports of every campaign.',
	displayOptions: showFor('exportReady'),
};

/** Opaque, short-lived links that grant access without a key: the reference says not to persist them. */
const DOWNLOAD_URL_FIELDS = ['downloadUrl'];

const includeDownloadUrlOption: INodeProperties = {
	displayName: 'Include Download URL',
	name: 'includeDownloadUrl',
	type: 'boolean',
	default: false,
	description:
		"Whether to keep the API's download link in the output when it sends one. The link is short-lived and grants access to the file without a key: anyone who sees the execution can use it while it lasts.",
};

const downloadOptions: INodeProperties[] = [
	{
		displayName: 'Download File',
		name: 'downloadFile',
		type: 'boolean',
		default: false,
		description: 'Whether to also download the file of each completed export as binary data',
	},
	{ ...binaryPropertyOption, displayOptions: { show: { downloadFile: [true] } } },
];

export class ScravioTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Scravio Trigger',
		name: 'scravioTrigger',
		icon: { light: 'file:../../icons/scravio.svg', dark: 'file:../../icons/scravio.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow when a Scravio campaign, export or validation job finishes',
		defaults: { name: 'Scravio Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'scravioApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Campaign Finished',
						value: 'campaignFinished',
						description: 'A campaign reached a final status',
					},
					{
						name: 'Export Ready',
						value: 'exportReady',
						description: 'A list export completed (or failed)',
					},
					{
						name: 'Validation Job Finished',
						value: 'validationJobFinished',
						description: 'A standalone e-mail validation job finished',
					},
				],
				default: 'campaignFinished',
			},
			...statusProperties,
			{
				displayName: 'Campaign Types',
				name: 'campaignTypes',
				type: 'multiOptions',
				options: campaignTypeOptions(),
				default: [],
				description: 'Only campaigns of these types. Leave empty for every type.',
				displayOptions: showFor('campaignFinished'),
			},
			exportCampaign,
			{ ...optionsCollection(downloadOptions), displayOptions: showFor('exportReady') },
			{ ...optionsCollection(), displayOptions: showFor('campaignFinished') },
			{
				...optionsCollection([includeDownloadUrlOption]),
				displayOptions: showFor('validationJobFinished'),
			},
		],
	};

	methods = {
		listSearch: { searchCampaigns },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event', 'campaignFinished') as TriggerEvent;
		const spec = EVENTS[event];
		if (!spec) throw new NodeOperationError(this.getNode(), `Unknown event "${String(event)}"`);
		const { kind } = spec;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const settings: RequestSettings = { workspaceId: String(options.workspaceId ?? '').trim() };
		const filter: EventFilter = {
			statuses: this.getNodeParameter(spec.statusParameter, spec.defaultStatuses) as string[],
			campaignTypes:
				event === 'campaignFinished'
					? (this.getNodeParameter('campaignTypes', []) as string[])
					: [],
			campaignId:
				event === 'exportReady'
					? String(this.getNodeParameter('campaignId', '', { extractValue: true }) ?? '').trim()
					: '',
		};
		if (filter.statuses.length === 0) {
			throw new NodeOperationError(this.getNode(), 'Choose at least one status', {
				description: 'The "Statuses" field decides which final statuses fire the trigger.',
			});
		}
		const api = pollerApi(this, settings);

		const toItem = async (detail: IDataObject): Promise<INodeExecutionData> => {
			const item: INodeExecutionData = {
				json: withoutDownloadUrl(detail, options.includeDownloadUrl === true),
				pairedItem: { item: 0 },
			};
			if (
				event === 'exportReady' &&
				options.downloadFile === true &&
				detail.status === 'completed'
			) {
				const file = await fetchExportFile.call(this, objectId(kind, detail), settings);
				const property = String(options.binaryPropertyName ?? 'data').trim() || 'data';
				item.binary = { [property]: (await storeFile(this, file)).binary };
			}
			return item;
		};

		// "Fetch Test Event": the latest matching object; the state is neither read nor written.
		if (this.getMode() === 'manual') {
			const variants: IDataObject[] =
				filter.campaignTypes.length > 0
					? filter.campaignTypes.map((type) => ({ type }))
					: [filter.campaignId ? { campaignId: filter.campaignId } : {}];
			let latest: IDataObject | undefined;
			for (const listFilters of variants) {
				const found = await latestMatching(api, kind, filter, listFilters);
				if (found && (!latest || finishedLater(kind.finishedAtField, found, latest)))
					latest = found;
			}
			if (!latest) {
				throw new NodeOperationError(
					this.getNode(),
					`No ${kind.label} with a matching status found`,
					{
						description: `There is no ${kind.label} in this workspace that finished with the chosen statuses and filters yet. Once one does, "Fetch Test Event" returns it.`,
					},
				);
			}
			return [[await toItem(latest)]];
		}

		const credential = await getCredentialSettings.call(this);
		const scope = [event, credential.baseUrl, settings.workspaceId || credential.workspaceId].join(
			'|',
		);
		const nodeStaticData = this.getWorkflowStaticData('node');
		// One poll of this trigger at a time: n8n starts a poll at every interval even when the
		// previous one has not finished, and both would start from the same state.
		const lease = takeLease(nodeStaticData);
		if (lease === undefined) {
			this.logger.info(
				`Scravio Trigger "${this.getNode().name}": the previous poll is still running; this one is skipped`,
			);
			return null;
		}
		try {
			const state = readState(nodeStaticData, scope);
			if (!state) {
				// First activation (or another event/workspace): remember the present, emit nothing.
				const initial = await baselineState(api, kind, scope);
				if (!holdsLease(nodeStaticData, lease)) return null;
				warnDropped(this, kind.label, initial.droppedRunning);
				writeState(nodeStaticData, initial.state);
				return null;
			}

			// An export whose file keeps failing is emitted without it in the end, with the reason.
			const fallback =
				event === 'exportReady'
					? (detail: IDataObject, error: Error): INodeExecutionData => ({
							json: { ...withoutDownloadUrl(detail, false), downloadError: error.message },
							pairedItem: { item: 0 },
						})
					: undefined;
			const outcome = await pollOnce(api, kind, state, filter, toItem, fallback);
			// A poll that outlived its lease (another poll took over) commits and emits nothing.
			if (!holdsLease(nodeStaticData, lease)) return null;
			// Only now, with every event fetched (and every file downloaded), does the state move.
			warnDropped(this, kind.label, outcome.droppedRunning);
			for (const [id, count] of Object.entries(outcome.failing)) {
				this.logger.warn(
					`Scravio Trigger: ${kind.label} ${id} failed (${count} of ${FAIL_LIMIT} polls in a row); it is tried again at the next poll`,
				);
			}
			writeState(nodeStaticData, outcome.state);
			for (const failed of outcome.givenUp) reportGivenUp(this, kind.label, failed);
			return outcome.events.length > 0 ? [outcome.events] : null;
		} finally {
			releaseLease(nodeStaticData, lease);
		}
	}
}

function withoutDownloadUrl(detail: IDataObject, keep: boolean): IDataObject {
	if (keep) return detail;
	const copy = { ...detail };
	for (const field of DOWNLOAD_URL_FIELDS) delete copy[field];
	return copy;
}

/**
 * An object the trigger gave up on is reported by name: a warning in n8n's log, and an error
 * execution of the workflow (n8n records what a poll reports with __emitError), which also
 * starts the workflow's error workflow when one is set.
 */
function reportGivenUp(context: IPollFunctions, label: string, failed: GivenUp): void {
	const who = `${label} ${failed.name ? `"${failed.name}" (${failed.id})` : failed.id}`;
	const what =
		failed.stage === 'file' ? 'its file could not be downloaded' : 'its details could not be read';
	const message = failed.emitted
		? `Scravio Trigger: ${who} was emitted without its file: ${what} in ${FAIL_LIMIT} polls in a row (${failed.error.message})`
		: `Scravio Trigger gave up on ${who}: ${what} in ${FAIL_LIMIT} polls in a row (${failed.error.message})`;
	context.logger.warn(message);
	if (failed.emitted) return;
	context.__emitError(
		new NodeOperationError(context.getNode(), message, {
			description: `The other ${label}s were emitted as usual. Check this ${label} in Scravio; the trigger no longer watches it.`,
		}),
	);
}

function finishedLater(field: string, a: IDataObject, b: IDataObject): boolean {
	const time = (item: IDataObject) =>
		Date.parse(String(item[field] ?? item.updatedAt ?? item.createdAt ?? '')) || 0;
	return time(a) > time(b);
}

function warnDropped(context: IPollFunctions, label: string, dropped: number): void {
	if (dropped > 0) {
		context.logger.warn(
			`Scravio Trigger: more ${label}s are running than it tracks; the ${dropped} oldest are no longer watched`,
		);
	}
}

/** The poll machinery's view of the API, through the shared transport. */
function pollerApi(context: IPollFunctions, settings: RequestSettings): PollerApi {
	return {
		async listPage(kind, qs, page, pageSize) {
			return await fetchPage.call(
				context,
				{ method: 'GET', path: kind.listPath, qs, scope: kind.scope },
				kind.style,
				page,
				pageSize,
				settings,
			);
		},
		async getDetail(kind, id) {
			const response = await scravioApiRequestFull.call(
				context,
				{ method: 'GET', path: kind.detailPath(id), scope: kind.scope, allowNotFound: true },
				settings,
			);
			return response.statusCode === 404
				? undefined
				: kind.unwrapDetail((response.body ?? {}) as IDataObject);
		},
		assertNotCancelled() {
			if (cancelSignal(context)?.aborted === true)
				throw new NodeOperationError(context.getNode(), 'The poll was cancelled');
		},
	};
}
