/**
 * Sandbox options: defaults, and how the CLI reads them from SCRAVIO_SANDBOX_* environment variables.
 * Everything here can also be changed at run time through PATCH /__sandbox/config.
 */

/** Random faults applied to /api requests (never to admin or storage routes). */
export interface RandomFaults {
	/** Extra delay added to every /api response, in real milliseconds. */
	latencyMs: number;
	/** Share of /api requests (0..1) answered with a 500/503 error object instead of being processed. */
	errorRate: number;
	/** Share of /api requests (0..1) whose connection is closed without any response. */
	dropRate: number;
	/** Share of /api requests (0..1) answered with a truncated, unparsable JSON body (status 200). */
	malformedRate: number;
	/** Share of /api requests (0..1) answered with 429 RATE_LIMITED and Retry-After: 1. */
	rateLimitStorm: number;
}

export interface SandboxOptions {
	/** 0 picks a free port. */
	port: number;
	host: string;
	/** Port of the separate file host ("storage"); 0 picks a free port. */
	storagePort: number;
	/** Virtual seconds per real second. */
	clockSpeed: number;
	/** Seed of all synthetic data (leads, ids, validity, random faults). */
	seed: number;
	/** Adds workspace ws_large (10,000 campaigns) and campaign cmp_large_100k (100,000 leads). */
	largeData: boolean;
	faults: RandomFaults;
	/** Lets export webhooks use http:// on loopback hosts (tests run a local receiver). */
	allowInsecureWebhooks: boolean;
	/** When false the documented rate limits are not enforced (handy for long demos). */
	enforceRateLimits: boolean;
	/** No logging at all. */
	quiet: boolean;
}

export const DEFAULT_FAULTS: RandomFaults = { latencyMs: 0, errorRate: 0, dropRate: 0, malformedRate: 0, rateLimitStorm: 0 };

export const DEFAULT_OPTIONS: SandboxOptions = {
	port: 5690,
	host: '127.0.0.1',
	storagePort: 0,
	clockSpeed: 1,
	seed: 42,
	largeData: false,
	faults: { ...DEFAULT_FAULTS },
	allowInsecureWebhooks: false,
	enforceRateLimits: true,
	quiet: false,
};

export function resolveOptions(options: Partial<SandboxOptions> = {}): SandboxOptions {
	return {
		...DEFAULT_OPTIONS,
		...options,
		faults: { ...DEFAULT_FAULTS, ...(options.faults ?? {}) },
	};
}

function readNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
	const raw = env[name];
	if (raw === undefined || raw.trim() === '') return undefined;
	const value = Number(raw);
	if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
	return value;
}

function readBoolean(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
	const raw = env[name];
	if (raw === undefined || raw.trim() === '') return undefined;
	return ['1', 'true', 'yes', 'on'].includes(raw.trim().toLowerCase());
}

/** A rate storm can be given as a share (0.3) or as a switch (true/on = 1, every request). */
function readRate(env: NodeJS.ProcessEnv, name: string): number | undefined {
	const raw = env[name];
	if (raw === undefined || raw.trim() === '') return undefined;
	const asBool = raw.trim().toLowerCase();
	if (['true', 'yes', 'on'].includes(asBool)) return 1;
	if (['false', 'no', 'off'].includes(asBool)) return 0;
	return readNumber(env, name);
}

/** Options from SCRAVIO_SANDBOX_* variables; anything unset keeps its default. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<SandboxOptions> {
	const options: Partial<SandboxOptions> = {};
	const faults: Partial<RandomFaults> = {};
	const set = <K extends keyof SandboxOptions>(key: K, value: SandboxOptions[K] | undefined) => {
		if (value !== undefined) options[key] = value;
	};
	const setFault = <K extends keyof RandomFaults>(key: K, value: number | undefined) => {
		if (value !== undefined) faults[key] = value;
	};
	set('port', readNumber(env, 'SCRAVIO_SANDBOX_PORT'));
	set('host', env.SCRAVIO_SANDBOX_HOST || undefined);
	set('storagePort', readNumber(env, 'SCRAVIO_SANDBOX_STORAGE_PORT'));
	set('clockSpeed', readNumber(env, 'SCRAVIO_SANDBOX_CLOCK_SPEED'));
	set('seed', readNumber(env, 'SCRAVIO_SANDBOX_SEED'));
	set('largeData', readBoolean(env, 'SCRAVIO_SANDBOX_LARGE_DATA'));
	set('allowInsecureWebhooks', readBoolean(env, 'SCRAVIO_SANDBOX_ALLOW_INSECURE_WEBHOOKS'));
	set('quiet', readBoolean(env, 'SCRAVIO_SANDBOX_QUIET'));
	const rateLimits = readBoolean(env, 'SCRAVIO_SANDBOX_ENFORCE_RATE_LIMITS');
	set('enforceRateLimits', rateLimits);
	setFault('latencyMs', readNumber(env, 'SCRAVIO_SANDBOX_LATENCY_MS'));
	setFault('errorRate', readNumber(env, 'SCRAVIO_SANDBOX_ERROR_RATE'));
	setFault('dropRate', readNumber(env, 'SCRAVIO_SANDBOX_DROP_RATE'));
	setFault('malformedRate', readNumber(env, 'SCRAVIO_SANDBOX_MALFORMED_RATE'));
	setFault('rateLimitStorm', readRate(env, 'SCRAVIO_SANDBOX_RATE_LIMIT_STORM'));
	if (Object.keys(faults).length > 0) options.faults = { ...DEFAULT_FAULTS, ...faults };
	return options;
}
