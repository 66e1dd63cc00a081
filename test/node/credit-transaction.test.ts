/**
 * Credit Transaction › Get Many through n8n's engine against the sandbox: the ledger is
 * account-scoped, so X-Workspace-Id is never sent, whatever the credential says.
 */
import { Scravio } from '../../nodes/Scravio/Scravio.node';
import {
	PRESETS,
	accessTokenCredential,
	apiKeyCredential,
	json,
	requestsOf,
	startTestbed,
	type Testbed,
} from './setup';

let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed();
	// A campaign adds a reserve entry (and, once it ends, use and return entries) to the ledger.
	const response = await fetch(`${bed.apiUrl}/campaigns`, {
		method: 'POST',
		headers: { 'X-API-Key': PRESETS.apiKeys.account, 'Content-Type': 'application/json' },
		body: JSON.stringify({
			type: 'INSTAGRAM_HASHTAG',
			inputs: { hashtag: 'ledgertest' },
			targetEmails: 100,
		}),
	});
	expect(response.status).toBe(201);
	await bed.advance(3600 * 24);
});
afterAll(async () => await bed.close());
beforeEach(async () => await bed.clearRequests());

describe('creditTransaction getMany', () => {
	it('returns the ledger; balances chain and amounts add up', async () => {
		const transactions = json(
			await bed.run({
				resource: 'creditTransaction',
				operation: 'getMany',
				returnAll: true,
				options: { sortBy: 'timestamp', order: 'asc' },
			}),
		);
		expect(transactions.length).toBeGreaterThanOrEqual(2);
		for (const transaction of transactions) {
			expect(Number(transaction.balanceBefore) + Number(transaction.amount)).toBe(
				transaction.balanceAfter,
			);
		}
		for (let i = 1; i < transactions.length; i++) {
			expect(transactions[i].balanceBefore).toBe(transactions[i - 1].balanceAfter);
		}
		const [me] = json(await bed.run({ resource: 'account', operation: 'get' }));
		expect(transactions[transactions.length - 1].balanceAfter).toBe(me.credits);
	});

	it('never sends X-Workspace-Id, even when the credential has a workspace', async () => {
		const result = await bed.run(
			{ resource: 'creditTransaction', operation: 'getMany', limit: 5 },
			{
				credential: accessTokenCredential(
					bed.apiUrl,
					PRESETS.accessTokens.demo,
					PRESETS.workspaces.team,
				),
			},
		);
		expect(json(result).length).toBeGreaterThan(0);
		const [sent] = requestsOf(await bed.requests(), 'listCreditTransactions');
		expect(sent.workspaceId).toBeNull();
		expect(sent.headerNames).not.toContain('x-workspace-id');
		expect(sent.authorization).toBe('Bearer');
		expect(sent.query).toEqual({ page: '1', perPage: '5' });
	});

	it('offers no Workspace ID option', () => {
		const options = new Scravio().description.properties.find(
			(property) =>
				property.name === 'options' &&
				property.displayOptions?.show?.resource?.[0] === 'creditTransaction',
		);
		expect((options?.options ?? []).map((option) => option.name)).not.toContain('workspaceId');
	});

	it('filters by type and campaign and sorts by amount', async () => {
		const all = json(
			await bed.run({ resource: 'creditTransaction', operation: 'getMany', returnAll: true }),
		);
		const reserve = all.find(
			(transaction) => transaction.type === 'reserve' && transaction.campaignId,
		);
		expect(reserve).toBeDefined();
		await bed.clearRequests();

		const filtered = json(
			await bed.run({
				resource: 'creditTransaction',
				operation: 'getMany',
				returnAll: true,
				filters: { type: 'reserve', campaignId: String(reserve!.campaignId), from: '', to: '' },
				options: { sortBy: 'amount', order: 'asc' },
			}),
		);
		expect(filtered.length).toBeGreaterThan(0);
		expect(
			filtered.every(
				(transaction) =>
					transaction.type === 'reserve' && transaction.campaignId === reserve!.campaignId,
			),
		).toBe(true);
		const [sent] = requestsOf(await bed.requests(), 'listCreditTransactions');
		expect(sent.query).toEqual({
			page: '1',
			perPage: '100',
			type: 'reserve',
			campaignId: String(reserve!.campaignId),
			sortBy: 'amount',
			order: 'asc',
		});
	});

	it('a date range excludes transactions outside it', async () => {
		const all = json(
			await bed.run({
				resource: 'creditTransaction',
				operation: 'getMany',
				returnAll: true,
				options: { sortBy: 'timestamp', order: 'asc' },
			}),
		);
		const last = String(all[all.length - 1].timestamp);
		const onlyLatest = json(
			await bed.run({
				resource: 'creditTransaction',
				operation: 'getMany',
				returnAll: true,
				filters: { from: last },
			}),
		);
		expect(onlyLatest.length).toBeGreaterThan(0);
		expect(onlyLatest.length).toBeLessThan(all.length);
		expect(
			onlyLatest.every(
				(transaction) => Date.parse(String(transaction.timestamp)) >= Date.parse(last),
			),
		).toBe(true);
	});

	it('a workspace-bound API key gets an error that says what to use instead', async () => {
		const result = await bed.run(
			{ resource: 'creditTransaction', operation: 'getMany', limit: 5 },
			{ credential: apiKeyCredential(bed.apiUrl, PRESETS.apiKeys.teamBound) },
		);
		expect((result.error as unknown as { httpCode: string }).httpCode).toBe('403');
		expect(result.error?.description).toMatch(/account-scoped API key or an access token/);
		expect(requestsOf(await bed.requests(), 'listCreditTransactions')).toHaveLength(1);
	});
});
