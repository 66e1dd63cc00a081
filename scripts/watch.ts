/**
 * Watching the sources for `npm run dev`: `watchSources` calls back once per burst of saves
 * (editors write a file in several steps), and `serialReloader` runs one reload at a time, running
 * once more after a reload when files changed during it, never piling reloads up.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Files whose change needs a rebuild: TypeScript, the node JSON (codex), icons, package.json. */
export const SOURCE_FILE = /\.(ts|json|svg|png)$/;

export interface Watcher {
	close(): void;
}

/**
 * Watches `roots` (folders recursively, or single files) and calls `onChange(files)` with the
 * changed paths once no further change came for `debounceMs`.
 */
export function watchSources(
	roots: string[],
	onChange: (files: string[]) => void,
	debounceMs = 300,
): Watcher {
	let pending = new Set<string>();
	let timer: ReturnType<typeof setTimeout> | undefined;
	const changed = (file: string) => {
		if (!SOURCE_FILE.test(file)) return;
		pending.add(file);
		if (timer) clearTimeout(timer);
		timer = setTimeout(() => {
			const files = [...pending].sort();
			pending = new Set();
			timer = undefined;
			onChange(files);
		}, debounceMs);
	};
	const watchers = roots
		.filter((root) => fs.existsSync(root))
		.map((root) => {
			const isDir = fs.statSync(root).isDirectory();
			return fs.watch(root, { recursive: isDir }, (_event, name) => {
				changed(isDir ? path.join(root, String(name ?? '')) : root);
			});
		});
	return {
		close() {
			if (timer) clearTimeout(timer);
			for (const watcher of watchers) watcher.close();
		},
	};
}

/**
 * Wraps `reload` so that calls never overlap: a call while a reload runs marks it dirty, and one
 * more reload follows with everything that changed meanwhile.
 */
export function serialReloader(
	reload: (files: string[]) => Promise<void>,
): (files: string[]) => Promise<void> {
	let running: Promise<void> | undefined;
	let queued: string[] | undefined;
	const run = async (files: string[]): Promise<void> => {
		if (running) {
			queued = [...new Set([...(queued ?? []), ...files])];
			return await running;
		}
		running = (async () => {
			let next: string[] | undefined = files;
			while (next) {
				queued = undefined;
				await reload(next);
				next = queued;
			}
		})();
		try {
			await running;
		} finally {
			running = undefined;
		}
	};
	return run;
}
