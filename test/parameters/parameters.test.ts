/**
 * Stable parameters: saved workflows store parameter NAMES and VALUES (option values, defaults
 * that were never changed are left out of the saved JSON and re-applied at load). So renaming or
 * removing a parameter, changing its type or default, or dropping an option value silently changes
 * what an existing workflow does. This test pins version 1 of both nodes and of the credential
 * against the committed snapshot `v1-parameters.json`.
 *
 *  - A parameter, default, type, option value or locator mode that is REMOVED or CHANGED fails:
 *    that needs a new node version (see README "Versions and saved workflows").
 *  - Something only ADDED (a new parameter, a new option value) is fine for saved workflows; the
 *    test still fails until the snapshot is updated on purpose, so that every addition is seen:
 *        UPDATE_PARAMS_SNAPSHOT=1 npx jest test/parameters
 *    Updating never hides a removal or a change: in update mode the test still fails on those.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type {
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';

import { ScravioApi } from '../../credentials/ScravioApi.credentials';
import { Scravio } from '../../nodes/Scravio/Scravio.node';
import { ScravioTrigger } from '../../nodes/ScravioTrigger/ScravioTrigger.node';

const SNAPSHOT = join(__dirname, 'v1-parameters.json');
const UPDATE = process.env.UPDATE_PARAMS_SNAPSHOT === '1';

/** What a saved workflow depends on, for one parameter in one place. */
export interface PinnedParameter {
	type: string;
	default: unknown;
	/** Values of `options` / `multiOptions` parameters. */
	options?: string[];
	/** Mode names of a resource locator. */
	modes?: string[];
}

type Pins = Record<string, PinnedParameter>;

function optionValue(
	option: INodePropertyOptions | INodeProperties | INodePropertyCollection,
): string {
	return String((option as INodePropertyOptions).value);
}

/**
 * Where a parameter shows, as part of its key: a parameter named `limit` under Lead › Get Many is
 * not the one under Campaign › Get Many. A parameter shown for several resources or operations
 * gets one key per pair (trigger: per event), so showing it for one more operation is an addition, not a change.
 * Other display conditions (e.g. a campaign type) are not part of the key, so widening them is no
 * change; they only tell apart two parameters of the same name in the same place.
 */
function placements(property: INodeProperties): { keys: string[]; conditions: string } {
	const show = { ...(property.displayOptions?.show ?? {}) } as Record<string, unknown[]>;
	// resource/operation on the node, event on the trigger
	let keys = [''];
	for (const dimension of ['resource', 'operation', 'event']) {
		const values = show[dimension];
		delete show[dimension];
		if (!values) continue;
		keys = keys.flatMap((key) =>
			values.map((value) => (key ? `${key}/${String(value)}` : String(value))),
		);
	}
	const conditions = JSON.stringify({ show, hide: property.displayOptions?.hide ?? {} });
	return { keys, conditions };
}

function pinProperties(properties: INodeProperties[], prefix: string, pins: Pins): void {
	for (const property of properties) {
		const { keys: where, conditions } = prefix
			? { keys: [prefix], conditions: '' }
			: placements(property);
		for (const place of where) {
			const key = prefix
				? `${place}.${property.name}`
				: `${place ? `${place} ` : ''}${property.name}`;
			const pin: PinnedParameter = { type: property.type, default: property.default };
			if (property.type === 'options' || property.type === 'multiOptions') {
				pin.options = (property.options ?? []).map(optionValue);
			}
			if (property.type === 'resourceLocator') {
				pin.modes = (property.modes ?? []).map((mode) => mode.name);
			}
			// A name that repeats in one place (shown under different values of another parameter)
			// gets its display conditions in the key.
			const unique = pins[key] ? `${key} ${conditions}` : key;
			pins[unique] = pin;
			if (property.type === 'collection') {
				pinProperties((property.options ?? []) as INodeProperties[], unique, pins);
			}
			if (property.type === 'fixedCollection') {
				for (const group of (property.options ?? []) as INodePropertyCollection[]) {
					pinProperties(group.values, `${unique}.${group.name}`, pins);
				}
			}
		}
	}
}

function v1Description(node: { description: INodeTypeDescription }): INodeTypeDescription {
	const versions = Array.isArray(node.description.version)
		? node.description.version
		: [node.description.version];
	expect(versions).toContain(1);
	return node.description;
}

function currentPins(): Record<string, Pins> {
	const all: Record<string, Pins> = {};
	for (const node of [new Scravio(), new ScravioTrigger()]) {
		const description = v1Description(node);
		const pins: Pins = {};
		pinProperties(description.properties, '', pins);
		all[`node ${description.name} v1`] = pins;
	}
	const credential = new ScravioApi();
	const pins: Pins = {};
	pinProperties(credential.properties, '', pins);
	all[`credential ${credential.name}`] = pins;
	return all;
}

/** Removed or changed parameters (break saved workflows) and added ones (need a snapshot update). */
export function compare(
	pinned: Record<string, Pins>,
	current: Record<string, Pins>,
): { breaking: string[]; added: string[] } {
	const breaking: string[] = [];
	const added: string[] = [];
	for (const [owner, oldPins] of Object.entries(pinned)) {
		const newPins = current[owner];
		if (!newPins) {
			breaking.push(`${owner}: missing`);
			continue;
		}
		for (const [key, old] of Object.entries(oldPins)) {
			const now = newPins[key];
			if (!now) {
				breaking.push(`${owner}: "${key}" was removed (or renamed, or no longer shown there)`);
				continue;
			}
			if (now.type !== old.type)
				breaking.push(`${owner}: "${key}" changed type ${old.type} → ${now.type}`);
			if (JSON.stringify(now.default) !== JSON.stringify(old.default)) {
				breaking.push(
					`${owner}: "${key}" changed default ${JSON.stringify(old.default)} → ${JSON.stringify(now.default)}`,
				);
			}
			for (const [field, label] of [
				['options', 'option value'],
				['modes', 'locator mode'],
			] as const) {
				const missing = (old[field] ?? []).filter((value) => !(now[field] ?? []).includes(value));
				if (missing.length)
					breaking.push(`${owner}: "${key}" lost ${label}(s) ${missing.join(', ')}`);
				const extra = (now[field] ?? []).filter((value) => !(old[field] ?? []).includes(value));
				if (extra.length) added.push(`${owner}: "${key}" new ${label}(s) ${extra.join(', ')}`);
			}
		}
		for (const key of Object.keys(newPins))
			if (!oldPins[key]) added.push(`${owner}: "${key}" is new`);
	}
	for (const owner of Object.keys(current)) if (!pinned[owner]) added.push(`${owner}: new`);
	return { breaking, added };
}

describe('v1 parameters of Scravio, Scravio Trigger and the Scravio API credential', () => {
	const current = currentPins();

	it('no parameter, type, default, option value or locator mode of the snapshot was removed or changed; additions are in the snapshot', () => {
		if (!existsSync(SNAPSHOT)) {
			if (!UPDATE)
				throw new Error(
					`No snapshot ${SNAPSHOT}. Create it with UPDATE_PARAMS_SNAPSHOT=1 npx jest test/parameters`,
				);
			writeFileSync(SNAPSHOT, `${JSON.stringify(current, null, '\t')}\n`);
			return;
		}
		const pinned = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Record<string, Pins>;
		const { breaking, added } = compare(pinned, current);
		if (breaking.length) {
			throw new Error(
				`These changes would silently alter saved workflows (v1):\n  ${breaking.join('\n  ')}\n` +
					'Keep the old name/type/default/values in version 1 and make the change in a new node version ' +
					'(README: "Versions and saved workflows"). Updating the snapshot does not make this pass.',
			);
		}
		if (added.length && UPDATE) {
			writeFileSync(SNAPSHOT, `${JSON.stringify(current, null, '\t')}\n`);
			return;
		}
		if (added.length) {
			throw new Error(
				`New parameters or values (fine for saved workflows):\n  ${added.join('\n  ')}\n` +
					'Record them on purpose: UPDATE_PARAMS_SNAPSHOT=1 npx jest test/parameters',
			);
		}
	});

	it('the comparison reports removals, changes and additions (guards the guard)', () => {
		const base: Record<string, Pins> = {
			'node x v1': {
				'lead/getMany limit': { type: 'number', default: 50 },
				'lead/getMany filters.validationStatus': {
					type: 'options',
					default: 'valid',
					options: ['valid', 'invalid'],
				},
			},
		};
		expect(compare(base, base)).toEqual({ breaking: [], added: [] });
		const changed = structuredClone(base);
		changed['node x v1']['lead/getMany limit'].default = 100;
		changed['node x v1']['lead/getMany filters.validationStatus'].options = ['valid', 'pending'];
		changed['node x v1']['lead/getMany simplify'] = { type: 'boolean', default: false };
		const result = compare(base, changed);
		expect(result.breaking).toEqual([
			'node x v1: "lead/getMany limit" changed default 50 → 100',
			'node x v1: "lead/getMany filters.validationStatus" lost option value(s) invalid',
		]);
		expect(result.added).toEqual([
			'node x v1: "lead/getMany filters.validationStatus" new option value(s) pending',
			'node x v1: "lead/getMany simplify" is new',
		]);
		delete changed['node x v1']['lead/getMany limit'];
		expect(compare(base, changed).breaking[0]).toBe(
			'node x v1: "lead/getMany limit" was removed (or renamed, or no longer shown there)',
		);
	});

	it('pins real parameters (the snapshot is not empty and covers each node and the credential)', () => {
		expect(Object.keys(current)).toEqual([
			'node scravio v1',
			'node scravioTrigger v1',
			'credential scravioApi',
		]);
		expect(current['node scravio v1']['lead/getMany limit']).toEqual({
			type: 'number',
			default: 50,
		});
		expect(current['credential scravioApi'].authentication.options).toEqual([
			'apiKey',
			'accessToken',
		]);
	});
});
