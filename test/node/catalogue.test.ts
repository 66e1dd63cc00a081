/**
 * The API catalogue (nodes/api/catalogue.ts) and what is derived from it: the entries agree with
 * themselves, ids cannot change a route, and the rate-limit notes the transport adds to a 429
 * are the reference's table ("Rate Limits", four routes).
 */
import type { ApiObject } from '../../nodes/api/catalogue';
import { CATALOGUE, detailPath, listPath, unwrapObject } from '../../nodes/api/catalogue';
import { FORBIDDEN_KEY_HINTS, RATE_LIMITS, rateLimitNote } from '../../nodes/api/hints';

const entries = Object.entries(CATALOGUE) as Array<[string, ApiObject]>;
const listed = entries.filter(([, object]) => object.pagination !== undefined);
const tracked = entries.filter(([, object]) => object.statuses !== undefined);

describe('catalogue', () => {
	it('has list and status entries to check', () => {
		expect(listed.map(([name]) => name)).toEqual([
			'campaign',
			'lead',
			'export',
			'validationJob',
			'creditTransaction',
		]);
		expect(tracked.map(([name]) => name)).toEqual([
			'campaign',
			'campaignValidation',
			'lead',
			'export',
			'validationJob',
		]);
	});

	it.each(listed)(
		'%s: list pagination drops duplicates by the id field of its entry',
		(_name, object) => {
			expect(object.pagination!.idField).toBe(object.idField);
		},
	);

	it.each(tracked)('%s: every status is running, succeeded or failed, once', (_name, object) => {
		const { all, running, succeeded, failed, terminal } = object.statuses!;
		expect([...running, ...succeeded, ...failed].sort()).toEqual([...all].sort());
		expect(new Set(all).size).toBe(all.length);
		expect(terminal).toEqual([...succeeded, ...failed]);
	});

	it('builds routes with the id as one encoded segment and refuses dot segments', () => {
		expect(detailPath(CATALOGUE.campaign, 'cmp 1')).toBe('/campaigns/cmp%201');
		expect(listPath(CATALOGUE.lead, 'cmp_1')).toBe('/campaigns/cmp_1/leads');
		expect(listPath(CATALOGUE.export)).toBe('/list-exports');
		expect(() => detailPath(CATALOGUE.validationJob, '..')).toThrow('would change the API route');
		expect(() => detailPath(CATALOGUE.export, 'a/b')).toThrow('would change the API route');
	});

	it('unwraps a detail answer by its envelope, and takes an answer without it as the object', () => {
		expect(unwrapObject(CATALOGUE.campaign, { campaign: { id: 'cmp_1' } })).toEqual({
			id: 'cmp_1',
		});
		expect(unwrapObject(CATALOGUE.export, { data: { exportId: 'exp_1' } })).toEqual({
			exportId: 'exp_1',
		});
		expect(unwrapObject(CATALOGUE.export, { exportId: 'exp_1' })).toEqual({ exportId: 'exp_1' });
	});
});

describe('hints', () => {
	it("holds the reference's rate-limit table", () => {
		expect(RATE_LIMITS).toEqual({
			'POST /campaigns/{id}/stop': '5 requests per minute per campaign',
			'POST /campaigns/{id}/validate': '3 requests per minute per campaign',
			'POST /validation-jobs/text': '3 requests per hour',
			'POST /list-exports': '5 requests per hour',
		});
	});

	it('names the limit of the route a 429 came from, with the campaign id as {id}', () => {
		expect(rateLimitNote({ method: 'POST', path: '/campaigns/cmp_8f2k3/stop' })).toBe(
			' (POST /campaigns/{id}/stop allows 5 requests per minute per campaign)',
		);
		expect(rateLimitNote({ method: 'POST', path: '/list-exports' })).toBe(
			' (POST /list-exports allows 5 requests per hour)',
		);
		expect(rateLimitNote({ method: 'GET', path: '/list-exports' })).toBe('');
		expect(rateLimitNote({ method: 'GET', path: '/campaigns/cmp_1/leads' })).toBe('');
	});

	it('has a 403 hint for the account-scoped routes only', () => {
		expect(Object.keys(FORBIDDEN_KEY_HINTS).sort()).toEqual(['account', 'accountKeyOnly']);
	});
});
