import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * The reference says of a job's `downloadUrl`: an "opaque short-lived Scravio result URL", and of
 * download links in general "Do not parse or persist the returned URL". Outputs are stored with
 * the execution and passed on, so validation job outputs leave it out unless the user asks; the
 * "Download Results" operation fetches a fresh link whenever it is needed.
 */
export const includeDownloadUrlOption: INodeProperties = {
	displayName: 'Include Download URL',
	name: 'includeDownloadUrl',
	type: 'boolean',
	default: false,
	description:
		'Whether to keep the results link (downloadUrl) in the output. It is short-lived and lets anyone who has it download the results without a key; "Download Results" gets a fresh one when needed.',
};

/** A job as output: without `downloadUrl` unless "Include Download URL" is on. */
export function jobOutput(
	context: IExecuteFunctions,
	itemIndex: number,
	job: IDataObject,
): IDataObject {
	const include = context.getNodeParameter(
		'options.includeDownloadUrl',
		itemIndex,
		false,
	) as boolean;
	if (include || !('downloadUrl' in job)) return job;
	const { downloadUrl: _omitted, ...rest } = job;
	return rest;
}
