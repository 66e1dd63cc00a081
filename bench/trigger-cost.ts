/**
 * What one poll of the Scravio Trigger costs, in API requests, in the sandbox's large-data
 * workspace (ws_large: 10,000 campaigns). Polls run through n8n's real poll machinery
 * (test/helpers/engine.ts); requests are counted from the sandbox's request log.
 *
 *   npx tsx bench/trigger-cost.ts
 *
 * Prints one line per scenario: requests of the activation poll, of a poll with nothing new
 * (by route), and of a poll in which some campaigns finished.
 */
import path from 'path';

import type { Sandbox } from '../sandbox';
import {
	PRESETS,
	TriggerUnderTest,
	admin,
	advance,
	allowManyRunningCampaigns,
	clearRequestLog,
	createCampaign,
	endCampaign,
	requestLog,
	startFrozenSandbox,
	useTriggerClass,
} from '../test/trigger/support';

const WS = PRESETS.workspaces.large;

async function countRequests(sandbox: Sandbox, run: () => Promise<unknown>): Promise<{ total: number; byRoute: Record<string, number> }> {
	await clearRequestLog(sandbox);
	await run();
	const log = (await requestLog(sandbox)).filter((entry) => entry.host === 'api');
	const byRoute: Record<string, number> = {};
	for (const entry of log) {
		const query = new URLSearchParams(entry.url.split('?')[1] ?? '');
		const route = `${entry.method} ${entry.path.replace(/\/(cmp|exp|vjob)_[A-Za-z0-9_]+/, '/{id}')}${query.get('status') ? `?status=${query.get('status')}` : ''}`;
		byRoute[route] = (byRoute[route] ?? 0) + 1;
	}
	return { total: log.length, byRoute };
}

async function runningCount(sandbox: Sandbox): Promise<number> {
	let total = 0;
	for (const status of ['pending', 'scraping', 'scraping_completed', 'processing_emails']) {
		const response = await fetch(`${sandbox.apiUrl}/campaigns?status=${status}&perPage=1`, {
			headers: { 'X-API-Key': PRESETS.apiKeys.account, 'X-Workspace-Id': WS },
		});
		total += ((await response.json()) as { pagination: { totalCount: number } }).pagination.totalCount;
	}
	return total;
}

async function scenario(sandbox: Sandbox, label: string, trigger: TriggerUnderTest, finishing: string[] = []) {
	const running = await runningCount(sandbox);
	const idle = await countRequests(sandbox, async () => await trigger.poll());
	const idleAgain = await countRequests(sandbox, async () => await trigger.poll());
	let withEvents = '';
	if (finishing.length > 0) {
		for (const id of finishing) await endCampaign(sandbox, id, 'fully_completed');
		let emitted = 0;
		const cost = await countRequests(sandbox, async () => {
			emitted = (await trigger.poll()).length;
		});
		withEvents = `; ${finishing.length} finishing -> ${cost.total} requests (${emitted} emitted)`;
	}
	console.log(
		`${label.padEnd(34)} running=${String(running).padStart(4)}  nothing new: ${idle.total} requests (again: ${idleAgain.total}) ${JSON.stringify(idle.byRoute)}${withEvents}`,
	);
}

async function main() {
	// tsx resolves `ScravioTrigger.node` to the codex JSON file: load the class by its .ts path.
	const modulePath = path.join(__dirname, '../nodes/ScravioTrigger/ScravioTrigger.node.ts');
	const triggerModule = (await import(modulePath)) as typeof import('../nodes/ScravioTrigger/ScravioTrigger.node');
	useTriggerClass(triggerModule.ScravioTrigger);
	const sandbox = await startFrozenSandbox({ largeData: true });
	await allowManyRunningCampaigns(sandbox);
	await admin(sandbox, 'POST', `/accounts/${PRESETS.accounts.demo.id}/credits`, { amount: 1_000_000 });
	const newTrigger = () => new TriggerUnderTest(sandbox, { event: 'campaignFinished' }, WS);
	try {
		console.log('Scravio Trigger cost per poll, ws_large (10,000 campaigns + cmp_large_100k)');

		// As seeded: ~6% of the campaigns are still running.
		const seeded = newTrigger();
		const activation = await countRequests(sandbox, async () => await seeded.poll());
		console.log(`activation (seeded state)          ${activation.total} requests ${JSON.stringify(activation.byRoute)}`);
		await scenario(sandbox, 'as seeded', seeded);

		// Let every seeded campaign finish: nothing runs any more.
		await advance(sandbox, 6 * 3600_000);
		const idleTrigger = newTrigger();
		const quietActivation = await countRequests(sandbox, async () => await idleTrigger.poll());
		console.log(`activation (nothing running)       ${quietActivation.total} requests ${JSON.stringify(quietActivation.byRoute)}`);
		await scenario(sandbox, '0 running', idleTrigger);

		for (const target of [4, 10, 100]) {
			const started: string[] = [];
			while ((await runningCount(sandbox)) < target) {
				// The sandbox clock is frozen (10 ms per launch): a campaign keeps running until the bench ends it.
				started.push(await createCampaign(sandbox, { workspaceId: WS }));
				await advance(sandbox, 10);
			}
			await idleTrigger.poll(); // picks the new ones up
			await scenario(sandbox, `${target} running`, idleTrigger, target === 100 ? started.slice(0, 10) : []);
		}
	} finally {
		await sandbox.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
