import { readdirSync, statSync } from 'fs';
import path from 'path';

/** Every `.ts` file below `dir`, for the tests that read the import graph of a folder. */
export function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return sourceFiles(full);
		return name.endsWith('.ts') ? [full] : [];
	});
}
