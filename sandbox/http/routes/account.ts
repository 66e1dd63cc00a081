/** GET /auth/me */
import type { FastifyInstance } from 'fastify';
import type { ContractRoute } from '../contract';
import type { SandboxContext } from '../context';
import { ROLE_PERMISSIONS } from '../../model/presets';
import { caller, defineRoute, workspaceOf, masksEmails } from './util';

export function registerAccountRoutes(
	app: FastifyInstance,
	ctx: SandboxContext,
	routes: Map<string, ContractRoute>,
): void {
	defineRoute(app, routes, 'getAccount', async (request) => {
		const { account, role } = caller(request);
		const ws = workspaceOf(request);
		return {
			id: account.id,
			email: account.email,
			name: account.name,
			shouldMaskEmail: masksEmails(ctx, account),
			emailRevealUsage: { ...account.emailRevealUsage },
			credits: account.credits,
			subscription: { ...account.subscription },
			workspace: {
				id: ws.id,
				name: ws.name,
				role: role!,
				permissions: [...ROLE_PERMISSIONS[role!]],
				// One credit pool per account in the sandbox: the workspace shows the caller's balance.
				credits: account.credits,
				seatSummary: { used: ws.members.size + ws.otherSeats, limit: ws.seatLimit },
			},
		};
	});
}
