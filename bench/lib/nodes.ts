/**
 * Our node and credential classes, loaded by their full `.ts` path: tsx's resolver picks the
 * codex file `Scravio.node.json` for the import `Scravio.node` (see harness/trigger.ts).
 */
import path from 'node:path';

import type { ScravioApi as ScravioApiClass } from '../../credentials/ScravioApi.credentials';
import type { Scravio as ScravioClass } from '../../nodes/Scravio/Scravio.node';
import type { ScravioTrigger as ScravioTriggerClass } from '../../nodes/ScravioTrigger/ScravioTrigger.node';

const ROOT = path.resolve(__dirname, '..', '..');

/* eslint-disable @typescript-eslint/no-require-imports */
export const Scravio = (
	require(path.join(ROOT, 'nodes/Scravio/Scravio.node.ts')) as { Scravio: typeof ScravioClass }
).Scravio;
export const ScravioTrigger = (
	require(path.join(ROOT, 'nodes/ScravioTrigger/ScravioTrigger.node.ts')) as {
		ScravioTrigger: typeof ScravioTriggerClass;
	}
).ScravioTrigger;
export const ScravioApi = (
	require(path.join(ROOT, 'credentials/ScravioApi.credentials.ts')) as {
		ScravioApi: typeof ScravioApiClass;
	}
).ScravioApi;
