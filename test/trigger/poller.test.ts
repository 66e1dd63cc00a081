/**
 * The poll machinery (nodes/ScravioTrigger/poller.ts) against a small in-memory API, for the
 * cases the sandbox cannot produce on demand: list requests answered out of order while an object
 * moves between running statuses, a record stamped an hour ahead of the API's clock, and records
 * without createdAt. (Everything else runs against the sandbox through n8n's poll machinery.)
 */
import type { IDataObject } from 'n8n-workflow';

import { CAMPAIGN_KIND } from '../../nodes/ScravioTrigger/events';
import type { PollerApi } from '../../nodes/ScravioTrigger/poller';
import { baselineState, pollOnce } from '../../nodes/ScravioTrigger/poller';
import { SEEN_MAX, UNDATED_MAX } from '../../nodes/ScravioTrigger/state';

const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const filter = { statuses: ['fully_completed'], campaignTypes: [], campaignId: '' };

interface FakeCampaign {
	id: string;
	status: string;
	createdAt?: string;
}

/** Campaigns newest first (records without createdAt first, as SQL's NULLS FIRST puts them). */
class FakeApi implements PollerApi {
	campaigns: FakeCampaign[] = [];
	/** The API's clock in the Date header (undefined: no header). */
	now: number | undefined = T0;
	/** Called right after a list request's answer is made (after its delay), with what it holds. */
	onList: (qs: IDataObject, ids: string[]) => void = () => undefined;
	/** Status lists are answered later the earlier the status comes (the network reorders them). */
	reorder = false;
	listCalls: IDataObject[] = [];

	add(id: string, status: string, createdAt: number | undefined): void {
		this.campaigns.push({
			id,
			status,
			...(createdAt === undefined ? {} : { createdAt: iso(createdAt) }),
		});
	}

	set(id: string, status: string): void {
		this.campaigns.find((c) => c.id === id)!.status = status;
	}

	async listPage(_kind: unknown, qs: IDataObject, page: number, pageSize: number) {
		this.listCalls.push(qs);
		if (this.reorder && qs.status) {
			const index = CAMPAIGN_KIND.runningStatuses.indexOf(String(qs.status));
			await new Promise((r) => setTimeout(r, (CAMPAIGN_KIND.runningStatuses.length - index) * 10));
		}
		const key = (c: FakeCampaign) =>
			c.createdAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(c.createdAt);
		const all = this.campaigns
			.filter((c) => !qs.status || c.status === qs.status)
			.sort((a, b) => key(b) - key(a));
		const items = all
			.slice((page - 1) * pageSize, page * pageSize)
			.map((c) => ({ ...c }) as IDataObject);
		this.onList(
			qs,
			items.map((item) => String(item.id)),
		);
		return {
			items,
			totalPages: Math.max(1, Math.ceil(all.length / pageSize)),
			pageSize,
			serverTime: this.now === undefined ? undefined : Math.floor(this.now / 1000) * 1000,
		};
	}

	async getDetail(_kind: unknown, id: string) {
		const found = this.campaigns.find((c) => c.id === id);
		return found ? ({ ...found } as IDataObject) : undefined;
	}
}

describe('first activation', () => {
	it('tracks a campaign that moves from one running status to the next while the lists are read', async () => {
		const fake = new FakeApi();
		for (let i = 0; i < 250; i++) fake.add(`done${i}`, 'fully_completed', T0 - 3600_000 + i * 1000);
		fake.add('mover', 'pending', T0 - 7200_000); // old: far down the list
		fake.reorder = true;
		// It moves on right after a list was read that could have shown it where it was going: the
		// "scraping" list (read before the "pending" list is answered), or the page that holds it.
		let moved = false;
		fake.onList = (qs, ids) => {
			if (!moved && (qs.status === 'scraping' || ids.includes('mover'))) {
				moved = true;
				fake.set('mover', 'scraping');
			}
		};
		const { state } = await baselineState(fake, CAMPAIGN_KIND, 'scope');
		expect(Object.keys(state.running)).toContain('mover');

		fake.set('mover', 'fully_completed');
		const outcome = await pollOnce(fake, CAMPAIGN_KIND, state, filter);
		expect(outcome.events.map((e) => e.id)).toEqual(['mover']);
	});
});

describe("the API's clock", () => {
	it.each([
		['with a Date header', T0 as number | undefined],
		['without a Date header (what most records say)', undefined],
	])('one record stamped an hour ahead does not blind the trigger (%s)', async (_name, now) => {
		const fake = new FakeApi();
		fake.now = now;
		for (let i = 0; i < 5; i++) fake.add(`old${i}`, 'fully_completed', T0 - 60_000 + i * 1000);
		fake.add('future', 'fully_completed', T0 + 3600_000);
		let { state } = await baselineState(fake, CAMPAIGN_KIND, 'scope');
		expect(state.floor).toBeLessThanOrEqual(T0);

		for (let minute = 1; minute <= 3; minute++) {
			if (fake.now !== undefined) fake.now = T0 + minute * 60_000;
			fake.add(`new${minute}`, 'fully_completed', T0 + minute * 60_000 - 500);
			const outcome = await pollOnce(fake, CAMPAIGN_KIND, state, filter);
			expect(outcome.events.map((e) => e.id)).toEqual([`new${minute}`]);
			state = outcome.state;
			expect(state.floor).toBeLessThanOrEqual(T0 + minute * 60_000);
		}
		// The future record is never emitted (it was there at activation), and the state stays small.
		expect(Object.keys(state.seen).length).toBeLessThanOrEqual(SEEN_MAX);
	});
});

describe('records without createdAt', () => {
	it('are emitted once, neither move the floor nor grow the state without bound', async () => {
		const fake = new FakeApi();
		for (let i = 0; i < 20; i++) fake.add(`dated${i}`, 'fully_completed', T0 - 30_000 + i * 1000);
		for (let i = 0; i < 150; i++) fake.add(`undated${i}`, 'fully_completed', undefined);
		fake.add('undatedRunning', 'scraping', undefined);
		let { state } = await baselineState(fake, CAMPAIGN_KIND, 'scope');
		const floorAtStart = state.floor;
		expect(state.running).toHaveProperty('undatedRunning');

		const emitted: string[] = [];
		for (let poll = 0; poll < UNDATED_MAX + 50; poll++) {
			// Ever more records without createdAt, each final at once; one finishes that was running.
			fake.add(`later${poll}`, 'fully_completed', undefined);
			if (poll === 3) fake.set('undatedRunning', 'fully_completed');
			fake.now = T0 + poll * 1000;
			const outcome = await pollOnce(fake, CAMPAIGN_KIND, state, filter);
			emitted.push(...outcome.events.map((e) => String(e.id)));
			state = outcome.state;
		}
		expect(emitted.filter((id) => id === 'undatedRunning')).toHaveLength(1);
		expect(new Set(emitted).size).toBe(emitted.length); // nothing twice
		expect(emitted).toContain('later0');
		expect(emitted).not.toContain('undated0'); // there before activation
		// Beyond UNDATED_MAX in view, a new one cannot be told from a forgotten one: none is emitted
		// as new (never one twice), and the state stays bounded.
		expect(emitted).not.toContain(`later${UNDATED_MAX + 49}`);
		expect(state.undated.length).toBeLessThanOrEqual(UNDATED_MAX);
		expect(state.floor).toBeGreaterThanOrEqual(floorAtStart);
		expect(JSON.stringify(state).length).toBeLessThan(40_000);
	});
});
