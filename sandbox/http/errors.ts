/**
 * The one error shape of the API: { message, code, errors: [{ param, msg, location }], requestId }.
 * Route code throws ApiError; the app's error handler turns it (and Fastify's own errors) into that body.
 */

export type ErrorLocation = 'body' | 'query' | 'params' | 'headers';

export interface FieldError {
	param: string;
	msg: string;
	location: ErrorLocation;
}

export class ApiError extends Error {
	constructor(
		readonly statusCode: number,
		readonly code: string,
		message: string,
		readonly errors: FieldError[] = [],
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

export const validationError = (errors: FieldError[]) =>
	new ApiError(400, 'VALIDATION_ERROR', 'Validation failed', errors);

export const badField = (param: string, msg: string, location: ErrorLocation = 'body') =>
	validationError([{ param, msg, location }]);

export const unauthorized = (message = 'Missing or invalid credentials') =>
	new ApiError(401, 'UNAUTHORIZED', message);

export const forbidden = (message: string, code = 'FORBIDDEN') => new ApiError(403, code, message);

export const notFound = (what: string) => new ApiError(404, 'NOT_FOUND', `${what} not found`);

export const conflict = (code: string, message: string) => new ApiError(409, code, message);

/**
 * The Retry-After header of a 429 under the `retryAfter` reading: seconds, absent (undefined), or
 * an HTTP date at least `seconds` ahead (HTTP dates have whole seconds, so it is rounded up).
 */
export function retryAfterHeader(
	reading: 'seconds' | 'absent' | 'date',
	seconds: number,
	nowMs: number = Date.now(),
): string | undefined {
	if (reading === 'absent') return undefined;
	if (reading === 'date')
		return new Date((Math.floor(nowMs / 1000) + 1 + seconds) * 1000).toUTCString();
	return String(seconds);
}

export const rateLimited = (retryAfterSeconds: number, message: string) =>
	new ApiError(429, 'RATE_LIMITED', message, [], { 'retry-after': String(retryAfterSeconds) });

export const insufficientCredits = (needed: number, available: number) =>
	new ApiError(
		400,
		'INSUFFICIENT_CREDITS',
		`Insufficient credits: ${needed} needed, ${available} available`,
		[
			{
				param: 'credits',
				msg: `This request needs ${needed} credits; the balance is ${available}`,
				location: 'body',
			},
		],
	);

export function errorBody(error: ApiError, requestId: string) {
	return { message: error.message, code: error.code, errors: error.errors, requestId };
}
