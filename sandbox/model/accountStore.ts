/**
 * Accounts, workspaces and the credentials that lead to them (API keys, bearer tokens), seeded from
 * seedData.ts and presets.ts. Each account's starting balance is one purchase in the ledger.
 */
import { details, type Ledger } from './ledger';
import { PRESETS } from './presets';
import {
	ACCOUNT_SEEDS,
	EXTRA_ACCESS_TOKENS,
	EXTRA_API_KEYS,
	WORKSPACE_SEEDS,
	type AccountSeed,
	type Role,
} from './seedData';

export type Account = AccountSeed;

export interface Workspace {
	id: string;
	name: string;
	plan: 'paid' | 'free' | 'project_pass';
	seatLimit: number;
	otherSeats: number;
	members: Map<string, Role>;
}

export interface ApiKeyRecord {
	key: string;
	accountId: string;
	/** null: account-scoped. */
	workspaceId: string | null;
}

export class AccountStore {
	readonly accounts = new Map<string, Account>();
	readonly workspaces = new Map<string, Workspace>();
	readonly apiKeys = new Map<string, ApiKeyRecord>();
	/** Bearer token -> account id. */
	readonly accessTokens = new Map<string, string>();

	/** The preset accounts (balance booked in the ledger), workspaces, keys and tokens. */
	seed(ledger: Ledger, largeData: boolean, now: number): void {
		for (const seed of ACCOUNT_SEEDS) {
			const account: Account = {
				...seed,
				credits: 0,
				emailRevealUsage: { ...seed.emailRevealUsage },
				subscription: { ...seed.subscription },
			};
			this.accounts.set(account.id, account);
			// The starting balance is one purchase a month ago, so the ledger explains the balance.
			ledger.post(account, {
				at: now - 30 * 86_400_000,
				type: 'purchase',
				amount: seed.credits,
				description: `Purchased ${seed.credits.toLocaleString('en-US')} credits`,
				details: details({
					kind: 'purchase',
					amountPaid: Math.round(seed.credits * 0.002 * 100) / 100,
					method: 'card',
				}),
			});
		}
		for (const seed of WORKSPACE_SEEDS) {
			if (seed.largeDataOnly && !largeData) continue;
			this.workspaces.set(seed.id, {
				id: seed.id,
				name: seed.name,
				plan: seed.plan,
				seatLimit: seed.seatLimit,
				otherSeats: seed.otherSeats,
				members: new Map(seed.members),
			});
		}
		const { apiKeys, accounts, workspaces, accessTokens } = PRESETS;
		this.addKey(apiKeys.account, accounts.demo.id, null);
		this.addKey(apiKeys.teamBound, accounts.demo.id, workspaces.team);
		this.addKey(apiKeys.free, accounts.free.id, null);
		this.addKey(apiKeys.stranger, accounts.stranger.id, null);
		for (const extra of EXTRA_API_KEYS) this.addKey(extra.key, extra.accountId, extra.workspaceId);
		this.accessTokens.set(accessTokens.demo, accounts.demo.id);
		this.accessTokens.set(accessTokens.free, accounts.free.id);
		for (const extra of EXTRA_ACCESS_TOKENS) this.accessTokens.set(extra.token, extra.accountId);
	}

	private addKey(key: string, accountId: string, workspaceId: string | null): void {
		this.apiKeys.set(key, { key, accountId, workspaceId });
	}
}
