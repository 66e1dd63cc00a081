import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { LocatorShape } from '../api/catalogue';
import { CATALOGUE, isSafeSegment } from '../api/catalogue';

/** "validation job" → "Validation Job". */
const titleCase = (label: string) => label.replace(/\b\w/g, (first) => first.toUpperCase());

/**
 * "From list" with search, "By ID" and, where a URL form exists, "By URL", for an object of the
 * catalogue: its label names the field ("Validation Job") and the search method
 * (`searchValidationJobs`, in listSearch.ts), its locator shape gives the placeholders and URL form.
 * `description` says what the ID looks like: also what an AI agent needs to fill it (see toolUse.ts).
 */
export function resourceLocator(
	object: { label: string; locator: LocatorShape },
	name: string,
	description: string,
): INodeProperties {
	const spec = object.locator;
	const displayName = titleCase(object.label);
	const property: INodeProperties = {
		displayName,
		name,
		description,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: {
					searchListMethod: `search${displayName.replace(/ /g, '')}s`,
					searchable: true,
				},
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: spec.idPlaceholder },
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: spec.urlPlaceholder,
				validation: [
					{
						type: 'regex',
						properties: { regex: `.*${spec.urlRegex}.*`, errorMessage: 'Not a valid URL' },
					},
				],
				extractValue: { type: 'regex', regex: spec.urlRegex ?? '' },
			},
		],
	};
	if (!spec.urlRegex) property.modes = property.modes?.filter((mode) => mode.name !== 'url');
	return property;
}

export const campaignLocator = resourceLocator(
	CATALOGUE.campaign,
	'campaignId',
	'The campaign: pick it from the list, or give its ID (starts with cmp_) or its Scravio URL',
);

export const exportLocator = resourceLocator(
	CATALOGUE.export,
	'exportId',
	'The export: pick it from the list or give its ID (starts with exp_)',
);

export const validationJobLocator = resourceLocator(
	CATALOGUE.validationJob,
	'jobId',
	'The validation job: pick it from the list or give its ID (the jobId of Create)',
);

/** Reads a locator's id (extracting it from a URL when needed); an empty id names the field. */
export function locatorId(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	label: string,
): string {
	const raw = context.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	if (typeof raw === 'object' && raw !== null) {
		throw new NodeOperationError(
			context.getNode(),
			`${label} must be an ID, but its value is ${Array.isArray(raw) ? 'a list' : 'an object'}`,
			{
				itemIndex,
				description: `The "${label}" field resolved to ${JSON.stringify(raw).slice(0, 80)}. If it is an expression, point it at the ID itself, e.g. {{ $json.id }}.`,
			},
		);
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
