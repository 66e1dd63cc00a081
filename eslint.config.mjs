// `npm run lint` lints the whole repository:
// - the shipped code (nodes/, credentials/, package.json) with both rule sets n8n applies to
//   community packages: eslint-plugin-n8n-nodes-base (community, nodes, credentials) and the rules
//   of n8n's community-package scanner (@n8n/eslint-plugin-community-nodes, recommended);
// - all TypeScript and JavaScript (shipped code, tests, sandbox, harness, benchmarks, scripts,
//   examples, config files) with typescript-eslint's `recommended` rules (without type information,
//   so it stays fast; `npm run typecheck` does the type checking).
// Formatting is Prettier's job (`npm run format:check`); none of these rules is about layout.
import tseslint from 'typescript-eslint';
import tsParser from '@typescript-eslint/parser';
import jsoncParser from 'jsonc-eslint-parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { configs as communityConfigs } from '@n8n/eslint-plugin-community-nodes';

const tsLanguage = {
	parser: tsParser,
	parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
};

const codeFiles = ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'];

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'demo-output/**', '.n8n-dev/**'] },

	// typescript-eslint recommended, everywhere.
	...tseslint.configs.recommended.map((config) => ({ ...config, files: codeFiles })),
	{
		files: codeFiles,
		rules: {
			// `const { omitted: _omitted, ...rest } = value` is how the code drops a key.
			'@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
			// `let x;` read by a cleanup closure before it is assigned must stay `let` (a `const`
			// there would throw in its temporal dead zone).
			'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
		},
	},
	{
		// CommonJS by design: gulp, jest and n8n load these with require().
		files: ['*.js', '*.cjs'],
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},

	// n8n's rule sets for the shipped code (unchanged).
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions: tsLanguage,
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Turned off as in n8n's own node-cli config: superseded by the scanner's rules.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: tsLanguage,
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Turned off as in n8n's own node-cli config: the scanner's
			// node-connection-type-literal rule wants NodeConnectionTypes.Main instead of 'main'.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		...communityConfigs.recommended,
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: tsLanguage,
	},
	{
		...communityConfigs.recommended,
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
	},
];
