import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { LocatorShape } from '../api/catalogue';
import { CATALOGUE, isSafeSegment } from '../api/catalogue';

/** The parameter's own names, with the id's shape from the catalogue. */
interface LocatorSpec extends LocatorShape {
	displayName: string;
	name: string;
	/** Says what the ID looks like: also what an AI agent needs to fill it (see toolUse.ts). */
	description: string;
	searchListMethod: string;
}

/** "From list" with search, "By ID" and, where a URL form exists, "By URL". */
export function resourceLocator(spec: LocatorSpec): INodeProperties {
	const property: INodeProperties = {
		displayName: spec.displayName,
		name: spec.name,
		description: spec.description,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: spec.searchListMethod, searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: spec.idPlaceholder },
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: spec.urlPlaceholder,
				validation: [{ type: 'regex', properties: { regex: `.*${spec.urlRegex}.*`, errorMessage: 'Not a valid URL' } }],
				extractValue: { type: 'regex', regex: spec.urlRegex ?? '' },
			},
		],
	};
	if (!spec.urlRegex) property.modes = property.modes?.filter((mode) => mode.name !== 'url');
	return property;
}

export const campaignLocator = resourceLocator({
	displayName: 'Campaign',
	name: 'campaignId',
	description: 'The campaign: pick it from the list, or give its ID (starts with cmp_) or its Scravio URL',
	searchListMethod: 'searchCampaigns',
	...CATALOGUE.campaign.locator,
});

export const exportLocator = resourceLocator({
	displayName: 'Export',
	name: 'exportId',
	description: 'The export: pick it from the list or give its ID (starts with exp_)',
	searchListMethod: 'searchExports',
	...CATALOGUE.export.locator,
});

export const validationJobLocator = resourceLocator({
	displayName: 'Validation Job',
	name: 'jobId',
	description: 'The validation job: pick it from the list or give its ID (the jobId of Create)',
	searchListMethod: 'searchValidationJobs',
	...CATALOGUE.validationJob.locator,
});

/** Reads a locator's id (extracting it from a URL when needed); an empty id names the field. */
export function locatorId(context: IExecuteFunctions, name: string, itemIndex: number, label: string): string {
	const raw = context.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	if (typeof raw === 'object' && raw !== null) {
		throw new NodeOperationError(context.getNode(), `${label} must be an ID, but its value is ${Array.isArray(raw) ? 'a list' : 'an object'}`, {
			itemIndex,
			description: `The "${label}" field resolved to ${JSON.stringify(raw).slice(0, 80)}. If it is an expression, point it at the ID itself, e.g. {{ $json.id }}.`,
		});
	}
	const value = String(raw ?? '').trim();
	if (!value) {
		throw new NodeOperationError(context.getNode(), `${label} is required`, {
			itemIndex,
			description: `Choose a ${label.toLowerCase()} from the list or enter its ID in the "${label}" field.`,
		});
	}
	if (!isSafeSegment(value)) {
		throw new NodeOperationError(context.getNode(), `${label} "${value}" is not a valid ID`, {
			itemIndex,
			description: `An ID cannot be "." or ".." or contain "/" or "\\": it would change which API route is called. Enter the ${label.toLowerCase()}'s ID, e.g. cmp_8f2k3.`,
		});
	}
	return value;
}
