/** Helpers shared by test/queue/queue.test.ts and bench/queue.ts: the workflows, the execution
 *  records in PostgreSQL, and the sandbox's campaign reservations. */
import type { Sandbox } from '../../sandbox';
import type { LedgerEntry } from '../../sandbox/model/ledger';
import { httpRequest, waitFor, type WorkflowJson } from '../n8n';
import { loadExample } from '../n8n/scravio';
import { sandboxClient } from '../sandboxClient';
import { withWebhookTrigger, type Cluster } from './cluster';

export const ACCOUNT = 'acct_demo';
export const LEAD_PIPELINE_ID = 'qLeadPipeline';
export const LEAD_PIPELINE_PATH = 'scravio-lead-pipeline';

/** The lead-pipeline example, started by a production webhook (POST /webhook/scravio-lead-pipeline). */
export function leadPipelineWorkflow(): WorkflowJson {
	return withWebhookTrigger(loadExample('lead-pipeline'), LEAD_PIPELINE_PATH, {
		id: LEAD_PIPELINE_ID,
	});
}

export interface ExecRow {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished: boolean;
	retryOf: string | null;
}

/** The execution records in PostgreSQL, oldest first. */
export function executionRows(cluster: Cluster, workflowId?: string): ExecRow[] {
	const where = workflowId ? `WHERE "workflowId" = '${workflowId.replace(/'/g, "''")}'` : '';
	return cluster.postgres
		.query(
			`SELECT id, "workflowId", mode, status, finished, COALESCE("retryOf", '') FROM execution_entity ${where} ORDER BY id`,
		)
		.map(([id, wf, mode, status, finished, retryOf]) => ({
			id,
			workflowId: wf,
			mode,
			status,
			finished: finished === 't',
			retryOf: retryOf || null,
		}));
}

const FINAL = ['success', 'error', 'crashed', 'canceled'];

export async function waitForFinished(
	cluster: Cluster,
	workflowId: string,
	count: number,
	timeoutMs: number,
): Promise<ExecRow[]> {
	return await waitFor(
		async () => {
			const rows = executionRows(cluster, workflowId);
			return rows.length >= count && rows.every((r) => FINAL.includes(r.status)) ? rows : undefined;
		},
		timeoutMs,
		1000,
	);
}

/** The sandbox's campaign reservations of the demo account, oldest first (one per created campaign). */
export function reservations(sb: Sandbox): LedgerEntry[] {
	return sb.state.ledger
		.forAccount(ACCOUNT)
		.filter(
			(e) => e.type === 'reserve' && e.campaignId !== null && e.description.startsWith('Reserved '),
		);
}

export async function waitForExecution(
	cluster: Cluster,
	executionId: string,
	timeoutMs: number,
): Promise<ExecRow> {
	return await waitFor(
		async () =>
			executionRows(cluster).find((r) => r.id === executionId && FINAL.includes(r.status)),
		timeoutMs,
		1000,
	);
}

export async function postWebhook(
	cluster: Cluster,
	webhookPath: string,
	body: unknown = {},
): Promise<void> {
	const r = await httpRequest('POST', `${cluster.main.url}/webhook/${webhookPath}`, {
		body,
		timeoutMs: 120_000,
	});
	if (r.status !== 200)
		throw new Error(`POST /webhook/${webhookPath}: HTTP ${r.status}: ${r.body}`);
}

/** Lifts the demo account's concurrent-campaign limit and the per-hour export limit (load runs are about the queue). */
export async function liftSandboxLimits(sb: Sandbox): Promise<void> {
	const client = sandboxClient(sb);
	await client.patchAccount(ACCOUNT, { concurrentCampaignLimit: 10_000 });
	await client.patchConfig({ enforceRateLimits: false });
}

/** Main answers before its published workflows are live: wait until the webhook is registered. */
export async function waitForWebhook(
	cluster: Cluster,
	webhookPath: string,
	timeoutMs = 120_000,
): Promise<void> {
	await waitFor(async () => {
		const r = await httpRequest('GET', `${cluster.main.url}/webhook/${webhookPath}`);
		return /not registered for GET/i.test(r.body) || undefined;
	}, timeoutMs);
}
