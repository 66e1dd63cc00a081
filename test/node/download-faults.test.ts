/**
 * Streamed downloads meet a file host that stalls (the sandbox's `stall` fault on the file host:
 * status, headers and 16 bytes, then nothing). Every download path fails with a clear error once
 * no byte came for the idle timeout, and stopping the execution stops the download at once:
 * export Download, Create and Download, validation job Download Results, and the trigger's
 * Download File. Through n8n's engine against the sandbox.
 *
 * The idle timeout is 60 s in the package; this file sets it to 1 s (RETRY_POLICY is one object
 * in this process) so that a stall costs a second.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ScravioApi } from '../../credentials/ScravioApi.credentials';
import { Scravio } from '../../nodes/Scravio/Scravio.node';
import { RETRY_POLICY } from '../../nodes/transport';
import { ScravioTrigger } from '../../nodes/ScravioTrigger/ScravioTrigger.node';
import { PRESETS, startSandbox, type Sandbox } from '../../sandbox';
import { createEngine } from '../../harness/engine';
import { sandboxClient } from '../../harness/sandboxClient';

const engine = createEngine({ nodes: [Scravio, ScravioTrigger], credentialTypes: [ScravioApi] });
const policy = RETRY_POLICY as { -readonly [K in keyof typeof RETRY_POLICY]: number };
const IDLE_MS = 1000;
const savedIdle = policy.downloadIdleTimeoutMs;

let sandbox: Sandbox;
const credentials = () => ({
	scravioApi: {
		authentication: 'apiKey',
		apiKey: PRESETS.apiKeys.account,
		baseUrl: sandbox.apiUrl,
		workspaceId: '',
	},
});

async function call<T = IDataObject>(
	base: 'api' | 'admin',
	method: string,
	path: string,
	body?: unknown,
): Promise<T> {
	const client = sandboxClient(sandbox);
	return ((await (base === 'api'
		? client.api<T>(method, path, body)
		: client.admin<T>(method, path, body))) ?? {}) as T;
}

const stallNextFile = async () =>
	await call('admin', 'POST', '/faults', { host: 'storage', path: '^/files/', kind: 'stall' });
const storageFaults = async () =>
	(
		await call<{ requests: Array<{ fault?: string; apiKey: string; authorization: string }> }>(
			'admin',
			'GET',
			'/storage/requests',
		)
	).requests;

let exportSettings: IDataObject;
let exportId: string;
let jobId: string;

beforeAll(async () => {
	policy.downloadIdleTimeoutMs = IDLE_MS;
	sandbox = await startSandbox({ port: 0, quiet: true, clockSpeed: 0, enforceRateLimits: false });
	exportSettings = { campaignId: 'cmp_demo_hashtag', fileFormat: 'csv' };
	exportId = (
		await call<{ data: { exportId: string } }>('api', 'POST', '/list-exports', exportSettings)
	).data.exportId;
	jobId = (
		await call<{ data: { jobId: string } }>('api', 'POST', '/validation-jobs/text', {
			emails: ['anna@example.com', 'ben@example.org'],
		})
	).data.jobId;
	await sandbox.advance(120_000);
});

afterAll(async () => {
	policy.downloadIdleTimeoutMs = savedIdle;
	await sandbox.close();
});

beforeEach(async () => {
	await call('admin', 'DELETE', '/faults');
	await call('admin', 'DELETE', '/requests');
});

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

const paths: Array<[string, INodeParameters]> = [
	['export Download', { resource: 'export', operation: 'download', exportId: byId('') }],
	[
		'export Create and Download',
		{
			resource: 'export',
			operation: 'createAndDownload',
			campaignId: byId('cmp_demo_hashtag'),
			fileFormat: 'csv',
		},
	],
	[
		'validation job Download Results',
		{ resource: 'validationJob', operation: 'downloadResults', jobId: byId('') },
	],
];

function withIds(parameters: INodeParameters): INodeParameters {
	const copy = structuredClone(parameters);
	if (copy.exportId) copy.exportId = byId(exportId);
	if (copy.jobId) copy.jobId = byId(jobId);
	return copy;
}

describe('a file host that stalls after the headers', () => {
	it.each(paths)(
		'%s fails after the idle timeout with a clear error, instead of waiting forever',
		async (_name, parameters) => {
			await stallNextFile();
			const started = Date.now();
			const result = await engine.runNode({
				type: 'scravio',
				parameters: withIds(parameters),
				credentials: credentials(),
			});
			const elapsed = Date.now() - started;
			expect(result.error?.message).toMatch(/download stalled: no data for 1 s/);
			expect(elapsed).toBeLessThan(IDLE_MS + 5000);
			const [stalled] = await storageFaults();
			expect(stalled).toMatchObject({
				fault: 'stall:before',
				apiKey: 'absent',
				authorization: 'absent',
			});
		},
	);

	it('the same download succeeds when the file host answers (the fault was one-shot)', async () => {
		const result = await engine.runNode({
			type: 'scravio',
			parameters: withIds(paths[0][1]),
			credentials: credentials(),
		});
		expect(result.error).toBeUndefined();
		expect(result.outputs[0][0].json).toMatchObject({ exportId, mimeType: 'text/csv' });
		expect(Number(result.outputs[0][0].json.fileSize)).toBeGreaterThan(16);
	});

	it("the trigger's Download File gives up on a stalled file after the idle timeout, so the poll ends; the export is emitted at the next poll", async () => {
		const staticData: IDataObject = {};
		const poll = async () =>
			await engine.poll({
				type: 'scravioTrigger',
				name: 'Scravio Trigger',
				parameters: { event: 'exportReady', options: { downloadFile: true } },
				credentials: credentials(),
				staticData,
			});
		await poll(); // the first poll takes the baseline
		await call('api', 'POST', '/list-exports', {
			...exportSettings,
			dateRange: { from: '2021-01-01' },
		});
		await sandbox.advance(120_000);
		await stallNextFile();
		const started = Date.now();
		const stalled = await poll();
		expect(Date.now() - started).toBeLessThan(IDLE_MS + 5000);
		// One failing object never blocks the others (issue 11): the stalled export is held back and
		// counted, not emitted without its file and not lost.
		expect(stalled.items).toBeNull();
		const state = stalled.nodeStaticData.scravioTrigger as { failures: Record<string, number> };
		const [exportIdHeld] = Object.keys(state.failures);
		expect(state.failures[exportIdHeld]).toBe(1);
		// The file host answers again: the export is emitted once, with its file.
		const next = await poll();
		expect(next.items?.[0]).toHaveLength(1);
		expect(next.items?.[0][0].json).toMatchObject({ exportId: exportIdHeld });
		expect(next.items?.[0][0].binary).toBeDefined();
	});

	it('a download still waiting for the file host stops at once when the execution is cancelled', async () => {
		await call('admin', 'POST', '/faults', {
			host: 'storage',
			path: '^/files/',
			kind: 'latency',
			latencyMs: 5000,
		});
		const controller = new AbortController();
		const running = engine.runNode({
			type: 'scravio',
			parameters: withIds(paths[0][1]),
			credentials: credentials(),
			signal: controller.signal,
		});
		for (let i = 0; i < 100 && (await storageFaults()).length === 0; i++)
			await new Promise((resolve) => setTimeout(resolve, 20));
		const cancelledAt = Date.now();
		controller.abort();
		const result = await running;
		expect(Date.now() - cancelledAt).toBeLessThan(2000);
		expect(result.error?.message).toBe('The execution was cancelled');
	});

	it.each(paths)(
		'%s stops at once when the execution is cancelled (idle timeout 60 s)',
		async (_name, parameters) => {
			policy.downloadIdleTimeoutMs = 60_000;
			try {
				await stallNextFile();
				const controller = new AbortController();
				const running = engine.runNode({
					type: 'scravio',
					parameters: withIds(parameters),
					credentials: credentials(),
					signal: controller.signal,
				});
				// Cancel once the file host has sent its few bytes.
				for (let i = 0; i < 100 && (await storageFaults()).length === 0; i++)
					await new Promise((resolve) => setTimeout(resolve, 20));
				await new Promise((resolve) => setTimeout(resolve, 200));
				const cancelledAt = Date.now();
				controller.abort();
				const result = await running;
				expect(Date.now() - cancelledAt).toBeLessThan(2000);
				expect(result.canceled).toBe(true);
				expect(result.error?.message).toMatch(/cancelled/i);
			} finally {
				policy.downloadIdleTimeoutMs = IDLE_MS;
			}
		},
	);
});
