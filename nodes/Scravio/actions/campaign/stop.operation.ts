import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { campaignCommand } from '../operationFactories/campaignCommand';

const MAX_REASON_LENGTH = 500;

/**
 * POST /campaigns/{id}/stop. The reference calls the command safe to repeat, so it may be
 * retried when the outcome of an attempt is unknown.
 */
export const stopCampaign = campaignCommand({
	method: 'POST',
	suffix: '/stop',
	retry: 'idempotent',
	options: [
		{
			displayName: 'Reason',
			name: 'reason',
			type: 'string',
			default: '',
			placeholder: 'e.g. Reached the weekly outreach target',
			description: `Why the campaign is stopped, shown in Scravio (at most ${MAX_REASON_LENGTH} characters)`,
		},
	],
	body(itemIndex) {
		const reason = String(this.getNodeParameter('options.reason', itemIndex, '') ?? '').trim();
		if (reason.length > MAX_REASON_LENGTH) {
			throw new NodeOperationError(
				this.getNode(),
				`Reason is too long (${reason.length} characters)`,
				{
					itemIndex,
					description: `The "Reason" option takes at most ${MAX_REASON_LENGTH} characters.`,
				},
			);
		}
		const body: IDataObject = {};
		if (reason) body.reason = reason;
		return body;
	},
});
