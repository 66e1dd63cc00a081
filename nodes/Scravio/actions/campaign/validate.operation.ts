import { campaignCommand } from '../common/campaignCommand';

/**
 * POST /campaigns/{id}/validate: starts the post-campaign validation and reserves its credits.
 * A charging POST, so the transport never retries it when the outcome is unknown.
 * Returns the started job ({ campaignId, jobId, emailsToValidate, creditCost, status }).
 */
export const validateCampaign = campaignCommand({ method: 'POST', suffix: '/validate' });
