import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** POST /validation-jobs/text takes 1 to 5000 unique addresses. */
export const MAX_EMAILS_PER_JOB = 5000;

/** Deliberately lenient: catches pasted names, headers and half addresses, not exotic-but-valid ones. */
export const EMAIL_SYNTAX = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const EMAILS_FIELD = 'Emails';

/** Splits text typed one per line or comma/semicolon-separated; arrays (from an expression) are flattened. */
export function splitEmails(value: unknown): string[] {
	if (Array.isArray(value)) return value.flatMap((entry) => splitEmails(entry));
	if (value === undefined || value === null) return [];
	return String(value)
		.split(/[\n\r,;]+/)
		.map((email) => email.trim())
		.filter((email) => email !== '');
}

/** Removes duplicates case-insensitively; the first spelling wins, as on the API. */
export function dedupeEmails(emails: string[]): string[] {
	const seen = new Set<string>();
	return emails.filter((email) => {
		const key = email.toLowerCase();
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

/**
 * Checks a list of addresses before any credit is spent: 1 to 5000 unique addresses, each of
 * them looking like an e-mail. Errors name the "Emails" field and the offending entries.
 */
export function checkEmails(context: IExecuteFunctions, raw: unknown, itemIndex: number): string[] {
	const emails = dedupeEmails(splitEmails(raw));
	const fail = (message: string, description: string) =>
		new NodeOperationError(context.getNode(), message, { itemIndex, description });

	if (emails.length === 0) {
		throw fail(
			`${EMAILS_FIELD} is empty`,
			`Enter at least one e-mail address in the "${EMAILS_FIELD}" field, one per line or separated by commas.`,
		);
	}
	const malformed = emails.filter((email) => !EMAIL_SYNTAX.test(email));
	if (malformed.length > 0) {
		const shown = malformed
			.slice(0, 5)
			.map((email) => `"${email}"`)
			.join(', ');
		const more = malformed.length > 5 ? ` and ${malformed.length - 5} more` : '';
		throw fail(
			malformed.length === 1
				? `${EMAILS_FIELD} contains 1 entry that is not an e-mail address`
				: `${EMAILS_FIELD} contains ${malformed.length} entries that are not e-mail addresses`,
			`Not e-mail addresses: ${shown}${more}. Fix or remove them in the "${EMAILS_FIELD}" field.`,
		);
	}
	if (emails.length > MAX_EMAILS_PER_JOB) {
		throw fail(
			`${EMAILS_FIELD} has ${emails.length} unique addresses, more than the ${MAX_EMAILS_PER_JOB} a validation job accepts`,
			`Split the list into jobs of at most ${MAX_EMAILS_PER_JOB} addresses (for example with the Loop Over Items node).`,
		);
	}
	return emails;
}

/**
 * Masked e-mails. Scravio masks lead e-mails for some accounts (`shouldMaskEmail` on GET /auth/me);
 * such a lead says `emailMasked: true` and its `email` is not the real address (the sandbox shows
 * `a***@example.com`; the reference does not give the format). Validating it would cost credits
 * and say nothing about the real address, so masked addresses are never sent to a paid validation:
 * an address is masked when it holds a `*`, or when its input item says `emailMasked: true` and
 * the address is that item's `email`.
 */
export function isMaskedAddress(address: string, itemJson: IDataObject = {}): boolean {
	if (address.includes('*')) return true;
	if (itemJson.emailMasked !== true) return false;
	const key = address.toLowerCase();
	return splitEmails(itemJson.email).some((email) => email.toLowerCase() === key);
}

/**
 * "One Job per Item": the item's addresses without the masked ones (reported, never sent), then
 * checked as `checkEmails` does. An item whose addresses are all masked is an error that says why.
 */
export function withoutMasked(
	context: IExecuteFunctions,
	raw: unknown,
	itemJson: IDataObject,
	itemIndex: number,
): { emails: string[]; masked: string[] } {
	const all = dedupeEmails(splitEmails(raw));
	const masked = all.filter((email) => isMaskedAddress(email, itemJson));
	if (masked.length > 0 && masked.length === all.length) {
		throw new NodeOperationError(
			context.getNode(),
			`${EMAILS_FIELD} holds only masked addresses (${masked
				.slice(0, 3)
				.map((email) => `"${email}"`)
				.join(', ')}${masked.length > 3 ? ', …' : ''})`,
			{
				itemIndex,
				description:
					'Scravio masks lead e-mails for this account (shouldMaskEmail), so these are not the real addresses. Validating them would cost credits for nothing, so they are never sent. Use an account that shows e-mails, or reveal them in Scravio first.',
			},
		);
	}
	const emails = checkEmails(
		context,
		all.filter((email) => !masked.includes(email)),
		itemIndex,
	);
	return { emails, masked };
}
