/**
 * The credential's Test button, run the way n8n runs it (n8n-core's RoutingNode on an
 * ExecuteContext, `httpRequestWithAuthentication`, the test's rules: engine.testCredential),
 * against the sandbox and against a Base URL that redirects to another host.
 *
 * The other host is a second loopback server on its own port, with its own origin; it logs the
 * headers of every request it gets.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';

import { ScravioApi } from '../../credentials/ScravioApi.credentials';
import { Scravio } from '../../nodes/Scravio/Scravio.node';
import { createEngine } from '../../harness/engine';
import {
	PRESETS,
	accessTokenCredential,
	apiKeyCredential,
	requestsOf,
	startTestbed,
	type Testbed,
} from './setup';

const engine = createEngine({ nodes: [Scravio], credentialTypes: [ScravioApi] });

interface Listener {
	url: string;
	seen: IncomingHttpHeaders[];
	server: Server;
}

async function listen(
	handler: (
		url: string,
		reply: (status: number, headers: Record<string, string>, body: string) => void,
	) => void,
): Promise<Listener> {
	const seen: IncomingHttpHeaders[] = [];
	const server = createServer((request, response) => {
		seen.push(request.headers);
		handler(request.url ?? '/', (status, headers, body) => {
			response.writeHead(status, headers);
			response.end(body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

let bed: Testbed;
let otherHost: Listener;
let redirector: Listener;
let status = 302;

beforeAll(async () => {
	bed = await startTestbed();
	// Answers like the API would, so a Test that reached it would report success.
	otherHost = await listen((_url, reply) =>
		reply(
			200,
			{ 'content-type': 'application/json' },
			JSON.stringify({ success: true, user: { id: 'usr_other', email: 'other@example.com' } }),
		),
	);
	redirector = await listen((url, reply) =>
		reply(status, { location: `${otherHost.url}${url}` }, ''),
	);
});

afterAll(async () => {
	await bed.close();
	await new Promise((resolve) => otherHost.server.close(resolve));
	await new Promise((resolve) => redirector.server.close(resolve));
});

beforeEach(() => {
	otherHost.seen.length = 0;
	redirector.seen.length = 0;
});

describe("the credential's Test", () => {
	it('succeeds against the sandbox and fails with a wrong key (API key and access token)', async () => {
		await bed.clearRequests();
		expect(await engine.testCredential('scravioApi', apiKeyCredential(bed.apiUrl))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(await engine.testCredential('scravioApi', accessTokenCredential(bed.apiUrl))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(
			(await engine.testCredential('scravioApi', apiKeyCredential(bed.apiUrl, 'sk_live_wrong')))
				.status,
		).toBe('Error');
		const calls = requestsOf(await bed.requests(), 'getAccount');
		// n8n sends a request answered 401 a second time (its pre-authentication retry), as in real n8n.
		const [withKey, withToken, ...refused] = calls.map((c) => [
			c.apiKey,
			c.authorization,
			c.status,
		]);
		expect([withKey, withToken]).toEqual([
			['present', 'absent', 200],
			['absent', 'Bearer', 200],
		]);
		expect(refused.length).toBeGreaterThanOrEqual(1);
		for (const r of refused) expect(r).toEqual(['present', 'absent', 401]);
	});

	it.each([301, 302, 303, 307, 308])(
		'never follows a %i to another host: the key and the token stay home, and the Test fails saying why',
		async (code) => {
			status = code;
			for (const credential of [
				apiKeyCredential(`${redirector.url}/api`, PRESETS.apiKeys.account),
				accessTokenCredential(`${redirector.url}/api`, PRESETS.accessTokens.demo),
			]) {
				const result = await engine.testCredential('scravioApi', credential);
				expect(result.status).toBe('Error');
				expect(result.message).toContain(`redirect (HTTP ${code})`);
			}
			// Both Tests asked the Base URL with their secret ...
			expect(
				redirector.seen.map((h) => [
					h['x-api-key'] !== undefined,
					h.authorization?.startsWith('Bearer ') === true,
				]),
			).toEqual([
				[true, false],
				[false, true],
			]);
			// ... and nothing carrying either reached the host the redirect named.
			for (const headers of otherHost.seen) {
				expect(headers['x-api-key']).toBeUndefined();
				expect(headers.authorization).toBeUndefined();
			}
			expect(otherHost.seen).toHaveLength(0);
		},
	);
});
