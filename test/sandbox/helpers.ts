/**
 * Shared helpers of the sandbox tests: an in-process sandbox on a free port, the one sandbox
 * client (harness/sandboxClient.ts: real HTTP through global fetch) and a checker of response
 * bodies against sandbox/openapi.yaml.
 */
import type { ValidateFunction } from 'ajv/dist/2020';

import { sandboxClient, type CallOptions, type CallResult } from '../../harness/sandboxClient';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';
import { responseValidator } from '../../sandbox/http/openapiValidation';
import { PRESETS } from '../../sandbox/model/presets';

export { PRESETS };

export type { CallOptions, CallResult };

export interface Harness {
	sandbox: Sandbox;
	call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
	admin(method: string, path: string, body?: unknown): Promise<CallResult>;
	advance(seconds: number): Promise<void>;
}

/** Starts a sandbox for one test file; the default credential is the demo account-scoped key. */
export async function startHarness(options: Partial<SandboxOptions> = {}): Promise<Harness> {
	const sandbox = await startSandbox({ port: 0, quiet: true, clockSpeed: 0, ...options });
	const client = sandboxClient(sandbox);
	return {
		sandbox,
		call: (method, path, options) => client.call(method, path, options),
		admin: (method, path, body) => client.adminCall(method, path, body),
		advance: (seconds) => sandbox.advance(seconds * 1000),
	};
}

const validators = new Map<string, ValidateFunction>();

/** Asserts that a body matches the documented response schema of an operation and status. */
export function expectDocumented(operationId: string, status: number, body: unknown): void {
	const key = `${operationId}:${status}`;
	let validate = validators.get(key);
	if (!validate) {
		validate = responseValidator(operationId, status);
		validators.set(key, validate);
	}
	const ok = validate(body);
	if (!ok)
		throw new Error(
			`${operationId} ${status} body does not match openapi.yaml: ${JSON.stringify(validate.errors?.slice(0, 5))}\n${JSON.stringify(body).slice(0, 800)}`,
		);
}

/** Asserts the standard error object with a code, and returns it. */
export function expectError(result: CallResult, status: number, code: string) {
	if (result.status !== status || result.body?.code !== code) {
		throw new Error(
			`expected ${status} ${code}, got ${result.status}: ${result.text.slice(0, 500)}`,
		);
	}
	expect(Object.keys(result.body).sort()).toEqual(['code', 'errors', 'message', 'requestId']);
	expect(result.body.requestId).toBe(result.headers.get('x-request-id'));
	return result.body as {
		message: string;
		code: string;
		errors: Array<{ param: string; msg: string; location: string }>;
		requestId: string;
	};
}

export function paramsOf(result: CallResult): string[] {
	return (result.body?.errors ?? []).map((e: { param: string }) => e.param);
}

export const HASHTAG_CAMPAIGN = {
	type: 'INSTAGRAM_HASHTAG',
	inputs: { hashtags: ['designsystems', 'growthops'] },
	targetEmails: 100,
};
