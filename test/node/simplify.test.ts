/**
 * Simplify on Get and Get Many of leads, campaigns, exports and validation jobs, through n8n's
 * engine against the sandbox: with Simplify on, each item holds exactly the documented main fields
 * (those the API returned), with the same values as the full object; the request is the same; off
 * (the default, as in workflows saved before the option) returns the full object.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import {
	SIMPLIFIED_FIELDS,
	type SimplifiedObject,
} from '../../nodes/Scravio/actions/output/simplify';
import { byId, json, startTestbed, type Testbed } from './setup';

let bed: Testbed;
beforeAll(async () => {
	bed = await startTestbed();
	// One export and one validation job, so that every list has something in it.
	await bed.advance(3601);
	json(
		await bed.run({
			resource: 'validationJob',
			operation: 'create',
			emails: 'anna@example.com\nben@example.org',
		}),
	);
	json(
		await bed.run({
			resource: 'export',
			operation: 'create',
			campaignId: byId('cmp_demo_hashtag'),
		}),
	);
});
afterAll(async () => await bed.close());

const CASES: Array<{
	kind: SimplifiedObject;
	resource: string;
	idField: string;
	locator: string;
	extra?: IDataObject;
}> = [
	{
		kind: 'lead',
		resource: 'lead',
		idField: 'id',
		locator: '',
		extra: { campaignId: byId('cmp_demo_hashtag') },
	},
	{ kind: 'campaign', resource: 'campaign', idField: 'id', locator: 'campaignId' },
	{ kind: 'export', resource: 'export', idField: 'exportId', locator: 'exportId' },
	{ kind: 'validationJob', resource: 'validationJob', idField: 'jobId', locator: 'jobId' },
];

function expectSimplified(kind: SimplifiedObject, simple: IDataObject, full: IDataObject) {
	const expectedKeys = SIMPLIFIED_FIELDS[kind].filter(
		(field) => field in full || (kind === 'lead' && field === 'validationStatus'),
	);
	expect(Object.keys(simple)).toEqual(expectedKeys);
	for (const key of expectedKeys) {
		if (kind === 'lead' && key === 'validationStatus') {
			expect(simple[key]).toEqual((full.emailValidation as IDataObject | null)?.status ?? null);
		} else {
			expect(simple[key]).toEqual(full[key]);
		}
	}
	expect(Object.keys(simple).length).toBeLessThan(Object.keys(full).length);
}

describe.each(CASES)('Simplify: $resource', ({ kind, resource, idField, locator, extra }) => {
	it('Get Many: Simplify returns the main fields of each object, same objects, same request', async () => {
		await bed.clearRequests();
		const full = json(await bed.run({ resource, operation: 'getMany', limit: 3, ...extra }));
		const fullRequests = (await bed.requests()).map((request) => request.url);
		await bed.clearRequests();
		const simple = json(
			await bed.run({ resource, operation: 'getMany', limit: 3, simplify: true, ...extra }),
		);
		const simpleRequests = (await bed.requests()).map((request) => request.url);

		expect(full.length).toBeGreaterThan(0);
		expect(simple.map((object) => object[idField])).toEqual(full.map((object) => object[idField]));
		simple.forEach((object, index) => expectSimplified(kind, object, full[index]));
		expect(simpleRequests).toEqual(fullRequests);
	});

	if (locator) {
		it('Get: Simplify returns the main fields; the default returns the full object', async () => {
			const [first] = json(await bed.run({ resource, operation: 'getMany', limit: 1 }));
			const id = String(first[idField]);
			const [full] = json(await bed.run({ resource, operation: 'get', [locator]: byId(id) }));
			const [simple] = json(
				await bed.run({ resource, operation: 'get', [locator]: byId(id), simplify: true }),
			);
			expect(full[idField]).toBe(id);
			expectSimplified(kind, simple, full);
		});
	}
});

it('a lead validated by Scravio gets its validation status; one never validated gets null', async () => {
	const run = async (filters: INodeParameters) =>
		json(
			await bed.run({
				resource: 'lead',
				operation: 'getMany',
				campaignId: byId('cmp_demo_maps'),
				limit: 5,
				simplify: true,
				filters,
			}),
		);
	const valid = await run({ validationStatus: 'valid' });
	const invalid = await run({ validationStatus: 'invalid' });
	expect(valid.length).toBeGreaterThan(0);
	expect(invalid.length).toBeGreaterThan(0);
	expect(valid.every((lead) => lead.validationStatus === 'valid')).toBe(true);
	expect(invalid.every((lead) => lead.validationStatus === 'invalid')).toBe(true);
	const unvalidated = json(
		await bed.run({
			resource: 'lead',
			operation: 'getMany',
			campaignId: byId('cmp_demo_hashtag'),
			limit: 5,
			simplify: true,
		}),
	);
	const raw = json(
		await bed.run({
			resource: 'lead',
			operation: 'getMany',
			campaignId: byId('cmp_demo_hashtag'),
			limit: 5,
		}),
	);
	unvalidated.forEach((lead, index) =>
		expect(lead.validationStatus).toBe(
			(raw[index].emailValidation as IDataObject | null)?.status ?? null,
		),
	);
});
