/**
 * Loads nodes of n8n's own node package (n8n-nodes-base) from the n8n install that the e2e tests
 * keep OUTSIDE this repository (harness/n8n/install-n8n.sh, cache ~/.cache/n8n-nodes-scravio/n8n-2.40.7),
 * so that n8n-nodes-base never becomes a dependency of this package.
 *
 * Two copies of n8n-workflow: the cache install has its own (2.40.1), and our engine harness uses
 * the repository's (also 2.40.1). A node class from the cache would otherwise `require` the cache
 * copy, and then errors it throws (`instanceof NodeApiError`), `NodeConnectionTypes` and the
 * expression classes would belong to a different module instance than the ones n8n-core (ours)
 * checks against. So, in this benchmark process only, a Module._resolveFilename hook resolves
 * `n8n-workflow` (and `n8n-core`) to the repository's copy when the request comes from a file
 * inside the cache install. Same version, one instance. Everything else (lodash, form-data,
 * @n8n/utils...) is still resolved inside the cache install.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';

import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

// Node classes are loaded with require() by a path computed at run time (the cache install), after
// the resolution hook below is in place; `require('n8n-workflow')` compares module instances.
/* eslint-disable @typescript-eslint/no-require-imports */

const ROOT = path.resolve(__dirname, '..', '..');
export const N8N_VERSION = '2.40.7';
const CACHE =
	process.env.SCRAVIO_N8N_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-scravio');
export const N8N_INSTALL = path.join(CACHE, `n8n-${N8N_VERSION}`);
const NODES_BASE = path.join(N8N_INSTALL, 'node_modules', 'n8n-nodes-base');
const MARKER = path.join(N8N_INSTALL, '.scravio-install-complete');

/** Packages that must be ONE instance shared with our engine. */
const SHARED = ['n8n-workflow', 'n8n-core'];

let hooked = false;

function hookResolution(): void {
	if (hooked) return;
	hooked = true;
	const ours = new Map(SHARED.map((name) => [name, require.resolve(name, { paths: [ROOT] })]));
	type Resolve = (request: string, parent: NodeModule | undefined, ...rest: unknown[]) => string;
	const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
	const original = moduleWithResolve._resolveFilename;
	moduleWithResolve._resolveFilename = function (request, parent, ...rest) {
		if (ours.has(request) && parent?.filename?.startsWith(N8N_INSTALL)) return ours.get(request)!;
		return original.call(this, request, parent, ...rest);
	};
}

/** Runs harness/n8n/install-n8n.sh 2 when the cache install is missing (idempotent, ~10 min the first time). */
export function ensureN8nInstalled(log: (line: string) => void = console.log): void {
	if (existsSync(MARKER) && existsSync(NODES_BASE)) return;
	log(
		`n8n ${N8N_VERSION} is not in ${N8N_INSTALL}: running harness/n8n/install-n8n.sh 2 (once, several minutes)`,
	);
	execFileSync('bash', [path.join(ROOT, 'harness/n8n/install-n8n.sh'), '2'], { stdio: 'inherit' });
}

function version(): string {
	return (require(path.join(NODES_BASE, 'package.json')) as { version: string }).version;
}

/** n8n's HTTP Request node (all versions), as n8n 2.40.7 ships it. */
export function loadHttpRequestNode(): { node: IVersionedNodeType; nodesBaseVersion: string } {
	ensureN8nInstalled();
	hookResolution();
	const { HttpRequest } = require(
		path.join(NODES_BASE, 'dist/nodes/HttpRequest/HttpRequest.node.js'),
	) as {
		HttpRequest: new () => IVersionedNodeType;
	};
	const node = new HttpRequest();
	// The engine registers node types under description.name; n8n-nodes-base names its nodes
	// without the package prefix ("httpRequest"), which is what our registry expects too.
	return { node, nodesBaseVersion: version() };
}

/** n8n's Split Out node: what a user adds after the HTTP Request node to get one item per lead. */
export function loadSplitOutNode(): INodeType {
	ensureN8nInstalled();
	hookResolution();
	const { SplitOut } = require(
		path.join(NODES_BASE, 'dist/nodes/Transform/SplitOut/SplitOut.node.js'),
	) as { SplitOut: new () => INodeType };
	return new SplitOut();
}

/** Whether the n8n-workflow the cache's nodes see is ours (one instance). */
export function sharedWorkflowInstance(): boolean {
	hookResolution();
	const fromCache = Module.createRequire(
		path.join(NODES_BASE, 'dist/nodes/HttpRequest/HttpRequest.node.js'),
	)('n8n-workflow');
	return fromCache === require('n8n-workflow');
}
