/**
 * `npm run bench`: every benchmark of issue 7, against the sandbox (large-data mode) started in a
 * child process, through n8n's engine in this process. Writes bench/results/latest.{md,json} and
 * prints the table.
 *
 *   npm run bench                      full: 1 warm-up + 5 runs per variant (~15 min)
 *   npm run bench -- --quick           every benchmark at small sizes (CI; asserts no timings)
 *   npm run bench -- --only=returnAll,download   a subset (returnAll, validation, trigger, download, sandbox)
 *   npm run bench -- --only=queue      n8n 2.40.7 in queue mode, 200 lead pipelines with 1 and 2 workers
 *                                      (~6 min; not part of the default set: it starts whole clusters;
 *                                      writes bench/results/queue.{md,json})
 *   npm run bench -- --runs=3          other run count (full sizes)
 *   npm run bench -- --only=download --merge   rerun some benchmarks and put their sections into
 *                                      bench/results/latest.{md,json}, keeping the other sections
 *
 * Quick mode writes bench/results/quick.{md,json} (not committed) and exits non-zero only when a
 * benchmark is broken (wrong item counts, errors), never because of a timing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { machineInfo } from './lib/machine';
import { renderMarkdown, type BenchResults } from './lib/report';

// Node errors are logged by n8n-core through its logger; keep the bench output readable.
process.env.N8N_LOG_LEVEL ??= 'silent';

const GROUPS = ['returnAll', 'validation', 'trigger', 'download', 'sandbox', 'queue'] as const;
type Group = (typeof GROUPS)[number];
/** Run when no --only is given. `queue` starts PostgreSQL, Redis and n8n clusters: only on request. */
const DEFAULT_GROUPS: Group[] = ['returnAll', 'validation', 'trigger', 'download', 'sandbox'];

function parseArgs(argv: string[]) {
	const quick = argv.includes('--quick');
	const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
	const only = value('only')
		?.split(',')
		.map((s) => s.trim()) as Group[] | undefined;
	for (const g of only ?? [])
		if (!GROUPS.includes(g))
			throw new Error(`unknown benchmark "${g}" (known: ${GROUPS.join(', ')})`);
	const runs = Number(value('runs') ?? (quick ? 1 : 5));
	const warmups = Number(value('warmups') ?? (quick ? 0 : 1));
	return {
		quick,
		only: only ?? [...DEFAULT_GROUPS],
		runs,
		warmups,
		out: value('out'),
		merge: argv.includes('--merge'),
	};
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
	const log = (line: string) => console.log(line);
	const results: BenchResults = {
		mode: args.quick ? 'quick' : 'full',
		runs: args.runs,
		warmups: args.warmups,
		machine: machineInfo(command),
		groups: {},
	};
	const started = Date.now();
	const failures: string[] = [];

	const run = async (group: Group, fn: () => Promise<unknown>) => {
		if (!args.only.includes(group)) return;
		log(`\n== ${group} ==`);
		const t = Date.now();
		try {
			(results.groups as Record<string, unknown>)[group] = await fn();
			log(`  (${((Date.now() - t) / 1000).toFixed(0)} s)`);
		} catch (error) {
			failures.push(`${group}: ${error instanceof Error ? error.message : String(error)}`);
			console.error(`  ${group} FAILED:`, error);
		}
	};

	await run('returnAll', async () => {
		const { runReturnAll } = await import('./returnAll');
		return await runReturnAll({
			quick: args.quick,
			runs: args.runs,
			warmups: args.warmups,
			concurrency: [1, 2],
			log,
		});
	});
	await run('validation', async () => {
		const { runValidation } = await import('./validation');
		return await runValidation({ quick: args.quick, runs: args.runs, warmups: args.warmups, log });
	});
	await run('trigger', async () => {
		const { runTrigger } = await import('./trigger');
		return await runTrigger({ quick: args.quick, runs: args.runs, warmups: args.warmups, log });
	});
	await run('download', async () => {
		const { runDownload } = await import('./download');
		return await runDownload({ quick: args.quick, runs: args.runs, warmups: args.warmups, log });
	});

	await run('sandbox', async () => {
		const { runSandbox } = await import('./sandbox');
		return await runSandbox({ quick: args.quick, runs: args.runs, warmups: args.warmups, log });
	});

	await run('queue', async () => {
		const { runQueue } = await import('./queue');
		return await runQueue({ quick: args.quick, log });
	});

	results.totalSeconds = Math.round((Date.now() - started) / 1000);
	results.failures = failures;
	const dir = path.join(__dirname, 'results');
	mkdirSync(dir, { recursive: true });
	const queueOnly = args.only.length === 1 && args.only[0] === 'queue';
	const base =
		args.out ??
		(args.quick
			? 'quick'
			: queueOnly
				? 'queue'
				: args.merge || DEFAULT_GROUPS.every((g) => args.only.includes(g))
					? 'latest'
					: 'partial');
	const written = args.merge
		? mergeInto(path.join(dir, `${base}.json`), results, command)
		: results;
	const markdown = renderMarkdown(written);
	writeFileSync(path.join(dir, `${base}.json`), `${JSON.stringify(written, null, 2)}\n`);
	writeFileSync(path.join(dir, `${base}.md`), markdown);
	console.log(`\n${markdown}`);
	console.log(`written: bench/results/${base}.md and .json (${results.totalSeconds} s)`);
	if (failures.length > 0) {
		console.error(`\n${failures.length} benchmark(s) failed:\n  ${failures.join('\n  ')}`);
		process.exitCode = 1;
	}
}

/**
 * `--merge`: the sections that just ran (and did not fail) replace theirs in an existing results
 * file; the other sections, the header (machine, commit, command of their run) and the total
 * time stay. Each replaced section's notes say when, at which commit and how it was rerun.
 */
function mergeInto(file: string, rerun: BenchResults, command: string): BenchResults {
	if (!existsSync(file)) return rerun;
	const merged = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
	const m = rerun.machine;
	for (const [group, value] of Object.entries(rerun.groups) as Array<
		[Group, { notes?: string[] } | undefined]
	>) {
		if (!value) continue;
		value.notes = [
			...(value.notes ?? []),
			`This section was rerun alone on ${m.date.slice(0, 10)} at commit ${m.commit} (\`${command}\`, ${m.cores} cores, Node ${m.node}, ${rerun.warmups} warm-up + ${rerun.runs} runs per variant); the header above describes the run of the other sections.`,
		];
		(merged.groups as Record<string, unknown>)[group] = value;
	}
	merged.failures = [...(merged.failures ?? []), ...(rerun.failures ?? [])];
	return merged;
}

main()
	.catch((error) => {
		console.error(error);
		process.exitCode = 1;
	})
	.finally(() => {
		// Undici keep-alive sockets and n8n's timers must not keep the process alive.
		setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
	});
