/**
 * What a poll costs in the sandbox's large-data workspace (10,000 campaigns): with nothing new,
 * a fixed number of requests that grows with the campaigns still running, never with the size
 * of the workspace. (`npm run bench -- --only=trigger` measures the same polls, with timings.)
 */
import type { Sandbox } from '../../sandbox';
import {
	PRESETS,
	TriggerUnderTest,
	advance,
	allowManyRunningCampaigns,
	clearRequestLog,
	createCampaign,
	endCampaign,
	requestLog,
	startFrozenSandbox,
} from './support';

const WS = PRESETS.workspaces.large;
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startFrozenSandbox({ largeData: true });
	await allowManyRunningCampaigns(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

async function requestsOf(run: () => Promise<unknown>): Promise<string[]> {
	await clearRequestLog(sandbox);
	await run();
	return (await requestLog(sandbox))
		.filter((entry) => entry.host === 'api')
		.map((entry) => `${entry.method} ${entry.url}`);
}

it('costs one request with nothing running, and grows with running campaigns only', async () => {
	const trigger = new TriggerUnderTest(sandbox, { event: 'campaignFinished' }, WS);

	// As seeded, ~630 campaigns run, nearly all "scraping": one page of new ones + the running lists.
	await trigger.poll();
	const seeded = await requestsOf(async () => await trigger.poll());
	expect(seeded.length).toBeLessThanOrEqual(12);

	await advance(sandbox, 6 * 3600_000); // every seeded campaign has finished
	const sweep = await trigger.poll();
	expect(sweep.length).toBeGreaterThan(500);
	expect(await requestsOf(async () => await trigger.poll())).toEqual([
		expect.stringMatching(/^GET \/api\/campaigns\?/),
	]);

	const started: string[] = [];
	for (let i = 0; i < 100; i++) {
		started.push(await createCampaign(sandbox, { workspaceId: WS }));
		await advance(sandbox, 10);
		if (i === 9) {
			await trigger.poll();
			expect(await requestsOf(async () => await trigger.poll())).toHaveLength(5); // 1 page + 4 running statuses
		}
	}
	await trigger.poll();
	expect(await requestsOf(async () => await trigger.poll())).toHaveLength(5);

	// Ten of them finish: one detail request each on top.
	for (const id of started.slice(0, 10)) await endCampaign(sandbox, id, 'fully_completed');
	let emitted = 0;
	const withEvents = await requestsOf(async () => {
		emitted = (await trigger.poll()).length;
	});
	expect(emitted).toBe(10);
	expect(withEvents).toHaveLength(15);
}, 120_000);
