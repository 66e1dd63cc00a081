import { campaignCommand } from '../operationFactories/campaignCommand';

/** GET /campaigns/{id}/validate/preview: how many e-mails a validation would check and what it costs. */
export const previewCampaignValidation = campaignCommand({
	method: 'GET',
	suffix: '/validate/preview',
});
