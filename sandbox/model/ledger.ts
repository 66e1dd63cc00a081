/**
 * The credit ledger. Every balance change of an account is one entry; balanceBefore + amount =
 * balanceAfter, and entries of an account are in time order, so the sum of amounts always equals
 * the balance change (the invariant the tests check).
 *
 * Campaign accounting: `reserve` takes the reserved credits (negative amount); when the campaign
 * ends, `use` records the credits actually spent (amount 0: they were already taken by the reserve)
 * and `return` gives the unused rest back (positive amount).
 */

export type LedgerType = 'purchase' | 'reserve' | 'use' | 'return';

export interface LedgerDetails {
	kind: string | null;
	reservedCredits: number | null;
	usedCredits: number | null;
	returnedCredits: number | null;
	amountPaid: number | null;
	method: 'card' | 'crypto' | null;
}

export interface LedgerEntry {
	id: string;
	accountId: string;
	timestamp: number;
	balanceBefore: number;
	amount: number;
	balanceAfter: number;
	type: LedgerType;
	description: string;
	campaignId: string | null;
	details: LedgerDetails | null;
}

export function details(partial: Partial<LedgerDetails>): LedgerDetails {
	return {
		kind: null,
		reservedCredits: null,
		usedCredits: null,
		returnedCredits: null,
		amountPaid: null,
		method: null,
		...partial,
	};
}

export interface AccountBalance {
	id: string;
	credits: number;
}

export class Ledger {
	private readonly entries = new Map<string, LedgerEntry[]>();
	private counter = 0;

	constructor(private readonly newId: (counter: number) => string) {}

	/** Books an entry at `at` (moved forward to keep the account's entries in time order). */
	post(
		account: AccountBalance,
		entry: {
			at: number;
			type: LedgerType;
			amount: number;
			description: string;
			campaignId?: string | null;
			details?: LedgerDetails | null;
		},
	): LedgerEntry {
		const list = this.entries.get(account.id) ?? [];
		const last = list[list.length - 1];
		const timestamp = last ? Math.max(entry.at, last.timestamp) : entry.at;
		const balanceBefore = account.credits;
		const balanceAfter = balanceBefore + entry.amount;
		account.credits = balanceAfter;
		const record: LedgerEntry = {
			id: this.newId(++this.counter),
			accountId: account.id,
			timestamp,
			balanceBefore,
			amount: entry.amount,
			balanceAfter,
			type: entry.type,
			description: entry.description,
			campaignId: entry.campaignId ?? null,
			details: entry.details ?? null,
		};
		list.push(record);
		this.entries.set(account.id, list);
		return record;
	}

	forAccount(accountId: string): readonly LedgerEntry[] {
		return this.entries.get(accountId) ?? [];
	}
}

export function toApiTransaction(entry: LedgerEntry) {
	const iso = new Date(entry.timestamp).toISOString();
	return {
		id: entry.id,
		timestamp: iso,
		balanceBefore: entry.balanceBefore,
		amount: entry.amount,
		balanceAfter: entry.balanceAfter,
		type: entry.type,
		description: entry.description,
		campaignId: entry.campaignId,
		details: entry.details,
		createdAt: iso,
	};
}
