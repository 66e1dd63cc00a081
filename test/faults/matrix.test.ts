/**
 * The fault matrix: every fault kind against every operation family, through n8n's engine
 * (harness/engine/) against the sandbox over real HTTP. Each cell MEASURES:
 *  - the outcome: ok at once, retried then ok, failed (with its error), or hung;
 *  - the charges: what the sandbox's own state says was created or reserved during the cell
 *    (ledger reservations + exports + validation jobs), never what the node claims;
 *  - leaks: the API key in the output, the error or the run data, or any credential header at
 *    the file host or at the other host a redirect points to; and, for the whole run, the API
 *    key in n8n's own log (debug level, to a file: ./log-capture.ts).
 * It asserts the invariants (at most one charge, no leak, nothing hangs, no error text that
 * invites running a charging request again), then WRITES the table: docs/fault-matrix.md and the
 * README's Reliability section between its markers.
 *
 * Waits are scaled down for the run (RETRY_POLICY is one object in this process): backoff 10 ms,
 * request timeout 3 s, download idle timeout 1.5 s, and a 429 without Retry-After waits 0 s
 * instead of 5 s. A 429 with Retry-After is honoured as sent (1 s). Each family has its own
 * sandbox, and the families run side by side.
 */
// First: n8n's logger goes to a file that the leak check reads.
import { N8N_LOG_FILE, restoreLogSettings } from './log-capture';
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import { promises as fs } from 'fs';
import type { AddressInfo } from 'net';
import path from 'path';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ScravioApi } from '../../credentials/ScravioApi.credentials';
import { Scravio } from '../../nodes/Scravio/Scravio.node';
import { RETRY_POLICY } from '../../nodes/transport';
import { ScravioTrigger } from '../../nodes/ScravioTrigger/ScravioTrigger.node';
import { PRESETS, startSandbox, type Sandbox } from '../../sandbox';
import { createEngine } from '../../harness/engine';
import { sandboxClient } from '../../harness/sandboxClient';

const engine = createEngine({ nodes: [Scravio, ScravioTrigger], credentialTypes: [ScravioApi] });
const SECRET = PRESETS.apiKeys.account;
const TOKEN = PRESETS.accessTokens.demo;
const ROOT = path.resolve(__dirname, '../..');
/** A cell that takes longer than this is cancelled and recorded as hung. */
const CELL_CAP_MS = 12_000;

type Policy = { -readonly [K in keyof typeof RETRY_POLICY]: number };
const policy = RETRY_POLICY as Policy;
const FAST: Partial<Policy> = {
	backoffBaseMs: 10,
	backoffMaxMs: 40,
	requestTimeoutMs: 3000,
	downloadIdleTimeoutMs: 1500,
	defaultRetryAfterSeconds: 0,
};
const saved: Partial<Policy> = {};

// ------------------------------------------------------------------------------------------
// Fault kinds
// ------------------------------------------------------------------------------------------

interface Target {
	method: string;
	/** Regex of the API path (or of the file host path when `host` is storage). */
	path: string;
	host?: 'api' | 'storage';
	/** For file-host targets: the API route that malformed bodies and redirects apply to. */
	apiPath?: string;
}

interface FaultKind {
	key: string;
	title: string;
	/** The scripted fault(s) for a target; `otherHost` is the URL of the foreign host. */
	specs(target: Target, otherHost: string): IDataObject[];
	/** The node's credential for the cell: the API key (default) or the access token. */
	auth?: 'apiKey' | 'accessToken';
}

const FAULTS: FaultKind[] = [
	{ key: 'none', title: 'No fault (control)', specs: () => [] },
	{
		key: '429ra',
		title: '429 storm, Retry-After: 1',
		specs: (t) => [{ ...sel(t), kind: 'rateLimit', retryAfter: 1, times: 2 }],
	},
	{
		key: '429',
		title: '429 storm, no Retry-After',
		specs: (t) => [{ ...sel(t), kind: 'status', status: 429, retryAfter: null, times: 3 }],
	},
	{
		key: '5xx',
		title: '5xx before processing',
		specs: (t) => [{ ...sel(t), kind: 'status', status: 503, times: 2 }],
	},
	{
		key: '5xxafter',
		title: '5xx after processing',
		specs: (t) => [{ ...sel(t), kind: 'status', status: 500, ...after(t) }],
	},
	{
		key: 'dropbefore',
		title: 'Connection dropped before processing',
		specs: (t) => [{ ...sel(t), kind: 'drop' }],
	},
	{
		key: 'dropafter',
		title: 'Connection dropped after processing',
		specs: (t) => [{ ...sel(t), kind: 'drop', ...after(t) }],
	},
	{
		key: 'malformed',
		title: 'Malformed body (after processing)',
		specs: (t) => [{ ...sel(t, 'api'), kind: 'malformed', ...after(t, 'api') }],
	},
	{
		key: 'stall',
		title: 'Stalled body (after processing)',
		specs: (t) => [{ ...sel(t), kind: 'stall', ...after(t) }],
	},
	{
		key: 'slow',
		title: 'Slow server (answers after the timeout)',
		specs: (t) => [{ ...sel(t), kind: 'latency', latencyMs: 4500, ...after(t) }],
	},
	{
		key: 'redirect',
		title: '302 to another host',
		specs: (t, other) => [
			{
				...sel(t, 'api'),
				kind: 'status',
				status: 302,
				location: `${other}/api/elsewhere`,
				times: 4,
			},
		],
	},
	{
		key: 'redirectToken',
		title: '302 to another host, access token',
		auth: 'accessToken',
		specs: (t, other) => [
			{
				...sel(t, 'api'),
				kind: 'status',
				status: 302,
				location: `${other}/api/elsewhere`,
				times: 4,
			},
		],
	},
];

/** The fault selector of a target; `force` puts file-host faults on the API route instead. */
function sel(target: Target, force?: 'api'): IDataObject {
	const onStorage = target.host === 'storage' && force !== 'api';
	return onStorage
		? { host: 'storage', path: target.path }
		: { method: target.method, path: target.apiPath ?? target.path };
}

/** "after processing": the file host has no "after"; there the fault replaces the file. */
function after(target: Target, force?: 'api'): IDataObject {
	return target.host === 'storage' && force !== 'api' ? {} : { when: 'after' };
}

// ------------------------------------------------------------------------------------------
// Operation families
// ------------------------------------------------------------------------------------------

interface FamilyContext {
	sandbox: Sandbox;
	api<T = IDataObject>(method: string, path: string, body?: unknown): Promise<T>;
	admin<T = IDataObject>(method: string, path: string, body?: unknown): Promise<T>;
	/** A number unique to the cell, for inputs that must differ between cells. */
	cell: number;
}

interface Family {
	key: string;
	title: string;
	charging: boolean;
	target: Target;
	/** Prepares what the cell needs (before the fault is set); returns the node parameters. */
	prepare(ctx: FamilyContext): Promise<INodeParameters>;
	/** Runs the family's operation: the Scravio node, or a trigger poll. */
	kind?: 'node' | 'poll';
}

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

async function completedCampaign(ctx: FamilyContext): Promise<string> {
	const { campaign } = await ctx.api<{ campaign: { id: string } }>('POST', '/campaigns', {
		type: 'INSTAGRAM_HASHTAG',
		inputs: { hashtags: [`matrix${ctx.cell}`] },
		targetEmails: 10,
	});
	await ctx.admin('POST', `/campaigns/${campaign.id}/outcome`, { status: 'fully_completed' });
	return campaign.id;
}

const FAMILIES: Family[] = [
	{
		key: 'get',
		title: 'Read: Campaign → Get',
		charging: false,
		target: { method: 'GET', path: '^/api/campaigns/cmp_demo_hashtag$' },
		prepare: async () => ({
			resource: 'campaign',
			operation: 'get',
			campaignId: byId('cmp_demo_hashtag'),
		}),
	},
	{
		key: 'getMany',
		title: 'Read: Campaign → Get Many (Limit 5)',
		charging: false,
		target: { method: 'GET', path: '^/api/campaigns$' },
		prepare: async () => ({ resource: 'campaign', operation: 'getMany', limit: 5 }),
	},
	{
		key: 'paginate',
		title: 'Read: Lead → Get Many, Return All (pages)',
		charging: false,
		target: { method: 'GET', path: '^/api/campaigns/cmp_demo_hashtag/leads$' },
		prepare: async () => ({
			resource: 'lead',
			operation: 'getMany',
			campaignId: byId('cmp_demo_hashtag'),
			returnAll: true,
		}),
	},
	{
		key: 'campaignCreate',
		title: 'Charging: Campaign → Create',
		charging: true,
		target: { method: 'POST', path: '^/api/campaigns$' },
		prepare: async (ctx) => ({
			resource: 'campaign',
			operation: 'create',
			campaignType: 'INSTAGRAM_HASHTAG',
			hashtags: `matrixCreate${ctx.cell}`,
			targetEmails: 10,
		}),
	},
	{
		key: 'campaignValidate',
		title: 'Charging: Campaign → Validate',
		charging: true,
		target: { method: 'POST', path: '^/api/campaigns/[^/]+/validate$' },
		prepare: async (ctx) => ({
			resource: 'campaign',
			operation: 'validate',
			campaignId: byId(await completedCampaign(ctx)),
		}),
	},
	{
		key: 'exportCreate',
		title: 'Charging: Export → Create',
		charging: true,
		target: { method: 'POST', path: '^/api/list-exports$' },
		prepare: async (ctx) => ({
			resource: 'export',
			operation: 'create',
			campaignId: byId('cmp_demo_hashtag'),
			fileFormat: 'csv',
			options: {
				scrapedAfter: new Date(Date.UTC(2020, 0, 1) + ctx.cell * 86_400_000)
					.toISOString()
					.slice(0, 19),
			},
		}),
	},
	{
		key: 'validationJobCreate',
		title: 'Charging: Validation Job → Create',
		charging: true,
		target: { method: 'POST', path: '^/api/validation-jobs/text$' },
		prepare: async (ctx) => ({
			resource: 'validationJob',
			operation: 'create',
			emails: `matrix${ctx.cell}@example.com\nother${ctx.cell}@example.org`,
		}),
	},
	{
		key: 'stop',
		title: 'Campaign → Stop (idempotent POST)',
		charging: false,
		target: { method: 'POST', path: '^/api/campaigns/[^/]+/stop$' },
		prepare: async (ctx) => {
			const { campaign } = await ctx.api<{ campaign: { id: string } }>('POST', '/campaigns', {
				type: 'INSTAGRAM_HASHTAG',
				inputs: { hashtags: [`matrixStop${ctx.cell}`] },
				targetEmails: 5000,
			});
			return { resource: 'campaign', operation: 'stop', campaignId: byId(campaign.id) };
		},
	},
	{
		key: 'download',
		title: 'Download: Export → Download (file host)',
		charging: false,
		target: {
			method: 'GET',
			path: '^/files/',
			host: 'storage',
			apiPath: '^/api/list-exports/[^/]+/download$',
		},
		prepare: async (ctx) => {
			const { data } = await ctx.api<{ data: { exportId: string } }>('POST', '/list-exports', {
				campaignId: 'cmp_demo_hashtag',
				fileFormat: 'csv',
				dateRange: { from: '2019-01-01' },
			});
			await ctx.sandbox.advance(120_000);
			return { resource: 'export', operation: 'download', exportId: byId(data.exportId) };
		},
	},
	{
		key: 'poll',
		title: 'Trigger poll: Campaign Finished',
		charging: false,
		kind: 'poll',
		target: { method: 'GET', path: '^/api/campaigns$' },
		prepare: async () => ({ event: 'campaignFinished' }),
	},
];

// ------------------------------------------------------------------------------------------
// Measuring one cell
// ------------------------------------------------------------------------------------------

interface Cell {
	family: string;
	fault: string;
	outcome: 'ok' | 'retried' | 'failed' | 'hung';
	/** Requests that reached the faulted route. */
	attempts: number;
	/** Requests beyond what the control cell (no fault) needed: the retries. */
	retries: number;
	charging: boolean;
	charges: number;
	leaks: string[];
	error?: string;
	errorText?: string;
}

interface OtherHost {
	url: string;
	seen: IncomingHttpHeaders[];
	server: Server;
}

async function otherHost(): Promise<OtherHost> {
	const seen: IncomingHttpHeaders[] = [];
	const server = createServer((request, response) => {
		seen.push(request.headers);
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(
			JSON.stringify({
				success: true,
				campaign: { id: 'cmp_other' },
				items: [],
				pagination: { totalPages: 1 },
			}),
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

function chargesOf(sandbox: Sandbox): number {
	const state = sandbox.state;
	const reserves = [...state.accounts.keys()].reduce(
		(n, id) => n + state.ledger.forAccount(id).filter((e) => e.type === 'reserve').length,
		0,
	);
	return reserves + state.exports.size + state.validationJobs.size;
}

async function runFamily(family: Family): Promise<Cell[]> {
	const sandbox = await startSandbox({
		port: 0,
		quiet: true,
		clockSpeed: 0,
		enforceRateLimits: false,
	});
	const other = await otherHost();
	const client = sandboxClient(sandbox, { apiKey: SECRET });
	const byAuth = {
		apiKey: {
			scravioApi: {
				authentication: 'apiKey',
				apiKey: SECRET,
				baseUrl: sandbox.apiUrl,
				workspaceId: '',
			},
		},
		accessToken: {
			scravioApi: {
				authentication: 'accessToken',
				accessToken: TOKEN,
				baseUrl: sandbox.apiUrl,
				workspaceId: '',
			},
		},
	};
	const cells: Cell[] = [];
	let cellNumber = 0;
	let staticData: IDataObject = {};
	let controlAttempts = 0;
	try {
		await client.patchAccount(PRESETS.accounts.demo.id, { concurrentCampaignLimit: 100_000 });
		for (const fault of FAULTS) {
			const ctx: FamilyContext = {
				sandbox,
				cell: ++cellNumber + FAMILIES.indexOf(family) * 100,
				api: async <T>(method: string, p: string, body?: unknown) =>
					((await client.api<T>(method, p, body)) ?? {}) as T,
				admin: async <T>(method: string, p: string, body?: unknown) =>
					((await client.admin<T>(method, p, body)) ?? {}) as T,
			};
			const parameters = await family.prepare(ctx);
			const credentials = byAuth[fault.auth ?? 'apiKey'];
			if (family.kind === 'poll') {
				// A trigger with its baseline taken, and a campaign that finished since, to emit.
				staticData = {};
				await pollOnce(parameters, credentials, staticData);
				await completedCampaign(ctx);
			}
			await ctx.admin('DELETE', '/requests');
			other.seen.length = 0;
			for (const spec of fault.specs(family.target, other.url))
				await ctx.admin('POST', '/faults', spec);
			const chargesBefore = chargesOf(sandbox);

			const controller = new AbortController();
			const cap = setTimeout(() => controller.abort(), CELL_CAP_MS);
			let hung = false;
			controller.signal.addEventListener('abort', () => (hung = true));
			let error: { message: string; description?: string | null } | undefined;
			let output = '';
			try {
				if (family.kind === 'poll') {
					const polled = await Promise.race([
						pollOnce(parameters, credentials, staticData),
						new Promise<never>((_, reject) =>
							controller.signal.addEventListener('abort', () => reject(new Error('hung'))),
						),
					]);
					output = JSON.stringify(polled);
				} else {
					const result = await engine.runNode({
						type: 'scravio',
						parameters,
						credentials,
						signal: controller.signal,
					});
					output = JSON.stringify(result.outputs) + JSON.stringify(result.run.data);
					if (result.error) error = result.error;
				}
			} catch (caught) {
				error = caught as Error & { description?: string };
				output = JSON.stringify(caught) + String((caught as Error).stack);
			} finally {
				clearTimeout(cap);
			}

			const log = (
				await ctx.admin<{
					requests: Array<{
						host: string;
						method: string;
						path: string;
						apiKey: string;
						authorization: string;
						fault?: string;
					}>;
				}>('GET', '/requests')
			).requests;
			const onTarget = log.filter((r) =>
				family.target.host === 'storage' &&
				!['malformed', 'redirect', 'redirectToken'].includes(fault.key)
					? r.host === 'storage'
					: r.host === 'api' &&
						r.method === family.target.method &&
						new RegExp(family.target.apiPath ?? family.target.path).test(r.path),
			);
			const leaks: string[] = [];
			const errorText = error ? `${error.message} ${error.description ?? ''}` : '';
			if ([SECRET, TOKEN].some((secret) => output.includes(secret) || errorText.includes(secret)))
				leaks.push('secret in output or error');
			if (
				log.some(
					(r) => r.host === 'storage' && (r.apiKey !== 'absent' || r.authorization !== 'absent'),
				)
			)
				leaks.push('credential at the file host');
			if (other.seen.some((h) => h['x-api-key'] !== undefined || h.authorization !== undefined))
				leaks.push('credential at the other host');
			await ctx.admin('DELETE', '/faults');
			if (fault.key === 'none') controlAttempts = onTarget.length;
			const retries = Math.max(0, onTarget.length - controlAttempts);
			cells.push({
				family: family.key,
				fault: fault.key,
				outcome: hung ? 'hung' : error ? 'failed' : retries > 0 ? 'retried' : 'ok',
				attempts: onTarget.length,
				retries,
				charging: family.charging,
				charges: chargesOf(sandbox) - chargesBefore,
				leaks,
				error: error?.message,
				errorText,
			});
		}
	} finally {
		await sandbox.close();
		await new Promise((resolve) => other.server.close(resolve));
	}
	return cells;
}

async function pollOnce(
	parameters: INodeParameters,
	credentials: IDataObject,
	staticData: IDataObject,
) {
	const result = await engine.poll({
		type: 'scravioTrigger',
		name: 'Scravio Trigger',
		parameters,
		credentials: credentials as never,
		staticData,
	});
	return result.items;
}

// ------------------------------------------------------------------------------------------
// The table
// ------------------------------------------------------------------------------------------

const START = '<!-- fault-matrix:start (generated by test/faults/matrix.test.ts; do not edit) -->';
const END = '<!-- fault-matrix:end -->';

function cellText(cell: Cell): string {
	const retried = `${cell.retries} ${cell.retries === 1 ? 'retry' : 'retries'}`;
	const outcome = {
		ok: 'ok',
		retried: `ok after ${retried}`,
		failed: cell.retries > 0 ? `failed after ${retried}` : 'failed, not retried',
		hung: '**HUNG**',
	}[cell.outcome];
	const charge =
		cell.charging || cell.charges > 0
			? ` · ${cell.charges} charge${cell.charges === 1 ? '' : 's'}`
			: '';
	const leak = cell.leaks.length ? ` · **LEAK: ${cell.leaks.join(', ')}**` : '';
	return `${outcome}${charge}${leak}`;
}

function table(cells: Cell[]): string {
	const lines = [
		`| Family | ${FAULTS.map((f) => f.title).join(' | ')} |`,
		`|---|${FAULTS.map(() => '---').join('|')}|`,
	];
	for (const family of FAMILIES) {
		const row = FAULTS.map((fault) =>
			cellText(cells.find((c) => c.family === family.key && c.fault === fault.key)!),
		);
		lines.push(`| ${family.title} | ${row.join(' | ')} |`);
	}
	return lines.join('\n');
}

function errorsTable(cells: Cell[]): string {
	const seen = new Map<string, string[]>();
	for (const cell of cells.filter((c) => c.error)) {
		const family = FAMILIES.find((f) => f.key === cell.family)!.title;
		const fault = FAULTS.find((f) => f.key === cell.fault)!.title;
		const key = cell
			.error!.replace(/cmp_[a-z0-9_]+/gi, 'cmp_…')
			.replace(/exp_[a-z0-9]+/gi, 'exp_…');
		seen.set(key, [...(seen.get(key) ?? []), `${family} / ${fault}`]);
	}
	return [...seen.entries()]
		.map(
			([message, where]) => `- "${message}" — ${where.length} cell${where.length > 1 ? 's' : ''}`,
		)
		.join('\n');
}

// ------------------------------------------------------------------------------------------

describe('the fault matrix', () => {
	let cells: Cell[] = [];

	beforeAll(async () => {
		for (const [key, value] of Object.entries(FAST) as Array<[keyof Policy, number]>) {
			saved[key] = policy[key];
			policy[key] = value;
		}
		cells = (await Promise.all(FAMILIES.map(runFamily))).flat();
	}, 300_000);

	afterAll(() => {
		Object.assign(policy, saved);
		restoreLogSettings();
	});

	it('has a measured cell for every fault kind and every operation family', () => {
		expect(cells).toHaveLength(FAULTS.length * FAMILIES.length);
		// The control column: every family works without a fault; a charging one charges once.
		for (const family of FAMILIES) {
			const control = cells.find((c) => c.family === family.key && c.fault === 'none')!;
			expect([family.key, control.outcome, control.error]).toEqual([family.key, 'ok', undefined]);
			expect([family.key, control.charges]).toEqual([family.key, family.charging ? 1 : 0]);
		}
	});

	it('never charges twice', () => {
		const over = cells.filter((c) => c.charges > 1);
		expect(over).toEqual([]);
	});

	it('never leaks a secret or sends a credential to another host', () => {
		expect(cells.filter((c) => c.leaks.length > 0)).toEqual([]);
	});

	it("never writes the secret to n8n's log (which did record the run's errors)", async () => {
		const log = await fs.readFile(N8N_LOG_FILE, 'utf8').catch(() => '');
		expect(log).toMatch(/No answer from Scravio/); // the run's node errors are in it
		expect(log.includes(SECRET)).toBe(false);
		expect(log.includes(TOKEN)).toBe(false);
		await fs.rm(N8N_LOG_FILE, { force: true });
	});

	it('never hangs', () => {
		expect(cells.filter((c) => c.outcome === 'hung')).toEqual([]);
	});

	it('never invites running a charging request again after an unknown outcome', () => {
		const invitation = /retry the request|you can retry|retry later|try again|Retry on Fail/i;
		const charging = new Set(FAMILIES.filter((f) => f.charging).map((f) => f.key));
		expect(
			cells
				.filter((c) => charging.has(c.family) && invitation.test(c.errorText ?? ''))
				.map((c) => [c.family, c.fault, c.errorText]),
		).toEqual([]);
	});

	it('writes the table to docs/fault-matrix.md and the README', async () => {
		const body = [
			START,
			'',
			`${FAMILIES.length} operation families × ${FAULTS.length} fault kinds, each run through n8n's engine against the sandbox by`,
			'[`test/faults/matrix.test.ts`](test/faults/matrix.test.ts), which writes this table and fails when a cell charges twice, leaks,',
			'or hangs. "charge" = what the sandbox recorded as created or reserved during the cell (ledger reservations, exports,',
			'validation jobs); "retries" = requests to the faulted route beyond what the same operation sent without a fault. Every cell:',
			'no secret in outputs, errors or run data,',
			'no credential at the file host or at the host a redirect names. Downloads: the faults hit the file host (where "after',
			'processing" means the file answer itself), except malformed bodies and redirects, which hit the download-link route.',
			'Waits are scaled down for the run (backoff 10 ms, request timeout 3 s, idle timeout 1.5 s, a 429 without Retry-After',
			'waits 0 s); what is retried and how often does not depend on them. The slow server answers after the request timeout.',
			'',
			table(cells),
			'',
			'Errors seen (message, and in how many cells):',
			'',
			errorsTable(cells),
			'',
			END,
		].join('\n');
		await fs.mkdir(path.join(ROOT, 'docs'), { recursive: true });
		await fs.writeFile(
			path.join(ROOT, 'docs/fault-matrix.md'),
			`# Fault matrix\n\n${body.replace(/\(test\/faults/g, '(../test/faults')}\n`,
		);
		const readmePath = path.join(ROOT, 'README.md');
		const readme = await fs.readFile(readmePath, 'utf8');
		const start = readme.indexOf(START.slice(0, 30));
		const end = readme.indexOf(END);
		expect(start).toBeGreaterThanOrEqual(0);
		expect(end).toBeGreaterThan(start);
		await fs.writeFile(readmePath, readme.slice(0, start) + body + readme.slice(end + END.length));
		expect(await fs.readFile(readmePath, 'utf8')).toContain(table(cells));
	});
});
