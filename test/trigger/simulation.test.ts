/**
 * Randomised simulation of the Scravio Trigger: campaigns, exports and validation jobs are created
 * and finish at random (sandbox) times, in bursts bigger than a page, several in the same instant;
 * polls fail halfway through injected faults; n8n restarts. Every emitted event is counted, and at
 * the end each object that reached a final status after activation must have been emitted exactly
 * once by its trigger, and nothing else at all.
 *
 * Seeded and reproducible: the seed is printed; run again with TRIGGER_SIM_SEED=<seed>.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import {
	TriggerUnderTest,
	addFault,
	admin,
	advance,
	allowManyRunningCampaigns,
	api,
	clearFaults,
	createCampaign,
	createExport,
	createValidationJob,
	snapshot,
	startFrozenSandbox,
} from './support';

const SEED = Number(process.env.TRIGGER_SIM_SEED ?? 20261127);
const MIN_EVENTS = 1000;

function mulberry32(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Watched {
	name: 'campaigns' | 'exports' | 'jobs';
	trigger: TriggerUnderTest;
	idField: string;
	/** Every id the trigger emitted, with how often. */
	emitted: Map<string, number>;
	/** Ids already final when the trigger was activated. */
	finalAtActivation: Set<string>;
	list(): Promise<IDataObject[]>;
	terminal: string[];
}

async function listAll(
	sandbox: Sandbox,
	path: string,
	itemsPath: string[],
	sizeParam: string,
): Promise<IDataObject[]> {
	const all: IDataObject[] = [];
	for (let page = 1; ; page++) {
		const body = await api<IDataObject>(sandbox, 'GET', `${path}?page=${page}&${sizeParam}=100`);
		const items = itemsPath.reduce<unknown>(
			(value, key) => (value as IDataObject)[key],
			body,
		) as IDataObject[];
		all.push(...items);
		if (items.length < 100) return all;
	}
}

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startFrozenSandbox();
	await allowManyRunningCampaigns(sandbox);
	await admin(sandbox, 'POST', '/accounts/acct_demo/credits', { amount: 1_000_000 });
});

afterAll(async () => {
	await clearFaults(sandbox);
	await sandbox.close();
});

it(`emits every event exactly once (seed ${SEED})`, async () => {
	console.log(`trigger simulation seed: ${SEED} (re-run with TRIGGER_SIM_SEED=${SEED})`);
	const random = mulberry32(SEED);
	const pick = <T>(values: T[]): T => values[Math.floor(random() * values.length)];
	const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

	const watched: Watched[] = [
		{
			name: 'campaigns',
			trigger: new TriggerUnderTest(sandbox, {
				event: 'campaignFinished',
				campaignStatuses: ['fully_completed', 'failed', 'stopped'],
			}),
			idField: 'id',
			list: async () => await listAll(sandbox, '/campaigns', ['items'], 'perPage'),
			terminal: ['fully_completed', 'failed', 'stopped'],
		},
		{
			name: 'exports',
			trigger: new TriggerUnderTest(sandbox, {
				event: 'exportReady',
				exportStatuses: ['completed', 'failed'],
			}),
			idField: 'exportId',
			list: async () => await listAll(sandbox, '/list-exports', ['data', 'exports'], 'perPage'),
			terminal: ['completed', 'failed'],
		},
		{
			name: 'jobs',
			trigger: new TriggerUnderTest(sandbox, {
				event: 'validationJobFinished',
				jobStatuses: ['completed', 'failed', 'cancelled'],
			}),
			idField: 'jobId',
			list: async () => await listAll(sandbox, '/validation-jobs', ['data', 'jobs'], 'limit'),
			terminal: ['completed', 'failed', 'cancelled'],
		},
	].map((w) => ({
		...w,
		name: w.name as Watched['name'],
		emitted: new Map<string, number>(),
		finalAtActivation: new Set<string>(),
	}));

	const campaigns: string[] = [];
	const exportsMade: string[] = [];
	const jobs: string[] = [];
	const stats = { polls: 0, failedPolls: 0, restarts: 0, faults: 0, bursts: 0 };

	// Some objects exist and run before activation: they count once they finish.
	for (let i = 0; i < 15; i++)
		campaigns.push(await createCampaign(sandbox, { targetEmails: between(10, 400) }));
	for (let i = 0; i < 5; i++) jobs.push(await createValidationJob(sandbox, between(1, 400)));
	await advance(sandbox, 90_000);
	for (const w of watched) {
		expect(await w.trigger.pollRaw()).toBeNull(); // activation
		for (const item of await w.list()) {
			if (w.terminal.includes(String(item.status)))
				w.finalAtActivation.add(String(item[w.idField]));
		}
	}

	const record = (w: Watched, items: Array<{ json: IDataObject }>) => {
		for (const item of items) {
			const id = String(item.json[w.idField]);
			w.emitted.set(id, (w.emitted.get(id) ?? 0) + 1);
		}
	};

	const pollOne = async (w: Watched) => {
		stats.polls++;
		const faulty = random() < 0.15;
		if (faulty) {
			stats.faults++;
			const detail =
				w.name === 'campaigns'
					? '^/campaigns/[^/]+$'
					: w.name === 'exports'
						? '^/list-exports/[^/]+$'
						: '^/validation-jobs/[^/]+$';
			const list =
				w.name === 'campaigns'
					? '/campaigns'
					: w.name === 'exports'
						? '/list-exports'
						: '/validation-jobs';
			const spec = pick<IDataObject>([
				{ method: 'GET', path: list, kind: 'status', status: 400 }, // the first page fails
				{ method: 'GET', path: detail, kind: 'status', status: 400 }, // a detail fails
				{ method: 'GET', path: detail, kind: 'status', status: 404 }, // a detail "disappears" once
				{ method: 'GET', path: list, kind: 'drop', times: 4 }, // connection drops outlast the retries
				{ method: 'GET', path: list, kind: 'rateLimit', retryAfter: 0, times: 2 }, // retried, succeeds
			]);
			// Let a few requests through first sometimes, so the failure lands halfway.
			if (random() < 0.5) spec.path = detail;
			await addFault(sandbox, spec);
		}
		const before = snapshot(w.trigger.staticData);
		try {
			record(w, await w.trigger.poll());
		} catch {
			stats.failedPolls++;
			expect(faulty).toBe(true); // only injected faults may fail a poll
			expect(w.trigger.staticData).toEqual(before); // a failed poll changes nothing
		}
		await clearFaults(sandbox);
	};

	let step = 0;

	while (campaigns.length + exportsMade.length + jobs.length < MIN_EVENTS * 1.15) {
		step++;
		const roll = random();
		if (roll < 0.2) {
			const n = between(1, 8);
			for (let i = 0; i < n; i++)
				campaigns.push(
					await createCampaign(sandbox, { targetEmails: pick([10, 10, 20, 50, 200, 1000]) }),
				);
		} else if (roll < 0.3) {
			const id = pick(campaigns);
			await admin(sandbox, 'POST', `/campaigns/${id}/outcome`, {
				status: pick(['failed', 'stopped', 'fully_completed']),
			}).catch(() => undefined);
		} else if (roll < 0.45) {
			const n = between(1, 6);
			for (let i = 0; i < n; i++) {
				const id = await createExport(sandbox, pick(campaigns), {
					fileFormat: pick(['csv', 'xlsx']),
				}).catch(() => undefined);
				if (id) exportsMade.push(id);
			}
		} else if (roll < 0.5 && exportsMade.length > 0) {
			await admin(sandbox, 'POST', `/exports/${pick(exportsMade.slice(-10))}/outcome`, {
				status: 'failed',
			}).catch(() => undefined);
		} else if (roll < 0.62) {
			const n = between(1, 5);
			for (let i = 0; i < n; i++)
				jobs.push(await createValidationJob(sandbox, pick([1, 5, 50, 300, 2000])));
		} else if (roll < 0.67 && jobs.length > 0) {
			await admin(sandbox, 'POST', `/validation-jobs/${pick(jobs.slice(-10))}/outcome`, {
				status: pick(['failed', 'cancelled']),
			}).catch(() => undefined);
		} else if (roll < 0.7) {
			// A burst bigger than a page between two polls.
			stats.bursts++;
			const what = pick(['campaigns', 'exports', 'jobs']);
			for (let i = 0; i < between(101, 160); i++) {
				if (what === 'campaigns') campaigns.push(await createCampaign(sandbox));
				else if (what === 'jobs') jobs.push(await createValidationJob(sandbox, 1));
				else {
					const id = await createExport(sandbox, pick(campaigns)).catch(() => undefined);
					if (id) exportsMade.push(id);
				}
			}
		} else if (roll < 0.75) {
			stats.restarts++;
			pick(watched).trigger.restart();
		} else if (roll < 0.85) {
			// 0 ms keeps the instant: what happens next shares createdAt/finishedAt with what came before.
			await advance(sandbox, pick([0, 0, 500, 5_000, 30_000, 90_000, 300_000]));
		} else {
			for (const w of watched) if (random() < 0.7) await pollOne(w);
		}
	}

	// Most events must have been emitted by the random polls, not by the final sweep below.
	const emittedDuringRun = watched.reduce((sum, w) => sum + w.emitted.size, 0);

	// Let everything finish, then poll until quiet (no faults from here on).
	await advance(sandbox, 6 * 3600_000);
	for (let round = 0; round < 2; round++)
		for (const w of watched) record(w, await w.trigger.poll());

	let events = 0;
	for (const w of watched) {
		const expected = (await w.list())
			.filter((item) => w.terminal.includes(String(item.status)))
			.map((item) => String(item[w.idField]))
			.filter((id) => !w.finalAtActivation.has(id));
		events += expected.length;
		const missed = expected.filter((id) => !w.emitted.has(id));
		const repeated = [...w.emitted].filter(([, count]) => count > 1).map(([id]) => id);
		const unexpected = [...w.emitted.keys()].filter((id) => !expected.includes(id));
		expect({ trigger: w.name, missed, repeated, unexpected }).toEqual({
			trigger: w.name,
			missed: [],
			repeated: [],
			unexpected: [],
		});
		const size = JSON.stringify(w.trigger.nodeState).length;
		expect(size).toBeLessThan(60_000); // small: bounded by the lookback window and what runs
	}
	console.log(
		`trigger simulation: ${events} events in ${step} steps (${emittedDuringRun} emitted before the final sweep), ${JSON.stringify(stats)}, ` +
			`emitted ${watched.map((w) => `${w.name}=${w.emitted.size}`).join(' ')}`,
	);
	expect(emittedDuringRun).toBeGreaterThan(events * 0.6);
	expect(events).toBeGreaterThanOrEqual(MIN_EVENTS);
	expect(stats.failedPolls).toBeGreaterThan(0);
	expect(stats.restarts).toBeGreaterThan(0);
	expect(stats.bursts).toBeGreaterThan(0);
}, 600_000);
