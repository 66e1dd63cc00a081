/**
 * The tiny RFC 4180 reader behind per-item validation results (no CSV dependency in shipped
 * code): quoting, line breaks, BOM, and columns found by header name whatever their order.
 */
import { csvRecords, parseCsv } from '../../nodes/files/csv';

describe('parseCsv', () => {
	it('reads quoted cells with commas, doubled quotes and line breaks, CRLF or LF, and skips blank lines', () => {
		const text =
			'\uFEFFemail,note\r\n"a@x.com","said ""hi"", then\r\nleft"\n\nb@x.com,\r\nc@x.com,"last"';
		expect(parseCsv(text)).toEqual([
			['email', 'note'],
			['a@x.com', 'said "hi", then\r\nleft'],
			['b@x.com', ''],
			['c@x.com', 'last'],
		]);
	});

	it('keeps an empty last cell and a trailing line break gives no extra row', () => {
		expect(parseCsv('a,b,\r\n')).toEqual([['a', 'b', '']]);
	});
});

describe('csvRecords', () => {
	it('keys cells by header name, so column order and extra columns do not matter; true/false become booleans', () => {
		const { headers, records } = csvRecords(
			'reason, Email ,isValid,extra\r\naccepted_email,a@x.com,true,1\r\nmailbox_not_found,b@x.com,false,\r\n',
		);
		expect(headers).toEqual(['reason', 'Email', 'isValid', 'extra']);
		expect(records).toEqual([
			{ reason: 'accepted_email', Email: 'a@x.com', isValid: true, extra: '1' },
			{ reason: 'mailbox_not_found', Email: 'b@x.com', isValid: false, extra: '' },
		]);
	});
});
