#!/usr/bin/env node
// prepublishOnly guard: n8n verifies community packages only when they were published from CI with
// npm provenance, so a publish from a developer's machine is refused here. Passes only in GitHub
// Actions with an OIDC token (`permissions: id-token: write`), provenance on, and a Node and npm
// that support trusted publishing (Node >= 22.14, npm >= 11.5.1).
//
// The project's .npmrc sets ignore-scripts=true, and then npm does NOT run prepublishOnly: the
// publish workflow runs `npm publish --ignore-scripts=false`. A plain local `npm publish` is stopped
// anyway by `publishConfig.provenance: true` in package.json (npm refuses: "Automatic provenance
// generation not supported for provider: null") before anything is sent.
import { readFileSync } from 'node:fs';

const env = process.env;
const problems = [];

if (env.GITHUB_ACTIONS !== 'true')
	problems.push(
		'not running in GitHub Actions (publish by pushing a version tag: .github/workflows/publish.yml)',
	);
if (!env.ACTIONS_ID_TOKEN_REQUEST_URL)
	problems.push('no OIDC token available (the job needs `permissions: id-token: write`)');

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const provenance =
	env.npm_config_provenance === 'true' ||
	env.NPM_CONFIG_PROVENANCE === 'true' ||
	pkg.publishConfig?.provenance === true;
if (!provenance) problems.push('provenance is off (publishConfig.provenance or --provenance)');

const [major, minor] = process.versions.node.split('.').map(Number);
if (!(major > 22 || (major === 22 && minor >= 14)))
	problems.push(`Node ${process.versions.node} is too old for trusted publishing (needs >= 22.14)`);
const npmVersion = /\bnpm\/(\d+)\.(\d+)\.(\d+)/.exec(env.npm_config_user_agent ?? '');
if (!npmVersion) {
	problems.push('not run by npm (npm_config_user_agent is missing)');
} else {
	const [, a, b, c] = npmVersion.map(Number);
	if (!(a > 11 || (a === 11 && (b > 5 || (b === 5 && c >= 1)))))
		problems.push(`npm ${a}.${b}.${c} is too old for trusted publishing (needs >= 11.5.1)`);
}

if (problems.length) {
	process.stderr.write(
		`publish refused: n8n only verifies packages published from CI with npm provenance.\n  - ${problems.join('\n  - ')}\n`,
	);
	process.exit(1);
}
process.stdout.write(
	'publish guard: GitHub Actions, OIDC token, provenance, Node and npm versions OK\n',
);
