/**
 * The sandbox's layers (sandbox/README.md, Layout): http -> simulation -> model, never back, and no
 * runtime import cycle anywhere in sandbox/. The import graph is read with the TypeScript compiler's
 * parser: `import`/`export ... from`, `import x = require()`, `require()` and `import()`.
 *
 * Type-only imports (`import type`, or only `type` specifiers) vanish from the compiled code: they
 * do not count for cycles, but they do count for the layer direction (model knows nothing of the
 * layers above it, not even their types).
 */
import { statSync, readFileSync, existsSync } from 'fs';
import path from 'path';
import { sourceFiles } from '../helpers/source-files';
import ts from 'typescript';

const ROOT = path.join(__dirname, '../../sandbox');
/** The public entry points: they may import any layer (and nothing imports them from a layer). */
const ENTRIES = new Set(['index.ts', 'cli.ts']);
const LAYERS = ['http', 'simulation', 'model'] as const;
type Layer = (typeof LAYERS)[number];
/** What each layer may import (besides itself and code outside sandbox/). */
const ALLOWED: Record<Layer, Layer[]> = {
	http: ['simulation', 'model'],
	simulation: ['model'],
	model: [],
};

interface Edge {
	from: string;
	to: string;
	typeOnly: boolean;
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

function resolve(from: string, specifier: string): string | null {
	if (!specifier.startsWith('.')) return null;
	const base = path.resolve(path.dirname(from), specifier);
	for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
		if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
	}
	throw new Error(`${rel(from)}: cannot resolve ${specifier}`);
}

function importsOf(file: string): Array<{ specifier: string; typeOnly: boolean }> {
	const source = ts.createSourceFile(
		file,
		readFileSync(file, 'utf8'),
		ts.ScriptTarget.Latest,
		true,
	);
	const found: Array<{ specifier: string; typeOnly: boolean }> = [];
	const visit = (node: ts.Node) => {
		if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
			const clause = node.importClause;
			const bindings = clause?.namedBindings;
			const onlyTypeSpecifiers =
				!!clause &&
				!clause.name &&
				!!bindings &&
				ts.isNamedImports(bindings) &&
				bindings.elements.length > 0 &&
				bindings.elements.every((e) => e.isTypeOnly);
			found.push({
				specifier: node.moduleSpecifier.text,
				typeOnly: !!clause?.isTypeOnly || onlyTypeSpecifiers,
			});
		} else if (
			ts.isExportDeclaration(node) &&
			node.moduleSpecifier &&
			ts.isStringLiteral(node.moduleSpecifier)
		) {
			const clause = node.exportClause;
			const onlyTypeSpecifiers =
				!!clause &&
				ts.isNamedExports(clause) &&
				clause.elements.length > 0 &&
				clause.elements.every((e) => e.isTypeOnly);
			found.push({
				specifier: node.moduleSpecifier.text,
				typeOnly: node.isTypeOnly || onlyTypeSpecifiers,
			});
		} else if (
			ts.isImportEqualsDeclaration(node) &&
			ts.isExternalModuleReference(node.moduleReference) &&
			ts.isStringLiteral(node.moduleReference.expression)
		) {
			found.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
		} else if (
			ts.isImportTypeNode(node) &&
			ts.isLiteralTypeNode(node.argument) &&
			ts.isStringLiteral(node.argument.literal)
		) {
			// import('./x').T in a type position
			found.push({ specifier: node.argument.literal.text, typeOnly: true });
		} else if (
			ts.isCallExpression(node) &&
			node.arguments.length === 1 &&
			ts.isStringLiteral(node.arguments[0]) &&
			(node.expression.kind === ts.SyntaxKind.ImportKeyword ||
				(ts.isIdentifier(node.expression) && node.expression.text === 'require'))
		) {
			found.push({ specifier: node.arguments[0].text, typeOnly: false });
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

const files = sourceFiles(ROOT);
const edges: Edge[] = files.flatMap((file) =>
	importsOf(file).flatMap(({ specifier, typeOnly }) => {
		const target = resolve(file, specifier);
		// Only edges inside sandbox/ matter here (the shared campaign rules of nodes/ are outside).
		if (!target || path.relative(ROOT, target).startsWith('..')) return [];
		return [{ from: rel(file), to: rel(target), typeOnly }];
	}),
);

function layerOf(file: string): Layer | null {
	const top = file.split('/')[0];
	return (LAYERS as readonly string[]).includes(top) ? (top as Layer) : null;
}

/** Every cycle of runtime imports, each as a path a -> b -> ... -> a (found by depth-first search). */
function runtimeCycles(graph: Edge[]): string[] {
	const next = new Map<string, string[]>();
	for (const e of graph) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
	const cycles = new Set<string>();
	const state = new Map<string, 'open' | 'done'>();
	const stack: string[] = [];
	const walk = (node: string) => {
		state.set(node, 'open');
		stack.push(node);
		for (const to of next.get(node) ?? []) {
			if (state.get(to) === 'open')
				cycles.add([...stack.slice(stack.indexOf(to)), to].join(' -> '));
			else if (!state.has(to)) walk(to);
		}
		stack.pop();
		state.set(node, 'done');
	};
	const nodes = [...new Set([...files.map(rel), ...graph.map((e) => e.from)])].sort();
	for (const file of nodes) if (!state.has(file)) walk(file);
	return [...cycles];
}

/** Imports that point the wrong way (up a layer, or from a layer to an entry point). */
function wrongWay(graph: Edge[]): string[] {
	return graph
		.filter((e) => {
			const from = layerOf(e.from);
			if (from === null) return false; // the entry points wire everything
			if (ENTRIES.has(e.to)) return true; // no layer imports the entry
			const to = layerOf(e.to);
			return to !== null && to !== from && !ALLOWED[from].includes(to);
		})
		.map((e) => `${e.from} -> ${e.to}${e.typeOnly ? ' (type)' : ''}`);
}

test('the import graph was read (sanity: the entry reaches every layer)', () => {
	expect(files.length).toBeGreaterThan(20);
	const fromIndex = edges.filter((e) => e.from === 'index.ts').map((e) => e.to);
	expect(fromIndex.length).toBeGreaterThan(3);
});

test('no runtime import cycle in sandbox/', () => {
	expect(runtimeCycles(edges)).toEqual([]);
});

test('every module except the entry points (index.ts, cli.ts) lives in http/, simulation/ or model/', () => {
	const outside = files.map(rel).filter((file) => !ENTRIES.has(file) && layerOf(file) === null);
	expect(outside).toEqual([]);
});

test('layers point one way: http -> simulation -> model (type-only imports included)', () => {
	expect(wrongWay(edges)).toEqual([]);
});

test('the checks catch what they are meant to catch (made-up graphs)', () => {
	// A broken walker must not pass silently: the same functions on tiny graphs with known faults.
	const cycle: Edge[] = [
		{ from: 'simulation/a.ts', to: 'model/b.ts', typeOnly: false },
		{ from: 'model/b.ts', to: 'model/c.ts', typeOnly: false },
		{ from: 'model/c.ts', to: 'model/b.ts', typeOnly: false },
	];
	expect(runtimeCycles(cycle)).toEqual(['model/b.ts -> model/c.ts -> model/b.ts']);
	expect(runtimeCycles(cycle.map((e, i) => (i === 2 ? { ...e, typeOnly: true } : e)))).toEqual([]);
	expect(wrongWay(cycle)).toEqual([]);
	expect(
		wrongWay([
			{ from: 'model/a.ts', to: 'simulation/b.ts', typeOnly: true },
			{ from: 'simulation/b.ts', to: 'http/c.ts', typeOnly: false },
			{ from: 'http/c.ts', to: 'model/a.ts', typeOnly: false },
			{ from: 'http/c.ts', to: 'index.ts', typeOnly: false },
		]),
	).toEqual([
		'model/a.ts -> simulation/b.ts (type)',
		'simulation/b.ts -> http/c.ts',
		'http/c.ts -> index.ts',
	]);
});
