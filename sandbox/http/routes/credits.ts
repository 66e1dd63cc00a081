/** GET /credit-transactions: the account's ledger (account-scoped, no workspace). */
import type { FastifyInstance } from 'fastify';
import type { ContractRoute } from '../contract';
import type { SandboxContext } from '../context';
import { toApiTransaction } from '../../model/ledger';
import { caller, compare, dateParam, defineRoute, pagination, paging } from './util';

export function registerCreditRoutes(
	app: FastifyInstance,
	ctx: SandboxContext,
	routes: Map<string, ContractRoute>,
): void {
	defineRoute(app, routes, 'listCreditTransactions', async (request) => {
		const query = request.query as Record<string, unknown>;
		const { account } = caller(request);
		const { page, size, offset } = paging(ctx, query);
		const from = dateParam(query, 'from', false);
		const to = dateParam(query, 'to', true);
		const desc = (query.order ?? 'desc') === 'desc';
		const byAmount = query.sortBy === 'amount';
		const rows = ctx.state.ledger
			.forAccount(account.id)
			.map((entry, index) => ({ entry, index }))
			.filter(
				({ entry }) =>
					(query.type === undefined || entry.type === query.type) &&
					(query.campaignId === undefined || entry.campaignId === query.campaignId) &&
					(from === undefined || entry.timestamp >= from) &&
					(to === undefined || entry.timestamp <= to),
			);
		// Ties keep booking order (reversed for desc), so balanceBefore/After chain in the listing.
		rows.sort(
			(a, b) =>
				(desc ? -1 : 1) *
				(compare(
					byAmount ? a.entry.amount : a.entry.timestamp,
					byAmount ? b.entry.amount : b.entry.timestamp,
				) || compare(a.index, b.index)),
		);
		return {
			transactions: rows.slice(offset, offset + size).map(({ entry }) => toApiTransaction(entry)),
			pagination: pagination(rows.length, page, size),
			requestId: request.id,
		};
	});
}
