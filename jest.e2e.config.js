/** End-to-end tests: the packed package inside REAL n8n (2.40.7 on Node 24, 1.123.81 on Node 20),
 *  driven through n8n's CLI, its REST API and a headless chromium. See test/e2e/NOTES.md.
 *  The global setup builds and packs the package once and installs n8n into
 *  ~/.cache/n8n-nodes-scravio on a machine that has none (several minutes, with progress output). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }],
	},
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
	// One n8n at a time: each n8n CLI call already keeps a core busy on a 2-core machine.
	maxWorkers: 1,
	testTimeout: 10 * 60 * 1000,
	slowTestThreshold: 120,
	verbose: true,
};
