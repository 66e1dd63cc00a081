/**
 * The sandbox's whole mutable state: one store per kind of object, wired together and seeded. It
 * holds no behaviour of its own; the simulation (sandbox/simulation) moves it through time and
 * POST /__sandbox/reset replaces it with a fresh World built from the same seed.
 */
import { AccountStore } from './accountStore';
import { CampaignStore } from './campaignStore';
import type { ExportRecord } from './exportModel';
import { ExportStore, type DownloadLink } from './exportStore';
import { IdSource } from './ids';
import { Ledger } from './ledger';
import { makeId } from './random';
import type { ValidationJobRecord } from './validationModel';

export class World {
	readonly ids: IdSource;
	readonly ledger: Ledger;
	readonly directory = new AccountStore();
	readonly campaigns: CampaignStore;
	readonly exportStore = new ExportStore();
	readonly validationJobs = new Map<string, ValidationJobRecord>();

	// The stores' maps, where routes and tests read them.
	readonly accounts = this.directory.accounts;
	readonly workspaces = this.directory.workspaces;
	readonly apiKeys = this.directory.apiKeys;
	readonly accessTokens = this.directory.accessTokens;
	readonly exports: Map<string, ExportRecord> = this.exportStore.exports;
	readonly downloads: Map<string, DownloadLink> = this.exportStore.downloads;

	constructor(
		readonly seed: number,
		readonly largeData: boolean,
		now: number,
	) {
		this.ids = new IdSource(seed);
		this.ledger = new Ledger((n) => makeId('txn', seed, 'txn', n));
		this.campaigns = new CampaignStore(seed, this.ids, this.ledger, this.accounts);
		this.directory.seed(this.ledger, largeData, now);
		this.campaigns.seedSampleCampaigns(now);
		if (largeData) this.campaigns.seedLargeData(now);
	}
}
