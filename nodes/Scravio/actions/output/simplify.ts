import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * "Simplify" (n8n's UX guideline for responses with more than 10 fields): the fields users act
 * on, per object. Fields the API leaves out of a response stay out; nothing is invented. The
 * README lists these fields ("Simplify").
 */
export const SIMPLIFIED_FIELDS = {
	lead: [
		'id',
		'campaignId',
		'platform',
		'username',
		'fullName',
		'email',
		'validationStatus',
		'phoneNumber',
		'externalUrl',
		'followerCount',
		'country',
	],
	campaign: [
		'id',
		'title',
		'type',
		'status',
		'progressPercentage',
		'profileCount',
		'emailCount',
		'createdAt',
		'finishedAt',
		'postValidation',
	],
	export: [
		'exportId',
		'campaignId',
		'status',
		'fileFormat',
		'filename',
		'totalRecords',
		'completedAt',
	],
	validationJob: [
		'jobId',
		'status',
		'totalEmails',
		'validCount',
		'invalidCount',
		'downloadUrl',
		'completedAt',
	],
} as const;

export type SimplifiedObject = keyof typeof SIMPLIFIED_FIELDS;

/** Values computed from nested fields: a lead's validation status sits in `emailValidation.status`. */
const DERIVED: Partial<
	Record<SimplifiedObject, Record<string, (object: IDataObject) => IDataObject[string]>>
> = {
	lead: {
		validationStatus: (object) =>
			(object.emailValidation as IDataObject | null | undefined)?.status ?? null,
	},
};

export function simplifyProperty(object: SimplifiedObject): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		// false keeps workflows saved before this option existed returning the full object
		default: false,
		description: `Whether to return only the main fields (${SIMPLIFIED_FIELDS[object].join(', ')}) instead of the full object`,
	};
}

export function simplifyObject(object: IDataObject, kind: SimplifiedObject): IDataObject {
	const result: IDataObject = {};
	for (const field of SIMPLIFIED_FIELDS[kind]) {
		const derive = DERIVED[kind]?.[field];
		if (derive) result[field] = derive(object);
		else if (field in object) result[field] = object[field];
	}
	return result;
}

/** Applies the item's Simplify parameter (when the operation has one) to one object or a list. */
export function simplifyIfAsked<T extends IDataObject | IDataObject[]>(
	context: IExecuteFunctions,
	itemIndex: number,
	kind: SimplifiedObject | undefined,
	result: T,
): T {
	if (!kind || !(context.getNodeParameter('simplify', itemIndex, false) as boolean)) return result;
	return (
		Array.isArray(result)
			? result.map((object) => simplifyObject(object, kind))
			: simplifyObject(result, kind)
	) as T;
}
