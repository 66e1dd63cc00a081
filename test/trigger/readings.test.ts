/**
 * The trigger under every page-size reading of the sandbox (no cap; 25, 50 or 100, clamped or
 * refused with a 400): its walks of the newest-first lists follow the page count and page size the
 * API reports, so more events than fit in one page are each emitted exactly once whatever the cap.
 */
import { DEFAULT_READINGS, PAGE_SIZE_READINGS, READING_VALUES } from '../helpers/readings';
import type { Sandbox } from '../../sandbox';
import {
	PRESETS,
	TriggerUnderTest,
	admin,
	advance,
	allowManyRunningCampaigns,
	createCampaign,
	createValidationJob,
	idsOf,
	requestLog,
	clearRequestLog,
	startFrozenSandbox,
} from './support';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startFrozenSandbox();
});
afterAll(async () => await sandbox.close());

describe.each(PAGE_SIZE_READINGS)(
	'trigger under page size cap $pageSizeCap / $overPageSizeCap',
	(reading) => {
		beforeAll(async () => await admin(sandbox, 'PATCH', '/readings', reading));
		afterAll(async () => await admin(sandbox, 'PATCH', '/readings', DEFAULT_READINGS));
		beforeEach(async () => {
			await admin(sandbox, 'POST', '/reset');
			await allowManyRunningCampaigns(sandbox);
		});

		it('Campaign Finished: 130 campaigns finishing between two polls are each emitted once', async () => {
			const trigger = new TriggerUnderTest(sandbox, { event: 'campaignFinished' });
			await trigger.poll();
			const ids: string[] = [];
			for (let i = 0; i < 130; i++) ids.push(await createCampaign(sandbox));
			await advance(sandbox, 2 * 60_000);
			await clearRequestLog(sandbox);
			const items = await trigger.poll();
			expect(idsOf(items).sort()).toEqual([...ids].sort());
			// The list was walked in pages of the size the API serves, past a first page shorter than asked.
			const pages = (await requestLog(sandbox)).filter(
				(entry) => entry.operationId === 'listCampaigns' && entry.status === 200,
			);
			expect(pages.length).toBeGreaterThanOrEqual(
				Math.ceil(130 / Math.min(100, reading.pageSizeCap ?? 100)),
			);
			expect(await trigger.poll()).toEqual([]);
		});

		it('Validation Job Finished (page/limit, size not reported): 60 jobs are each emitted once', async () => {
			const trigger = new TriggerUnderTest(sandbox, { event: 'validationJobFinished' });
			await trigger.poll();
			const ids: string[] = [];
			for (let i = 0; i < 60; i++) ids.push(await createValidationJob(sandbox));
			await advance(sandbox, 60_000);
			const items = await trigger.poll();
			expect(idsOf(items, 'jobId').sort()).toEqual([...ids].sort());
			expect(await trigger.poll()).toEqual([]);
		});
	},
);

describe.each(READING_VALUES.validationJobWorkspaceHeader)(
	'Validation Job Finished with an API key and a credential workspace: sandbox %s X-Workspace-Id',
	(reading) => {
		beforeAll(
			async () =>
				await admin(sandbox, 'PATCH', '/readings', { validationJobWorkspaceHeader: reading }),
		);
		afterAll(async () => await admin(sandbox, 'PATCH', '/readings', DEFAULT_READINGS));

		it('emits the finished jobs; no validation-job request carries X-Workspace-Id', async () => {
			await admin(sandbox, 'POST', '/reset');
			const trigger = new TriggerUnderTest(
				sandbox,
				{ event: 'validationJobFinished' },
				PRESETS.workspaces.team,
			);
			await trigger.poll();
			// Created with the key alone (support's api() sends a workspace header, which this reading may refuse).
			const ids: string[] = [];
			for (const email of ['first@example.com', 'second@example.com']) {
				const response = await fetch(`${sandbox.apiUrl}/validation-jobs/text`, {
					method: 'POST',
					headers: { 'X-API-Key': PRESETS.apiKeys.account, 'Content-Type': 'application/json' },
					body: JSON.stringify({ emails: [email] }),
				});
				expect(response.status).toBe(201);
				ids.push(((await response.json()) as { data: { jobId: string } }).data.jobId);
			}
			await advance(sandbox, 60_000);
			await clearRequestLog(sandbox);
			expect(idsOf(await trigger.poll(), 'jobId').sort()).toEqual([...ids].sort());
			const log = await requestLog(sandbox);
			const jobs = log.filter((entry) => entry.path.startsWith('/api/validation-jobs'));
			expect(jobs.length).toBeGreaterThan(0);
			expect(jobs.every((entry) => entry.workspaceId === null && entry.status === 200)).toBe(true);
		});
	},
);
