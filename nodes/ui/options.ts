import type { INodeProperties } from 'n8n-workflow';

/** Per-node override of the credential's workspace; the transport reads it from `options`. */
export const workspaceIdOption: INodeProperties = {
	displayName: 'Workspace ID',
	name: 'workspaceId',
	type: 'string',
	default: '',
	placeholder: 'e.g. ws_team',
	description:
		'Workspace to use instead of the one set in the credential (sent as the X-Workspace-ID header)',
};

/** The "Options" collection of an operation: its own extras plus the workspace override. */
export function optionsCollection(
	extra: INodeProperties[] = [],
	{ workspace = true } = {},
): INodeProperties {
	const options = [...extra, ...(workspace ? [workspaceIdOption] : [])].sort((a, b) =>
		a.displayName.localeCompare(b.displayName),
	);
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** Copies only the options the user filled in, so that empty optional fields are not sent. */
export function compact<T extends Record<string, unknown>>(values: T): Partial<T> {
	const result: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(values)) {
		if (value === undefined || value === null || value === '') continue;
		if (Array.isArray(value) && value.length === 0) continue;
		result[key] = value;
	}
	return result as Partial<T>;
}
