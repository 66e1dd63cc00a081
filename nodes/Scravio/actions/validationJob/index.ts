import type { INodeProperties } from 'n8n-workflow';

import type { ScravioOperation, ScravioResource } from '../types';
import { createValidationJob } from './create.operation';
import { downloadValidationResults } from './downloadResults.operation';
import { getValidationJob } from './get.operation';
import { getManyValidationJobs } from './getMany.operation';

/**
 * The reference: "Validation-job routes and GET /credit-transactions require account-scoped API
 * keys. Use Bearer/JWT auth when you need workspace selection on validation jobs." With an API
 * key the transport never sends X-Workspace-Id on these routes; the editor says so here, and an
 * error from these routes says so too (transport WORKSPACE_NOT_APPLIED).
 */
export const workspaceNotice: INodeProperties = {
	displayName:
		"Validation jobs belong to the account. With an API key, a Workspace ID (in the credential or below) does not apply here: the key's account default workspace is used. Use an access token to pick a workspace.",
	name: 'validationJobWorkspaceNotice',
	type: 'notice',
	default: '',
};

const WORKSPACE_OPTION_DESCRIPTION =
	"Workspace to use instead of the one set in the credential. Applies only with an access token (Bearer); with an API key validation jobs run in the account's default workspace and no X-Workspace-Id is sent.";

/** Adds the notice and tells, on the Workspace ID option, that it applies only with Bearer auth. */
function withWorkspaceNotice(operation: ScravioOperation): ScravioOperation {
	const properties = operation.properties.map((property) =>
		property.name === 'options' && property.type === 'collection'
			? {
					...property,
					options: (property.options as INodeProperties[]).map((option) =>
						option.name === 'workspaceId'
							? { ...option, description: WORKSPACE_OPTION_DESCRIPTION }
							: option,
					),
				}
			: property,
	);
	return { ...operation, properties: [workspaceNotice, ...properties] };
}

export const validationJob: ScravioResource = {
	name: 'Validation Job',
	value: 'validationJob',
	defaultOperation: 'create',
	operations: [
		{
			name: 'Create',
			value: 'create',
			description: 'Submit a list of e-mail addresses for validation',
			action: 'Create a validation job',
			operation: withWorkspaceNotice(createValidationJob),
		},
		{
			name: 'Download Results',
			value: 'downloadResults',
			description: 'Download the results file of a completed validation job',
			action: 'Download validation job results',
			operation: withWorkspaceNotice(downloadValidationResults),
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Get a validation job with its status and counts',
			action: 'Get a validation job',
			operation: withWorkspaceNotice(getValidationJob),
		},
		{
			name: 'Get Many',
			value: 'getMany',
			description: 'List validation jobs',
			action: 'Get many validation jobs',
			operation: withWorkspaceNotice(getManyValidationJobs),
		},
	],
};
