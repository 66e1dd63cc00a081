// Lint of the shipped code with both rule sets n8n applies to community packages:
// eslint-plugin-n8n-nodes-base (community, nodes, credentials) and the rules of n8n's
// community-package scanner (@n8n/eslint-plugin-community-nodes, recommended).
import tsParser from '@typescript-eslint/parser';
import jsoncParser from 'jsonc-eslint-parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { configs as communityConfigs } from '@n8n/eslint-plugin-community-nodes';

const tsLanguage = {
	parser: tsParser,
	parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
};

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'sandbox/**', 'test/**', 'bench/**', 'examples/**', 'scripts/**', '*.js', '*.mjs'] },
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
