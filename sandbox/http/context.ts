/**
 * What every part of the sandbox shares: the options (mutable at run time), the clock, the state
 * (replaced on reset), the logs, and the storage host. Routes get this object, never globals.
 */
import type { VirtualClock } from './clock';
import type { SandboxOptions } from './config';
import type { FaultInjector } from './faults';
import type { RequestLog } from './requestLog';
import type { SandboxState, Workspace, Account, ApiKeyRecord } from './state';
import type { StorageHost } from './storage';
import type { WebhookSender } from './webhooks';
import type { Role } from './seedData';

export interface SandboxContext {
	config: SandboxOptions;
	clock: VirtualClock;
	state: SandboxState;
	requestLog: RequestLog;
	faults: FaultInjector;
	storage: StorageHost;
	webhooks: WebhookSender;
	/** http://host:port/api, known once the server listens. */
	apiUrl: string;
	log(message: string): void;
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
		afterFault: import('./faults').ScriptedFault | null;
		/** This request's entry in the request log (API routes only). */
		logEntry: import('./requestLog').RequestLogEntry | null;
	}
}
