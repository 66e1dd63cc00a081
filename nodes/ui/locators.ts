import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { UserError, NodeOperationError } from 'n8n-workflow';

interface LocatorSpec {
	displayName: string;
	name: string;
	/** Says what the ID looks like: also what an AI agent needs to fill it (see toolUse.ts). */
	description: string;
	searchListMethod: string;
	idPlaceholder: string;
	/** Regex whose first group is the id, for the "By URL" mode. */
	urlRegex?: string;
	urlPlaceholder?: string;
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
	idPlaceholder: 'e.g. cmp_8f2k3',
	urlRegex: 'scravio\\.com/(?:[^/]+/)*campaigns/([A-Za-z0-9_-]+)',
	urlPlaceholder: 'e.g. https://app.scravio.com/campaigns/cmp_8f2k3',
});

export const exportLocator = resourceLocator({
	displayName: 'Export',
	name: 'exportId',
	description: 'The export: pick it from the list or give its ID (starts with exp_)',
	searchListMethod: 'searchExports',
	idPlaceholder: 'e.g. exp_19ab2',
});

export const validationJobLocator = resourceLocator({
	displayName: 'Validation Job',
	name: 'jobId',
	description: 'The validation job: pick it from the list or give its ID (the jobId of Create)',
	searchListMethod: 'searchValidationJobs',
	idPlaceholder: 'e.g. vj_71cd0',
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

/** "." and ".." (also percent-encoded) are dot segments: a URL parser removes them with the segment before. */
function isSafeSegment(id: string): boolean {
	return !/^(\.|%2e){1,2}$/i.test(id) && !/[/\\]/.test(id);
}

/**
 * Path segments are ids: encoded, so that an id can never change the route. A dot segment would
 * still be resolved away by the URL parser (`/campaigns/../validate` is `/validate`), so it is
 * refused, whoever supplied it (the user through locatorId, or an API answer).
 */
export function segment(id: string): string {
	if (!isSafeSegment(id)) throw new UserError(`"${id}" is not a valid ID: it would change the API route`);
	return encodeURIComponent(id);
}
