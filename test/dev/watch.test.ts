/**
 * The reload machinery of `npm run dev` (scripts/watch.ts) on real files: one callback per burst
 * of saves, only for source files, and reloads that never overlap. The whole loop in real n8n
 * (save → rebuild → reinstall → restart) was run by hand; see the CHANGELOG.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { serialReloader, watchSources } from '../../scripts/watch';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchSources', () => {
	let dir: string;
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scravio-watch-'));
		fs.mkdirSync(path.join(dir, 'nodes', 'Scravio'), { recursive: true });
		fs.writeFileSync(path.join(dir, 'nodes', 'Scravio', 'a.ts'), 'export const a = 1;\n');
	});
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('calls back once for a burst of saves in nested folders, with the changed files', async () => {
		const calls: string[][] = [];
		const watcher = watchSources([path.join(dir, 'nodes')], (files) => calls.push(files), 150);
		try {
			await wait(50);
			fs.writeFileSync(path.join(dir, 'nodes', 'Scravio', 'a.ts'), 'export const a = 2;\n');
			fs.writeFileSync(path.join(dir, 'nodes', 'Scravio', 'b.ts'), 'export const b = 1;\n');
			fs.writeFileSync(path.join(dir, 'nodes', 'Scravio', 'a.ts'), 'export const a = 3;\n');
			await wait(600);
			expect(calls).toEqual([
				[path.join(dir, 'nodes', 'Scravio', 'a.ts'), path.join(dir, 'nodes', 'Scravio', 'b.ts')],
			]);

			fs.writeFileSync(path.join(dir, 'nodes', 'Scravio', 'b.ts'), 'export const b = 2;\n');
			await wait(600);
			expect(calls).toHaveLength(2);
		} finally {
			watcher.close();
		}
	});

	it('ignores files that are not sources (editor swap files, notes)', async () => {
		const calls: string[][] = [];
		const watcher = watchSources([path.join(dir, 'nodes')], (files) => calls.push(files), 100);
		try {
			await wait(50);
			fs.writeFileSync(path.join(dir, 'nodes', 'Scravio', '.a.ts.swp'), 'x');
			fs.writeFileSync(path.join(dir, 'nodes', 'notes.txt'), 'x');
			await wait(400);
			expect(calls).toEqual([]);
		} finally {
			watcher.close();
		}
	});
});

describe('serialReloader', () => {
	it('never runs two reloads at once; changes during a reload cause exactly one more', async () => {
		const log: string[] = [];
		let active = 0;
		const reload = serialReloader(async (files) => {
			active++;
			expect(active).toBe(1);
			log.push(files.join('+'));
			await wait(100);
			active--;
		});
		const first = reload(['a']);
		await wait(20);
		const second = reload(['b']);
		const third = reload(['c']);
		await Promise.all([first, second, third]);
		expect(log).toEqual(['a', 'b+c']);
		await reload(['d']);
		expect(log).toEqual(['a', 'b+c', 'd']);
	});
});
