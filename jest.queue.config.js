/** `npm run test:queue`: the packed package in n8n 2.40.7 QUEUE MODE (PostgreSQL, Redis, one main,
 *  two workers), started and stopped by the test itself. See test/queue/NOTES.md.
 *  The global setup builds and packs the package and installs n8n 2.40.7 when it is missing. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['<rootDir>/test/queue/**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }],
	},
	globalSetup: '<rootDir>/test/queue/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
	maxWorkers: 1,
	testTimeout: 10 * 60 * 1000,
	slowTestThreshold: 300,
	verbose: true,
};
