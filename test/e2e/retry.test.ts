/**
 * n8n's own "Retry On Fail" on a charging operation, in REAL n8n (the packed package, `n8n execute`),
 * against the sandbox: a campaign is paid for once however often n8n runs the node again.
 *
 * This also verifies what the node relies on: n8n keeps the execution-scoped node context
 * (`this.getContext('node')`) across the tries of Retry On Fail. The later tries can only know
 * about the first try's POST through it, so (1) a try that fails with "may already exist: an
 * earlier try of this execution sent POST /campaigns" and (2) a later try that waits on the first
 * try's campaign without sending another POST both show the context survived.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import {
	executeWorkflow,
	getInstall,
	importWorkflow,
	nodeOutput,
	removeN8nHome,
	type N8nHome,
	type N8nMajor,
} from '../../harness/n8n';
import { sandboxClient } from '../../harness/sandboxClient';
import { reportTiming } from './timing';
import { NODE_TYPE, prepareHome, SANDBOX_CREDENTIAL_REF } from '../../harness/n8n/scravio';

const tarball = () => {
	const t = process.env.SCRAVIO_E2E_TARBALL;
	if (!t)
		throw new Error(
			'SCRAVIO_E2E_TARBALL is not set: run with jest -c jest.e2e.config.js (its globalSetup packs the package)',
		);
	return t;
};

const NODE_NAME = 'Create Campaign';

/** Manual Trigger → Scravio Campaign Create with Retry On Fail (3 tries, 1 s apart). */
function retryWorkflow(parameters: Record<string, unknown>) {
	return {
		name: 'Retry On Fail on Campaign Create',
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				parameters: {},
				id: 'e2e-retry-1',
				name: 'Run by hand',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
			},
			{
				parameters: {
					resource: 'campaign',
					operation: 'create',
					campaignType: 'INSTAGRAM_HASHTAG',
					hashtags: 'coffee',
					targetEmails: 100,
					...parameters,
				},
				id: 'e2e-retry-2',
				name: NODE_NAME,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [260, 0],
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 1000,
				credentials: { scravioApi: SANDBOX_CREDENTIAL_REF },
			},
		],
		connections: { 'Run by hand': { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
	};
}

describe.each([2, 1] as N8nMajor[])('n8n %s.x: Retry On Fail on a charging operation', (major) => {
	const install = getInstall(major);
	reportTiming(`n8n ${install.version}: Retry On Fail`);
	let sb: Sandbox;
	let home: N8nHome;

	beforeAll(async () => {
		// 20 virtual seconds per second: a 100-email campaign ends in a few seconds.
		sb = await startSandbox({ port: 0, quiet: true, clockSpeed: 20 });
		({ home } = await prepareHome(install, tarball(), sb.apiUrl));
	});

	afterAll(async () => {
		if (home) await removeN8nHome(home);
		await sb?.close();
	});

	const campaignIds = async () =>
		(
			await sandboxClient(sb).data<{ items: Array<{ id: string }> }>(
				'GET',
				'/campaigns?perPage=100',
			)
		).items.map((campaign) => campaign.id);
	const reservations = async (campaignId: string) =>
		(
			await sandboxClient(sb).data<{ transactions: Array<{ type: string; amount: number }> }>(
				'GET',
				`/credit-transactions?campaignId=${campaignId}&perPage=100`,
			)
		).transactions.filter((entry) => entry.type === 'reserve');
	const credits = async () =>
		(await sandboxClient(sb).data<{ credits: number }>('GET', '/auth/me')).credits;

	test('the API processes the POST and answers 500: one POST, one campaign, credits reserved once', async () => {
		const id = await importWorkflow(home, retryWorkflow({}));
		await sandboxClient(sb).admin('DELETE', '/requests');
		await sandboxClient(sb).admin('POST', '/faults', {
			method: 'POST',
			path: '/campaigns',
			kind: 'status',
			status: 500,
			when: 'after',
		});
		const before = await campaignIds();
		const creditsBefore = await credits();

		const run = await executeWorkflow(home, id, { allowFailure: true });

		const posts = (await sandboxClient(sb).requests({ operationId: 'createCampaign' })).map(
			(entry) => entry.status,
		);
		expect(posts).toEqual([500]);
		const created = (await campaignIds()).filter((campaignId) => !before.includes(campaignId));
		expect(created).toHaveLength(1);
		const reserved = await reservations(created[0]);
		expect(reserved).toHaveLength(1);
		expect(creditsBefore - (await credits())).toBe(-reserved[0].amount);
		// The last try knew of the first try's POST: the node context survived n8n's retries.
		const error = run.data.resultData.error as
			{ message?: string; description?: string } | undefined;
		expect(error?.message).toBe(
			'The campaign of item 0 may already exist: an earlier try of this execution sent POST /campaigns and got no usable answer',
		);
		expect(error?.description).toContain(
			'Check the campaign list (Campaign → Get Many, newest first) and the credit transactions in Scravio',
		);
	});

	test('a try that fails while waiting is followed by one that carries on from the same campaign', async () => {
		const id = await importWorkflow(
			home,
			retryWorkflow({ waitForCompletion: true, maxWaitMinutes: 5 }),
		);
		await sandboxClient(sb).admin('DELETE', '/requests');
		// The first status check is refused (a 4xx, not retried by the transport): the first try fails.
		await sandboxClient(sb).admin('POST', '/faults', {
			method: 'GET',
			path: '^/api/campaigns/cmp_',
			kind: 'status',
			status: 400,
		});
		const before = await campaignIds();

		const run = await executeWorkflow(home, id);

		const created = (await campaignIds()).filter((campaignId) => !before.includes(campaignId));
		expect(created).toHaveLength(1);
		expect(
			(await sandboxClient(sb).requests({ operationId: 'createCampaign' })).map(
				(entry) => entry.status,
			),
		).toEqual([201]);
		expect(
			(await sandboxClient(sb).requests({ operationId: 'getCampaign' })).map(
				(entry) => entry.status,
			),
		).toEqual(expect.arrayContaining([400, 200]));
		const [campaign] = nodeOutput(run, NODE_NAME);
		expect(campaign.json).toMatchObject({ id: created[0], status: 'fully_completed' });
		expect(await reservations(created[0])).toHaveLength(1);
	});
});
