/**
 * Benchmark 1: Return All leads of one campaign, three ways, in one process, against the same
 * sandbox (a child process) and with the same page size (100, the API's cap):
 *  (a) our node's lead getMany with Return All, through n8n's engine (harness/engine/),
 *      as shipped (PAGINATION_DEFAULTS.returnAllConcurrency pages in flight, order kept); also
 *      with k = 1 (sequential) and k = 2 pages in flight, to show what concurrency buys;
 *  (b) a plain loop of fetch() requests over the same pages: the floor;
 *  (c) n8n's HTTP Request node (n8n-nodes-base 2.40.x, from the e2e cache install) with its
 *      pagination option "Update a Parameter in Each Request", followed by n8n's Split Out node
 *      to get one item per lead like (a) gives. (c-http) is the HTTP Request node alone
 *      (1 item per page), reported so the Split Out cost is visible.
 * Variants run interleaved (a, b, c, ...) in every round, so drift on the shared machine hits
 * them alike. Every variant must return the same number of leads, first and last id.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

import type { INode, INodeExecutionData } from 'n8n-workflow';

import { PAGINATION_DEFAULTS } from '../nodes/transport/pagination';
import { createEngine } from '../harness/engine';
import { measure, summarize, type Measured, type Summary } from './lib/measure';
import {
	loadHttpRequestNode,
	loadSplitOutNode,
	sharedWorkflowInstance,
} from './lib/n8n-nodes-base';
import { Scravio, ScravioApi } from './lib/nodes';
import {
	API_KEY,
	WS_LARGE,
	api,
	clearRequestLog,
	countRequests,
	startSandboxProcess,
	type SandboxProcess,
} from './lib/sandbox';

export const PAGE_SIZE = 100;

export interface VariantResult {
	id: string;
	label: string;
	ms: Summary;
	heapDeltaMB: Summary;
	rssDeltaMB: Summary;
	requests: number;
	items: number;
	/** Output items of the workflow's last node (for c-http: pages). */
	outputItems: number;
	/** CPU time of the bench process (client, engine, nodes) during the run, ms. */
	clientCpuMs: Summary;
	/** CPU time of the sandbox child process during the run, ms (Linux /proc; NaN elsewhere). */
	serverCpuMs: Summary;
	runs: Array<{ ms: number; heapDelta: number; rssDelta: number }>;
}

export interface ReturnAllResult {
	campaignId: string;
	leads: number;
	pageSize: number;
	/** Pages in flight of our node's Return All by default (PAGINATION_DEFAULTS). */
	defaultConcurrency: number;
	nodesBaseVersion: string;
	sharedN8nWorkflow: boolean;
	variants: VariantResult[];
	ratios: Record<string, Summary>;
	/** Ratios of client + server CPU time per round: what the wall time costs the machine, robust to load. */
	cpuRatios: Record<string, Summary>;
	/** 1-, 5- and 15-minute load averages before and after the runs (2 cores: above 2 means queued work). */
	loadBefore: number[];
	loadAfter: number[];
	/** Added by `--merge` (when and how the section was rerun) and by hand (analysis). */
	notes?: string[];
}

/** utime + stime of a process in ms, from /proc (clock ticks of 10 ms). NaN when unreadable. */
function processCpuMs(pid: number): number {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return Number.NaN;
	}
}

interface Outcome {
	/** Leads, in output order (ids only, to compare order). */
	firstId: string;
	lastId: string;
	items: number;
	outputItems: number;
	/** Keeps the output referenced until measured. */
	hold: unknown;
}

function leadIds(items: Array<{ id?: unknown }>): { firstId: string; lastId: string } {
	return { firstId: String(items[0]?.id ?? ''), lastId: String(items[items.length - 1]?.id ?? '') };
}

export async function runReturnAll(opts: {
	quick: boolean;
	runs: number;
	warmups: number;
	concurrency: number[];
	log: (line: string) => void;
}): Promise<ReturnAllResult> {
	const { log } = opts;
	const { node: httpRequest, nodesBaseVersion } = loadHttpRequestNode();
	const splitOut = loadSplitOutNode();
	const shared = sharedWorkflowInstance();
	if (!shared) throw new Error('n8n-nodes-base sees another n8n-workflow instance than the engine');
	const engine = createEngine({
		nodes: [Scravio, httpRequest, splitOut],
		credentialTypes: [ScravioApi],
	});

	const sandbox: SandboxProcess = await startSandboxProcess({ largeData: true });
	try {
		const campaignId = opts.quick ? await pickSmallCampaign(sandbox) : 'cmp_large_100k';
		const leadsUrl = `${sandbox.apiUrl}/campaigns/${campaignId}/leads`;
		const credentials = {
			scravioApi: {
				authentication: 'apiKey',
				apiKey: API_KEY,
				baseUrl: sandbox.apiUrl,
				workspaceId: WS_LARGE,
			},
		};
		const { pagination } = await api<{ pagination: { totalCount: number; totalPages: number } }>(
			sandbox,
			'GET',
			`/campaigns/${campaignId}/leads?page=1&perPage=${PAGE_SIZE}`,
		);
		const leads = pagination.totalCount;
		log(
			`  campaign ${campaignId}: ${leads.toLocaleString('en-US')} leads, ${pagination.totalPages} pages of ${PAGE_SIZE}`,
		);

		const defaultConcurrency = PAGINATION_DEFAULTS.returnAllConcurrency;
		const ours = (concurrency: number | undefined) => async (): Promise<Outcome> => {
			PAGINATION_DEFAULTS.returnAllConcurrency = concurrency ?? defaultConcurrency;
			try {
				const { outputs, error } = await engine.runNode({
					type: 'scravio',
					parameters: {
						resource: 'lead',
						operation: 'getMany',
						campaignId: { __rl: true, mode: 'id', value: campaignId },
						returnAll: true,
					},
					credentials,
				});
				if (error) throw error;
				const items = outputs[0].map((item) => item.json);
				return { ...leadIds(items), items: items.length, outputItems: items.length, hold: outputs };
			} finally {
				PAGINATION_DEFAULTS.returnAllConcurrency = defaultConcurrency;
			}
		};

		const plainFetch = async (): Promise<Outcome> => {
			const headers = {
				'X-API-Key': API_KEY,
				'X-Workspace-Id': WS_LARGE,
				Accept: 'application/json',
			};
			const all: Array<{ id?: unknown }> = [];
			for (let page = 1; ; page++) {
				const response = await fetch(`${leadsUrl}?page=${page}&perPage=${PAGE_SIZE}`, { headers });
				if (!response.ok) throw new Error(`page ${page} answered ${response.status}`);
				const body = (await response.json()) as {
					items: Array<{ id?: unknown }>;
					pagination: { totalPages: number };
				};
				for (const item of body.items) all.push(item);
				if (body.items.length < PAGE_SIZE || page >= body.pagination.totalPages) break;
			}
			return { ...leadIds(all), items: all.length, outputItems: all.length, hold: all };
		};

		const httpNode: INode = {
			id: 'http',
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [200, 0],
			parameters: {
				url: leadsUrl,
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'perPage', value: String(PAGE_SIZE) }] },
				sendHeaders: true,
				headerParameters: {
					parameters: [
						{ name: 'X-API-Key', value: API_KEY },
						{ name: 'X-Workspace-Id', value: WS_LARGE },
					],
				},
				options: {
					pagination: {
						pagination: {
							paginationMode: 'updateAParameterInEachRequest',
							parameters: {
								parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }],
							},
							paginationCompleteWhen: 'other',
							completeExpression:
								'={{ $response.body.pagination.currentPage >= $response.body.pagination.totalPages }}',
							limitPagesFetched: true,
							maxRequests: pagination.totalPages + 5,
						},
					},
				},
			},
		};
		const start: INode = {
			id: 'start',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const split: INode = {
			id: 'split',
			name: 'Split Out',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [400, 0],
			parameters: { fieldToSplitOut: 'items' },
		};

		const httpRequestNode = (withSplit: boolean) => async (): Promise<Outcome> => {
			const run = await engine.runWorkflow({
				nodes: withSplit ? [start, httpNode, split] : [start, httpNode],
				connections: {
					Start: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] },
					...(withSplit
						? { 'HTTP Request': { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] } }
						: {}),
				},
			});
			const { runData, error } = run.data.resultData;
			if (error) throw error;
			const pages = runData['HTTP Request']?.[0]?.data?.main[0] ?? [];
			if (withSplit) {
				const items = (runData['Split Out']?.[0]?.data?.main[0] ?? []) as INodeExecutionData[];
				return {
					...leadIds(items.map((i) => i.json)),
					items: items.length,
					outputItems: items.length,
					hold: run,
				};
			}
			const all = pages.flatMap((page) => (page.json.items ?? []) as Array<{ id?: unknown }>);
			return { ...leadIds(all), items: all.length, outputItems: pages.length, hold: run };
		};

		const variants: Array<{ id: string; label: string; run: () => Promise<Outcome> }> = [
			{
				id: 'a',
				label: `(a) Scravio node, lead getMany, Return All (engine), default: ${defaultConcurrency} pages in flight`,
				run: ours(undefined),
			},
			...opts.concurrency.map((k) => ({
				id: `a${k}`,
				label: `(a, k=${k}) same, ${k === 1 ? 'sequential' : `${k} pages in flight`}`,
				run: ours(k),
			})),
			{ id: 'b', label: '(b) plain fetch loop (floor)', run: plainFetch },
			{
				id: 'c',
				label: '(c) HTTP Request node + pagination, then Split Out',
				run: httpRequestNode(true),
			},
			{
				id: 'c-http',
				label: '(c-http) HTTP Request node + pagination alone (1 item per page)',
				run: httpRequestNode(false),
			},
		];

		const runs = new Map<string, Array<Measured<Outcome>>>(variants.map((v) => [v.id, []]));
		const cpu = new Map<string, Array<{ client: number; server: number }>>(
			variants.map((v) => [v.id, []]),
		);
		const loadBefore = os.loadavg();
		const requests = new Map<string, number>();
		let reference: Outcome | undefined;
		for (let round = 0; round < opts.warmups + opts.runs; round++) {
			const warm = round < opts.warmups;
			for (const variant of variants) {
				await clearRequestLog(sandbox);
				let used = { client: 0, server: 0 };
				const measured = await measure(async () => {
					const client0 = process.cpuUsage();
					const server0 = processCpuMs(sandbox.pid);
					const result = await variant.run();
					const client = process.cpuUsage(client0);
					used = {
						client: (client.user + client.system) / 1000,
						server: processCpuMs(sandbox.pid) - server0,
					};
					return result;
				});
				const sent = await countRequests(sandbox, 'api');
				const { hold: _hold, ...outcome } = measured.result;
				measured.result = { ...outcome, hold: undefined };
				reference ??= measured.result;
				if (
					outcome.items !== leads ||
					outcome.firstId !== reference.firstId ||
					outcome.lastId !== reference.lastId
				) {
					throw new Error(
						`${variant.label} returned ${outcome.items} leads (${outcome.firstId}..${outcome.lastId}), expected ${leads} (${reference.firstId}..${reference.lastId})`,
					);
				}
				requests.set(variant.id, sent);
				if (!warm) {
					runs.get(variant.id)!.push(measured);
					cpu.get(variant.id)!.push(used);
				}
				log(
					`  ${warm ? 'warm-up' : `run ${round - opts.warmups + 1}`} ${variant.id.padEnd(6)} ${measured.ms.toFixed(0).padStart(6)} ms  cpu client ${used.client.toFixed(0)} ms server ${used.server.toFixed(0)} ms  heap +${(measured.heapDelta / 1048576).toFixed(0)} MB  rss +${(measured.rssDelta / 1048576).toFixed(0)} MB  ${sent} requests  load ${os.loadavg()[0].toFixed(1)}`,
				);
			}
		}

		const results: VariantResult[] = variants.map((variant) => {
			const list = runs.get(variant.id)!;
			return {
				id: variant.id,
				label: variant.label,
				ms: summarize(list.map((m) => m.ms)),
				heapDeltaMB: summarize(list.map((m) => m.heapDelta / 1048576)),
				rssDeltaMB: summarize(list.map((m) => m.rssDelta / 1048576)),
				requests: requests.get(variant.id) ?? 0,
				items: list[0]?.result.items ?? 0,
				outputItems: list[0]?.result.outputItems ?? 0,
				clientCpuMs: summarize(cpu.get(variant.id)!.map((c) => c.client)),
				serverCpuMs: summarize(cpu.get(variant.id)!.map((c) => c.server)),
				runs: list.map((m) => ({ ms: m.ms, heapDelta: m.heapDelta, rssDelta: m.rssDelta })),
			};
		});
		// Ratios per round (same round = same machine conditions), then their median and spread.
		const ratio = (x: string, y: string) =>
			summarize(runs.get(x)!.map((m, i) => m.ms / runs.get(y)![i].ms));
		const ratios: Record<string, Summary> = {
			'a/b': ratio('a', 'b'),
			'a/c': ratio('a', 'c'),
			'a/c-http': ratio('a', 'c-http'),
		};
		for (const k of opts.concurrency) {
			ratios[`a${k}/b`] = ratio(`a${k}`, 'b');
			ratios[`a${k}/c`] = ratio(`a${k}`, 'c');
			ratios[`a/a${k}`] = ratio('a', `a${k}`);
		}
		const total = (id: string) => cpu.get(id)!.map((c) => c.client + c.server);
		const cpuRatio = (x: string, y: string) => summarize(total(x).map((t, i) => t / total(y)[i]));
		const cpuRatios: Record<string, Summary> = {
			'a/b': cpuRatio('a', 'b'),
			'a/c': cpuRatio('a', 'c'),
		};
		return {
			campaignId,
			leads,
			pageSize: PAGE_SIZE,
			defaultConcurrency,
			nodesBaseVersion,
			sharedN8nWorkflow: shared,
			variants: results,
			ratios,
			cpuRatios,
			loadBefore,
			loadAfter: os.loadavg(),
		};
	} finally {
		await sandbox.close();
	}
}

/** Quick mode: a ws_large campaign with a few pages of leads. */
async function pickSmallCampaign(sandbox: SandboxProcess): Promise<string> {
	for (let n = 1; n <= 200; n++) {
		const id = `cmp_large_${String(n).padStart(5, '0')}`;
		const { pagination } = await api<{ pagination: { totalCount: number } }>(
			sandbox,
			'GET',
			`/campaigns/${id}/leads?page=1&perPage=1`,
		);
		if (pagination.totalCount >= 800) return id;
	}
	return 'cmp_large_00002';
}
