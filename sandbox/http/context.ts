/**
 * What the HTTP layer's parts share: the simulation (options, clock, the model's state, faults,
 * rate limits, files, webhooks) plus the request log, the file host and the API URL. Routes get
 * this object, never globals.
 */
import type { Account, ApiKeyRecord, Workspace } from '../model/accountStore';
import type { Role } from '../model/seedData';
import type { Simulation } from '../simulation/simulation';
import type { RequestLog } from './requestLog';
import type { StorageHost } from './storage';

export interface SandboxContext extends Simulation {
	requestLog: RequestLog;
	/** The file host (signed URLs, its request log). */
	storage: StorageHost;
	/** http://host:port/api, known once the server listens. */
	apiUrl: string;
}

/** Who is calling, resolved by the auth hook. */
export interface Caller {
	account: Account;
	via: 'apiKey' | 'bearer';
	apiKey: ApiKeyRecord | null;
	/** Effective workspace (absent on account-scoped routes and public routes). */
	workspace: Workspace | null;
	role: Role | null;
}

declare module 'fastify' {
	interface FastifyContextConfig {
		operationId?: string;
	}
	interface FastifyRequest {
		caller: Caller | null;
		/** Set by the fault injector: a scripted fault to apply after the handler ran. */
		afterFault: import('../simulation/faults').ScriptedFault | null;
		/** This request's entry in the request log (API routes only). */
		logEntry: import('./requestLog').RequestLogEntry | null;
	}
}
