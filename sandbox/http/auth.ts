/**
 * Authentication and workspace resolution, as a Fastify onRequest hook on /api routes, driven by
 * the contract's x-scravio-auth and x-scravio-permission extensions:
 * - X-API-Key (sk_live_..., account-scoped or bound to one workspace) or Authorization: Bearer.
 * - X-Workspace-Id selects the workspace; without it the key's workspace or the account default.
 * - A bound key with another workspace id: 403. Account-scoped-keys-only routes refuse bound keys: 403.
 * - Not a member of the workspace: 403. Role without the route's permission: 403.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthExtension, ContractRoute, Permission } from './contract';
import type { Caller, SandboxContext } from './context';
import { ApiError, badField, forbidden, unauthorized } from './errors';
import { ROLE_PERMISSIONS } from '../model/presets';
import type { Account } from '../model/accountStore';

function header(request: FastifyRequest, name: string): string | undefined {
	const value = request.headers[name];
	if (value === undefined) return undefined;
	return Array.isArray(value) ? value[0] : value;
}

/** Resolves the credential of a request; throws 401 when missing or invalid. */
function authenticate(
	ctx: SandboxContext,
	request: FastifyRequest,
): Omit<Caller, 'workspace' | 'role'> {
	const state = ctx.state;
	const apiKey = header(request, 'x-api-key');
	const authorization = header(request, 'authorization');
	if (apiKey !== undefined) {
		const record = apiKey.startsWith('sk_live_') ? state.apiKeys.get(apiKey.trim()) : undefined;
		if (!record) throw unauthorized('Invalid API key');
		return { account: state.accounts.get(record.accountId)!, via: 'apiKey', apiKey: record };
	}
	if (authorization !== undefined) {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
		if (!match) throw unauthorized('Authorization header must be "Bearer <accessToken>"');
		const accountId = state.accessTokens.get(match[1]);
		if (!accountId) throw unauthorized('Invalid or expired access token');
		return { account: state.accounts.get(accountId)!, via: 'bearer', apiKey: null };
	}
	throw unauthorized('Missing credentials: send X-API-Key or Authorization: Bearer <accessToken>');
}

function resolveWorkspace(
	ctx: SandboxContext,
	request: FastifyRequest,
	caller: Omit<Caller, 'workspace' | 'role'>,
	auth: AuthExtension,
) {
	const requested = header(request, 'x-workspace-id')?.trim() || undefined;
	const account: Account = caller.account;
	let workspaceId: string;
	if (caller.apiKey?.workspaceId) {
		if (requested && requested !== caller.apiKey.workspaceId) {
			throw forbidden(
				`This API key is bound to workspace ${caller.apiKey.workspaceId}; X-Workspace-Id ${requested} does not match`,
				'WORKSPACE_MISMATCH',
			);
		}
		workspaceId = caller.apiKey.workspaceId;
	} else if (auth.accountScopedKeysOnly && caller.via === 'apiKey') {
		// "Use Bearer/JWT auth when you need workspace selection on validation jobs": an API key
		// works in the account's default workspace here. Whether X-Workspace-Id is then ignored
		// or refused is a reading (validationJobWorkspaceHeader).
		if (requested && ctx.config.readings.validationJobWorkspaceHeader === 'refuse') {
			throw badField(
				'X-Workspace-Id',
				'Workspace selection on validation jobs needs Bearer/JWT auth; do not send X-Workspace-Id with an API key',
				'headers',
			);
		}
		workspaceId = account.defaultWorkspaceId;
	} else {
		workspaceId = requested ?? account.defaultWorkspaceId;
	}
	const workspace = ctx.state.workspaces.get(workspaceId);
	const role = workspace?.members.get(account.id);
	if (!workspace || !role)
		throw forbidden(`No access to workspace ${workspaceId}`, 'WORKSPACE_ACCESS_DENIED');
	return { workspace, role };
}

export function registerAuthHook(
	app: FastifyInstance,
	ctx: SandboxContext,
	routes: Map<string, ContractRoute>,
): void {
	app.decorateRequest('caller', null);
	app.addHook('onRequest', async (request) => {
		const operationId = request.routeOptions.config?.operationId;
		if (!operationId) return;
		const route = routes.get(operationId);
		if (!route) return;
		const auth: AuthExtension = route.operation['x-scravio-auth'] ?? {};

		if (auth.public) {
			if (auth.rejectApiKey && request.headers['x-api-key'] !== undefined) {
				throw new ApiError(
					401,
					'API_KEY_NOT_ALLOWED',
					'Do not send X-API-Key to this route; open the download URL without it (optional auth: Bearer)',
					[
						{
							param: 'X-API-Key',
							msg: 'X-API-Key is not accepted on the public download route',
							location: 'headers',
						},
					],
				);
			}
			if (request.headers.authorization !== undefined) {
				const caller = authenticate(ctx, request);
				request.caller = { ...caller, workspace: null, role: null };
			}
			return;
		}

		const caller = authenticate(ctx, request);
		if (auth.accountScopedKeysOnly && caller.apiKey?.workspaceId) {
			throw forbidden(
				'This route needs an account-scoped API key; workspace-bound keys are rejected. Use an account-scoped key or Bearer auth.',
				'ACCOUNT_SCOPED_KEY_REQUIRED',
			);
		}
		if (auth.accountScoped) {
			if (request.headers['x-workspace-id'] !== undefined) {
				throw badField(
					'X-Workspace-Id',
					'This endpoint is account-scoped: do not send X-Workspace-Id',
					'headers',
				);
			}
			request.caller = { ...caller, workspace: null, role: null };
			return;
		}
		const { workspace, role } = resolveWorkspace(ctx, request, caller, auth);
		const permission = route.operation['x-scravio-permission'] as Permission | undefined;
		if (permission && !(ROLE_PERMISSIONS[role] as readonly string[]).includes(permission)) {
			throw forbidden(
				`Your role "${role}" in workspace ${workspace.id} lacks the ${permission} permission`,
				'PERMISSION_DENIED',
			);
		}
		request.caller = { ...caller, workspace, role };
	});
}
