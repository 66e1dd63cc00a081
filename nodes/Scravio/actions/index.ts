import { account } from './account';
import { campaign } from './campaign';
import { creditTransaction } from './creditTransaction';
import { exportResource } from './export';
import { lead } from './lead';
import type { ScravioResource } from './types';
import { validationJob } from './validationJob';

/** Every resource of the node, in the order the editor lists them. */
export const resources: Record<string, ScravioResource> = {
	account,
	campaign,
	lead,
	validationJob,
	export: exportResource,
	creditTransaction,
};
