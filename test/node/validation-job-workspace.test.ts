/**
 * "Validation-job routes and GET /credit-transactions require account-scoped API keys. Use
 * Bearer/JWT auth when you need workspace selection on validation jobs." (reference, line 53)
 * With an API key the node never sends X-Workspace-Id to a validation-job route, whether the
 * workspace comes from the credential or the node's option, and the editor and errors say the
 * workspace does not apply. Run under both sandbox readings of what an API would do with the
 * header (ignore it, or refuse with 400): the node must work under both.
 */
import { WORKSPACE_NOT_APPLIED } from '../../nodes/transport/request';
import { Scravio } from '../../nodes/Scravio/Scravio.node';
import { DEFAULT_READINGS, READING_VALUES } from '../helpers/readings';
import {
	PRESETS,
	accessTokenCredential,
	apiKeyCredential,
	apiRequests,
	byId,
	json,
	startTestbed,
	type Testbed,
} from './setup';

const W = PRESETS.workspaces;
let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed({ clockSpeed: 0, enforceRateLimits: false });
});
afterAll(async () => await bed.close());
beforeEach(async () => await bed.clearRequests());

const validationLog = async () =>
	apiRequests(await bed.requests()).filter((entry) =>
		entry.path.startsWith('/api/validation-jobs'),
	);

describe.each(READING_VALUES.validationJobWorkspaceHeader)(
	'X-Workspace-Id with an API key on validation jobs: sandbox %s it',
	(reading) => {
		beforeAll(
			async () => await bed.admin('PATCH', '/readings', { validationJobWorkspaceHeader: reading }),
		);
		afterAll(async () => await bed.admin('PATCH', '/readings', DEFAULT_READINGS));

		it('create, get, get many and download results with a credential workspace: no X-Workspace-Id sent, all succeed', async () => {
			const credential = apiKeyCredential(bed.apiUrl, PRESETS.apiKeys.account, W.team);
			const [job] = json(
				await bed.run(
					{
						resource: 'validationJob',
						operation: 'create',
						mode: 'perItem',
						emails: 'anna@example.com\nben@example.org',
					},
					{ credential },
				),
			);
			expect(job.jobId).toEqual(expect.any(String));
			await bed.advance(10);
			const [got] = json(
				await bed.run(
					{ resource: 'validationJob', operation: 'get', jobId: byId(String(job.jobId)) },
					{ credential },
				),
			);
			expect(got.status).toBe('completed');
			const many = json(
				await bed.run(
					{ resource: 'validationJob', operation: 'getMany', returnAll: true },
					{ credential },
				),
			);
			expect(many.map((entry) => entry.jobId)).toContain(job.jobId);
			const download = await bed.run(
				{ resource: 'validationJob', operation: 'downloadResults', jobId: byId(String(job.jobId)) },
				{ credential },
			);
			expect(download.error).toBeUndefined();

			const log = await validationLog();
			expect(log.map((entry) => entry.operationId)).toEqual([
				'createValidationJob',
				'getValidationJob',
				'listValidationJobs',
				'getValidationJob',
			]);
			expect(
				log.every(
					(entry) =>
						entry.apiKey === 'present' &&
						entry.workspaceId === null &&
						!entry.headerNames.includes('x-workspace-id'),
				),
			).toBe(true);
			expect(log.every((entry) => entry.status !== null && entry.status < 300)).toBe(true);
		});

		it('the node option Workspace ID is not sent with an API key either', async () => {
			const result = await bed.run({
				resource: 'validationJob',
				operation: 'getMany',
				limit: 5,
				options: { workspaceId: W.member },
			});
			expect(result.error).toBeUndefined();
			const [sent] = await validationLog();
			expect(sent.workspaceId).toBeNull();
		});

		it('an access token still picks the workspace (X-Workspace-Id sent)', async () => {
			const credential = accessTokenCredential(bed.apiUrl, PRESETS.accessTokens.demo, W.team);
			expect(
				(
					await bed.run(
						{ resource: 'validationJob', operation: 'getMany', limit: 5 },
						{ credential },
					)
				).error,
			).toBeUndefined();
			const [sent] = await validationLog();
			expect(sent).toMatchObject({ authorization: 'Bearer', workspaceId: W.team });
		});

		it('an error from a validation-job route with a key and a workspace says the workspace does not apply', async () => {
			const credential = apiKeyCredential(bed.apiUrl, PRESETS.apiKeys.account, W.team);
			const result = await bed.run(
				{ resource: 'validationJob', operation: 'get', jobId: byId('vjob_does_not_exist') },
				{ credential },
			);
			expect(result.error?.description).toContain(WORKSPACE_NOT_APPLIED(W.team));
			expect(result.error?.description).toContain('access token');
		});
	},
);

describe('the editor says it', () => {
	it('every validation-job operation shows the notice, and its Workspace ID option says it applies only with an access token', () => {
		const properties = new Scravio().description.properties;
		const notices = properties.filter(
			(property) => property.name === 'validationJobWorkspaceNotice',
		);
		expect(notices.map((notice) => notice.displayOptions?.show?.operation?.[0]).sort()).toEqual([
			'create',
			'downloadResults',
			'get',
			'getMany',
		]);
		expect(notices[0].displayName).toMatch(/API key.*does not apply/);
		const options = properties.filter(
			(property) =>
				property.name === 'options' &&
				property.displayOptions?.show?.resource?.[0] === 'validationJob',
		);
		expect(options).toHaveLength(4);
		for (const collection of options) {
			const workspace = (collection.options as Array<{ name: string; description?: string }>).find(
				(option) => option.name === 'workspaceId',
			);
			expect(workspace?.description).toMatch(/only with an access token/);
		}
	});
});
