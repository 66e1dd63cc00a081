import type { IExecuteFunctions } from 'n8n-workflow';
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
		throw fail(`${EMAILS_FIELD} is empty`, `Enter at least one e-mail address in the "${EMAILS_FIELD}" field, one per line or separated by commas.`);
	}
	const malformed = emails.filter((email) => !EMAIL_SYNTAX.test(email));
	if (malformed.length > 0) {
		const shown = malformed.slice(0, 5).map((email) => `"${email}"`).join(', ');
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
