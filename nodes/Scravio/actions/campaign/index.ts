import type { ScravioResource } from '../types';
import { createCampaign } from './create.operation';
import { getCampaign } from './get.operation';
import { getExportSchemas } from './getExportSchemas.operation';
import { getManyCampaigns } from './getMany.operation';
import { previewCampaignCost } from './previewCost.operation';
import { previewCampaignValidation } from './previewValidation.operation';
import { stopCampaign } from './stop.operation';
import { validateCampaign } from './validate.operation';

export const campaign: ScravioResource = {
	name: 'Campaign',
	value: 'campaign',
	defaultOperation: 'create',
	operations: [
		{
			name: 'Create',
			value: 'create',
			description: 'Create a campaign (reserves credits)',
			action: 'Create a campaign (reserves credits)',
			operation: createCampaign,
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Get a campaign with its progress and validation summary',
			action: 'Get a campaign',
			operation: getCampaign,
		},
		{
			name: 'Get Export Schemas',
			value: 'getExportSchemas',
			description: 'List the export file schemas (one item per schema, with its columns)',
			action: 'Get export schemas',
			operation: getExportSchemas,
		},
		{
			name: 'Get Many',
			value: 'getMany',
			description: 'List campaigns',
			action: 'Get many campaigns',
			operation: getManyCampaigns,
		},
		{
			name: 'Preview Cost',
			value: 'previewCost',
			description: 'Show the credits a campaign would reserve, without creating it',
			action: 'Preview the credits a campaign would reserve (free)',
			operation: previewCampaignCost,
		},
		{
			name: 'Preview Validation',
			value: 'previewValidation',
			description: 'Show how many e-mails a validation would check and its credit cost',
			action: 'Preview the credits a campaign validation would reserve (free)',
			operation: previewCampaignValidation,
		},
		{
			name: 'Stop',
			value: 'stop',
			description: 'Request a graceful stop of a running campaign',
			action: 'Stop a campaign',
			operation: stopCampaign,
		},
		{
			name: 'Validate',
			value: 'validate',
			description: 'Start validating the e-mails of a finished campaign (reserves credits)',
			action: 'Validate the e-mails of a campaign (reserves credits)',
			operation: validateCampaign,
		},
	],
};
