import type { RouteScope } from '../transport';
import { CATALOGUE } from './catalogue';

/**
 * What the node adds to the API's own error message: the documented rate limit of the route a
 * 429 came from, and what a 403 means on a route with its own key rules. The transport looks
 * them up; the knowledge lives here, beside the catalogue it is read from.
 */

/** Every documented rate limit, by route template ("POST /campaigns/{id}/stop"). */
export const RATE_LIMITS: Readonly<Record<string, string>> = Object.assign(
	{},
	...Object.values(CATALOGUE).map((object) => ('rateLimits' in object ? object.rateLimits : {})),
);

/** " (POST /list-exports allows 5 requests per hour)" for a route with a documented limit, else ''. */
export function rateLimitNote(request: { method: string; path: string }): string {
	const template = `${request.method} ${request.path.replace(/^\/campaigns\/[^/]+\//, '/campaigns/{id}/')}`;
	const limit = RATE_LIMITS[template];
	return limit ? ` (${template} allows ${limit})` : '';
}

/** What a 403 means on a route of this scope when the credential is an API key (not an access token). */
export const FORBIDDEN_KEY_HINTS: Partial<Record<RouteScope, string>> = {
	accountKeyOnly:
		'This route accepts only account-scoped API keys. Use an account-scoped key, or an access token (Bearer) if you need to pick a workspace.',
	account:
		'Credit transactions are account-scoped: use an account-scoped API key or an access token.',
};
