/** Account › Get through n8n's engine against the sandbox. */
import { PRESETS, json, requestsOf, startTestbed, type Testbed } from './setup';

let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed();
});
afterAll(async () => await bed.close());
beforeEach(async () => await bed.clearRequests());

describe('account get', () => {
	it('returns the account, its credits and the effective workspace', async () => {
		const [me] = json(await bed.run({ resource: 'account', operation: 'get' }));
		expect(me).toMatchObject({
			id: PRESETS.accounts.demo.id,
			email: PRESETS.accounts.demo.email,
			credits: PRESETS.accounts.demo.credits,
			workspace: { id: PRESETS.workspaces.main, role: 'owner' },
		});
		const sent = requestsOf(await bed.requests(), 'getAccount');
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({
			method: 'GET',
			path: '/api/auth/me',
			apiKey: 'present',
			authorization: 'absent',
			workspaceId: null,
		});
	});

	it('one request and one output item per input item, each paired', async () => {
		const result = await bed.run(
			{ resource: 'account', operation: 'get' },
			{ items: [{ json: {} }, { json: {} }, { json: {} }] },
		);
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(requestsOf(await bed.requests(), 'getAccount')).toHaveLength(3);
	});
});
