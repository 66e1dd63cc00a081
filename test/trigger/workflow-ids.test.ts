/**
 * n8n saves a workflow's static data (where the Scravio Trigger keeps its state) only for workflow
 * ids of at most 21 characters (`isWorkflowIdValid` in n8n's cli). With a longer id nothing is
 * saved, silently, and after a restart the trigger takes a new baseline: what finished while n8n
 * was down is never emitted. Every example and every workflow the tests import must have an id
 * n8n saves static data for.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** n8n's own check when an n8n install is in the e2e cache; else the same rule, as n8n 2.40.7 has it. */
function n8nIsWorkflowIdValid(): { check: (id: string) => boolean; source: string } {
	const cache =
		process.env.SCRAVIO_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-scravio');
	const utils = path.join(cache, 'n8n-2.40.7', 'node_modules', 'n8n', 'dist', 'utils.js');
	if (
		fs.existsSync(path.join(cache, 'n8n-2.40.7', '.scravio-install-complete')) &&
		fs.existsSync(utils)
	) {
		try {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const loaded = require(utils) as { isWorkflowIdValid?: (id: string) => boolean };
			if (typeof loaded.isWorkflowIdValid === 'function')
				return { check: loaded.isWorkflowIdValid, source: utils };
		} catch {
			/* fall back to the rule below */
		}
	}
	return {
		check: (id) => typeof id === 'string' && id.length > 0 && id.length <= 21,
		source: 'the rule of n8n 2.40.7 (length 1..21)',
	};
}

function filesUnder(dir: string, ext: string): string[] {
	const out: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) out.push(...filesUnder(full, ext));
		else if (entry.name.endsWith(ext)) out.push(full);
	}
	return out;
}

/** Workflow ids: each example's top-level id, and every `id: '...'` of an object with `name` and `nodes` (a workflow) in the tests. */
function workflowIds(): Array<{ id: string; where: string }> {
	const ids: Array<{ id: string; where: string }> = [];
	for (const file of filesUnder(path.join(ROOT, 'examples'), '.json')) {
		const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { id?: unknown; nodes?: unknown };
		if (Array.isArray(json.nodes))
			ids.push({ id: String(json.id ?? ''), where: path.relative(ROOT, file) });
	}
	for (const dir of ['test', 'scripts', 'bench']) {
		const full = path.join(ROOT, dir);
		if (!fs.existsSync(full)) continue;
		for (const file of filesUnder(full, '.ts')) {
			const text = fs.readFileSync(file, 'utf8');
			for (const match of text.matchAll(/\bid: '([^']*)',\s*\n\s*name: '[^']*',\s*\n\s*nodes:/g)) {
				ids.push({ id: match[1], where: path.relative(ROOT, file) });
			}
		}
	}
	return ids;
}

it('every example and test workflow has an id n8n saves static data for', () => {
	const { check, source } = n8nIsWorkflowIdValid();
	const ids = workflowIds();
	// The examples and the e2e trigger workflows are found (the scan is not empty by accident).
	expect(ids.map((entry) => entry.where)).toEqual(
		expect.arrayContaining(['examples/triggered-export.json', 'test/e2e/server.test.ts']),
	);
	const invalid = ids
		.filter((entry) => !check(entry.id))
		.map((entry) => `${entry.where}: "${entry.id}" (${entry.id.length} characters)`);
	expect({ source, invalid }).toEqual({ source, invalid: [] });
});

it("n8n's rule refuses the id the triggered-export example had (22 characters)", () => {
	const { check } = n8nIsWorkflowIdValid();
	expect(check('scravioTriggeredExport')).toBe(false);
	expect(check('scravioTriggerExport')).toBe(true);
});
