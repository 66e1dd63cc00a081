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

/**
 * The sandbox's answers where the API reference is silent. Each field is one place where the
 * sandbox had to choose; the node must work under every value (sandbox/README.md, "Readings",
 * quotes the line of the reference each one interprets). Defaults are the sandbox's first choice.
 */
export interface Readings {
	/** Largest page size (`perPage`, `limit` on validation jobs); null = no cap. */
	pageSizeCap: null | 25 | 50 | 100;
	/** A page size above the cap: clamped to the cap (the answer reports the size used) or 400 naming the field. */
	overPageSizeCap: 'clamp' | 'refuse';
	/** Retry-After on 429 answers: delay in seconds, no header at all, or an HTTP date. */
	retryAfter: 'seconds' | 'absent' | 'date';
	/** X-Workspace-Id sent with an API key to a validation-job route: ignored (default workspace) or refused (400). */
	validationJobWorkspaceHeader: 'ignore' | 'refuse';
	/** Whose plan sets the 2-vs-20 target limit: the workspace's (free/Project Pass vs paid) or the account's subscription. */
	planLimitsFrom: 'workspace' | 'account';
	/** E-mail masking: each account's own `shouldMaskEmail`, or forced on/off for every account. */
	emailMasking: 'account' | 'on' | 'off';
}

export const DEFAULT_READINGS: Readings = {
	pageSizeCap: 100,
	overPageSizeCap: 'refuse',
	retryAfter: 'seconds',
	validationJobWorkspaceHeader: 'ignore',
	planLimitsFrom: 'workspace',
	emailMasking: 'account',
};

/** Every value of every reading, for tests that run under each of them. */
export const READING_VALUES: { [K in keyof Readings]: ReadonlyArray<Readings[K]> } = {
	pageSizeCap: [null, 25, 50, 100],
	overPageSizeCap: ['clamp', 'refuse'],
	retryAfter: ['seconds', 'absent', 'date'],
	validationJobWorkspaceHeader: ['ignore', 'refuse'],
	planLimitsFrom: ['workspace', 'account'],
	emailMasking: ['account', 'on', 'off'],
};

/** Checks a (partial) readings object; returns the problem or null. */
export function readingsProblem(value: unknown): string | null {
	if (!value || typeof value !== 'object' || Array.isArray(value))
		return 'readings must be an object';
	for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
		const allowed = (READING_VALUES as Record<string, ReadonlyArray<unknown>>)[key];
		if (!allowed)
			return `unknown reading ${key} (known: ${Object.keys(READING_VALUES).join(', ')})`;
		if (!allowed.includes(v))
			return `reading ${key} must be one of: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
	}
	return null;
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
	/** The sandbox's answers where the reference is silent (see Readings). */
	readings: Readings;
}

export const DEFAULT_FAULTS: RandomFaults = {
	latencyMs: 0,
	errorRate: 0,
	dropRate: 0,
	malformedRate: 0,
	rateLimitStorm: 0,
};

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
	readings: { ...DEFAULT_READINGS },
};

export function resolveOptions(
	options: Omit<Partial<SandboxOptions>, 'readings'> & { readings?: Partial<Readings> } = {},
): SandboxOptions {
	const problem = options.readings === undefined ? null : readingsProblem(options.readings);
	if (problem) throw new Error(problem);
	return {
		...DEFAULT_OPTIONS,
		...options,
		faults: { ...DEFAULT_FAULTS, ...(options.faults ?? {}) },
		readings: { ...DEFAULT_READINGS, ...(options.readings ?? {}) },
	};
}

/**
 * SCRAVIO_SANDBOX_READINGS: JSON (`{"pageSizeCap":50}`) or `key=value` pairs separated by commas
 * (`pageSizeCap=50,overPageSizeCap=clamp`; `none` = null).
 */
export function readingsFromText(raw: string): Partial<Readings> {
	const text = raw.trim();
	if (text === '') return {};
	let value: Record<string, unknown>;
	if (text.startsWith('{')) value = JSON.parse(text) as Record<string, unknown>;
	else {
		value = {};
		for (const pair of text.split(',')) {
			const [key, rawValue = ''] = pair.split('=').map((s) => s.trim());
			if (!key) continue;
			value[key] =
				rawValue === 'none' || rawValue === 'null'
					? null
					: /^\d+$/.test(rawValue)
						? Number(rawValue)
						: rawValue;
		}
	}
	const problem = readingsProblem(value);
	if (problem) throw new Error(`SCRAVIO_SANDBOX_READINGS: ${problem}`);
	return value as Partial<Readings>;
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
	if (env.SCRAVIO_SANDBOX_READINGS)
		options.readings = { ...DEFAULT_READINGS, ...readingsFromText(env.SCRAVIO_SANDBOX_READINGS) };
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
