import { account } from './account';
import { campaign } from './campaign';
import type { ScravioResource } from './types';

/** Every resource of the node, in the order the editor lists them. */
export const resources: Record<string, ScravioResource> = {
	account,
	campaign,
};
