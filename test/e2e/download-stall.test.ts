/**
 * REAL n8n (`n8n execute`, the packed package): an export download through the guarded stream
 * works, and a file host that stalls after the headers (the sandbox's file-host `stall` fault)
 * ends the execution with "download stalled" after the shipped idle timeout (60 s) instead of
 * hanging. Both pinned n8n versions.
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
	type WorkflowJson,
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

function downloadWorkflow(exportId: string): WorkflowJson {
	return {
		id: 'e2eStalledDownload',
		name: 'e2e: export download',
		nodes: [
			{
				parameters: {},
				id: 'a3c0d1e2-0000-4000-8000-0000000000a1',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
			},
			{
				parameters: {
					resource: 'export',
					operation: 'download',
					exportId: { __rl: true, mode: 'id', value: exportId },
				},
				id: 'a3c0d1e2-0000-4000-8000-0000000000a2',
				name: 'Download Export',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				credentials: { scravioApi: SANDBOX_CREDENTIAL_REF },
			},
		],
		connections: { Start: { main: [[{ node: 'Download Export', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

describe.each([2, 1] as N8nMajor[])('n8n %s.x: a stalled file host', (major) => {
	const install = getInstall(major);
	reportTiming(`n8n ${install.version}: stalled download`);
	let sb: Sandbox;
	let home: N8nHome;
	let workflowId: string;

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, quiet: true, clockSpeed: 0, enforceRateLimits: false });
		({ home } = await prepareHome(install, tarball(), sb.apiUrl));
		const { exportId } = await sandboxClient(sb).data<{ exportId: string }>(
			'POST',
			'/list-exports',
			{ campaignId: 'cmp_demo_hashtag', fileFormat: 'csv' },
		);
		await sb.advance(120_000);
		workflowId = await importWorkflow(home, downloadWorkflow(exportId));
	});

	afterAll(async () => {
		if (home) await removeN8nHome(home);
		await sb?.close();
	});

	test('the download works through the guarded stream', async () => {
		const run = await executeWorkflow(home, workflowId);
		const [item] = nodeOutput(run, 'Download Export');
		expect(item.json).toMatchObject({ mimeType: 'text/csv' });
		expect(Number(item.json.fileSize)).toBeGreaterThan(100);
	});

	test('a file host that sends the headers and 16 bytes, then nothing, fails the execution after 60 s with "download stalled"', async () => {
		await sandboxClient(sb).admin('POST', '/faults', {
			host: 'storage',
			path: '^/files/',
			kind: 'stall',
		});
		const started = Date.now();
		const run = await executeWorkflow(home, workflowId, { allowFailure: true, timeoutMs: 240_000 });
		const elapsed = Date.now() - started;
		expect(
			JSON.stringify(
				run.data.resultData.error ?? run.data.resultData.runData['Download Export']?.[0]?.error,
			),
		).toContain('download stalled: no data for 60 s');
		expect(elapsed).toBeGreaterThan(55_000);
		expect(elapsed).toBeLessThan(150_000);
		const stalled = (await sandboxClient(sb).requests({ host: 'storage' })).filter(
			(r) => (r as { fault?: string }).fault === 'stall:before',
		);
		expect(stalled).toHaveLength(1);
	});
});
