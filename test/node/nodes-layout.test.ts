/**
 * The shipped code's folders (README, Layout): what both nodes share lives outside either node, and
 * points one way. nodes/api (what both nodes know about the API) needs no other folder at run time;
 * nodes/transport, nodes/ui and nodes/files are shared by both nodes and import neither node; the
 * trigger imports nothing of the action node, nor the action node anything of the trigger.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { sourceFiles } from '../helpers/source-files';

const NODES = path.join(__dirname, '../../nodes');
const FOLDERS = ['api', 'transport', 'ui', 'files', 'Scravio', 'ScravioTrigger'] as const;
type Folder = (typeof FOLDERS)[number];

/** What each folder may import at run time (besides itself and packages). */
const ALLOWED: Record<Folder, Folder[]> = {
	api: [],
	transport: ['api'],
	ui: ['api', 'transport'],
	files: ['api', 'transport'],
	Scravio: ['api', 'transport', 'ui', 'files'],
	ScravioTrigger: ['api', 'transport', 'ui', 'files'],
};
/** Type-only imports vanish from the compiled code; they may also point at these. */
const ALLOWED_TYPES: Partial<Record<Folder, Folder[]>> = { api: ['transport'] };

interface Import {
	file: string;
	specifier: string;
	typeOnly: boolean;
}

function importsOf(file: string): Import[] {
	const text = readFileSync(file, 'utf8');
	const found: Import[] = [];
	for (const match of text.matchAll(/^(import|export)(\s+type)?[^;]*?from\s+'([^']+)'/gms)) {
		found.push({ file, specifier: match[3], typeOnly: Boolean(match[2]) });
	}
	for (const match of text.matchAll(/require\(\s*'([^']+)'\s*\)|import\(\s*'([^']+)'\s*\)/g)) {
		found.push({ file, specifier: match[1] ?? match[2], typeOnly: false });
	}
	return found;
}

const folderOf = (file: string): Folder | 'other' => {
	const first = path.relative(NODES, file).split(path.sep)[0];
	return (FOLDERS as readonly string[]).includes(first) ? (first as Folder) : 'other';
};

/** Every import that points a way the layout forbids, as "from -> to". */
export function violations(imports: Import[]): string[] {
	const found: string[] = [];
	for (const { file, specifier, typeOnly } of imports) {
		if (!specifier.startsWith('.')) continue;
		const from = folderOf(file);
		const to = folderOf(path.resolve(path.dirname(file), specifier));
		if (from === 'other' || to === 'other') {
			found.push(`${path.relative(NODES, file)} -> ${specifier} (outside the known folders)`);
			continue;
		}
		if (from === to || ALLOWED[from].includes(to)) continue;
		if (typeOnly && (ALLOWED_TYPES[from] ?? []).includes(to)) continue;
		found.push(`${path.relative(NODES, file)} -> ${specifier}`);
	}
	return found;
}

describe('the layout of nodes/', () => {
	const files = sourceFiles(NODES);

	it('has only the known folders', () => {
		expect(files.map(folderOf).filter((folder) => folder === 'other')).toEqual([]);
		expect(new Set(files.map(folderOf))).toEqual(new Set(FOLDERS));
	});

	it('imports only the way the layout allows (the trigger nothing of the action node)', () => {
		const imports = files.flatMap(importsOf);
		expect(imports.length).toBeGreaterThan(100);
		expect(violations(imports)).toEqual([]);
	});

	it('reports a wrong-way import (guards the guard)', () => {
		const at = (folder: string, name: string) => path.join(NODES, folder, name);
		expect(
			violations([
				{
					file: at('ScravioTrigger', 'events.ts'),
					specifier: '../Scravio/actions/charges',
					typeOnly: false,
				},
				{ file: at('api', 'hints.ts'), specifier: '../transport', typeOnly: true },
				{ file: at('api', 'hints.ts'), specifier: '../transport', typeOnly: false },
				{ file: at('transport', 'request.ts'), specifier: '../ui/locators', typeOnly: true },
				{
					file: at('Scravio', 'Scravio.node.ts'),
					specifier: '../ScravioTrigger/state',
					typeOnly: false,
				},
			]),
		).toEqual([
			'ScravioTrigger/events.ts -> ../Scravio/actions/charges',
			'api/hints.ts -> ../transport',
			'transport/request.ts -> ../ui/locators',
			'Scravio/Scravio.node.ts -> ../ScravioTrigger/state',
		]);
	});
});
