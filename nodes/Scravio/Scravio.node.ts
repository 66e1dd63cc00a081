import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { resources } from './actions';
import { buildProperties, route } from './actions/router';
import { searchCampaigns, searchExports, searchValidationJobs } from '../ui/listSearch';

export class Scravio implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Scravio',
		name: 'scravio',
		icon: { light: 'file:../../icons/scravio.svg', dark: 'file:../../icons/scravio.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Build e-mail lead lists from social profiles, validate e-mails and export leads with Scravio',
		defaults: { name: 'Scravio' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'scravioApi', required: true }],
		properties: buildProperties(resources),
	};

	methods = {
		listSearch: { searchCampaigns, searchExports, searchValidationJobs },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, resources);
	}
}
