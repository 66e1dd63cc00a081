/**
 * The n8n 2.40.7 editor in a real browser (Debian's chromium, headless, driven by playwright-core):
 * sign in, add the Scravio node to a new workflow, pick a resource and an operation, create a
 * Scravio API credential against the sandbox (n8n tests it on save: it must succeed), pick a
 * campaign from the node's list search, and take the screenshot the README shows.
 *
 * The screenshot goes to test/e2e/screenshots/editor.tmp.png on every run, and to
 * docs/screenshot.png when that file is missing or SCRAVIO_UPDATE_SCREENSHOT=1.
 * Skipped, saying so, when /usr/bin/chromium is absent (`apt-get install -y chromium`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { expect as jestExpect } from '@jest/globals';
import { chromium, selectors, type BrowserContext, type Locator, type Page } from 'playwright-core';

import { PRESETS, startSandbox, type Sandbox } from '../../sandbox';
import {
	createN8nHome,
	DEFAULT_OWNER,
	getInstall,
	installPackage,
	removeN8nHome,
	setupOwner,
	startN8n,
	type N8nHome,
	type RunningN8n,
} from '../../harness/n8n';
import { sandboxClient } from '../../harness/sandboxClient';
import { reportTiming } from './timing';
import { REPO_ROOT } from '../../harness/n8n/scravio';

const CHROMIUM = process.env.SCRAVIO_CHROMIUM ?? '/usr/bin/chromium';
// The flags that worked on this machine kind (see ../shared/FACTS.md); a fresh profile each run.
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const SHOTS_DIR = path.join(__dirname, 'screenshots');
const README_SCREENSHOT = path.join(REPO_ROOT, 'docs', 'screenshot.png');

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
	process.stderr.write(
		`[e2e browser] SKIPPED: no chromium at ${CHROMIUM} (apt-get update && apt-get install -y chromium)\n`,
	);
}

const describeIfChromium = hasChromium ? describe : describe.skip;

describeIfChromium(
	'n8n 2.x editor in chromium: add the Scravio node, create and test its credential',
	() => {
		const install = getInstall(2);
		reportTiming(`n8n ${install.version}: editor in chromium`);
		let sb: Sandbox;
		let home: N8nHome;
		let server: RunningN8n;
		let context: BrowserContext;
		let page: Page;
		let profileDir: string;

		const shot = async (name: string) => {
			fs.mkdirSync(SHOTS_DIR, { recursive: true });
			const file = path.join(SHOTS_DIR, `${name}.tmp.png`);
			await page.screenshot({ path: file });
			return file;
		};

		beforeAll(async () => {
			const tarball = process.env.SCRAVIO_E2E_TARBALL;
			if (!tarball)
				throw new Error('SCRAVIO_E2E_TARBALL is not set: run with jest -c jest.e2e.config.js');
			sb = await startSandbox({ port: 0, quiet: true, clockSpeed: 1 });
			// No credential imported: the test creates it in the editor.
			home = await createN8nHome(install);
			await installPackage(home, tarball);
			server = await startN8n(home);
			await setupOwner(server);

			selectors.setTestIdAttribute('data-test-id'); // n8n's attribute (playwright's default is data-testid)
			profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scravio-chromium-'));
			context = await chromium.launchPersistentContext(profileDir, {
				executablePath: CHROMIUM,
				headless: true,
				args: CHROMIUM_ARGS,
				viewport: { width: 1440, height: 900 },
			});
			page = context.pages()[0] ?? (await context.newPage());
			// The editor bundle is large and this machine has 2 cores: be patient.
			page.setDefaultTimeout(60_000);
			page.setDefaultNavigationTimeout(120_000);
		});

		afterAll(async () => {
			await context?.close().catch(() => undefined);
			if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
			await server?.stop();
			if (home) await removeN8nHome(home);
			await sb?.close();
		});

		test('sign in, add the node, pick resource and operation, create the credential (its test succeeds), pick a campaign', async () => {
			try {
				await useTheEditor();
			} catch (error) {
				process.stderr.write(
					`[e2e browser] failed; screenshot: ${await shot('failure').catch(() => 'none')}\n`,
				);
				throw error;
			}
		});

		async function useTheEditor(): Promise<void> {
			// Sign in with the owner set up through the REST API.
			await page.goto(`${server.url}/signin`);
			const email = page
				.locator('input[name="emailOrLdapLoginId"], input[name="email"], input[type="email"]')
				.first();
			await email.fill(DEFAULT_OWNER.email);
			await page.locator('input[type="password"]').fill(DEFAULT_OWNER.password);
			await page.getByTestId('form-submit-button').click();
			await page.waitForURL((url) => !url.pathname.includes('signin'));

			// A new workflow: a manual trigger, then the Scravio node after it.
			await page.goto(`${server.url}/workflow/new`);
			await page.getByTestId('canvas-plus-button').click();
			await page.getByTestId('node-creator-search-bar').fill('manual');
			await page.getByTestId('node-creator').getByTestId('item-iterator-item').first().click();
			await page.getByTestId('canvas-handle-plus').first().click();
			await page.getByTestId('node-creator-search-bar').fill('Scravio');
			const creatorItems = page.getByTestId('node-creator').getByTestId('item-iterator-item');
			await creatorItems
				.filter({ hasText: /^Scravio/ })
				.first()
				.click();
			// The node's actions, grouped by resource, as n8n lists them for the package.
			await expect(creatorItems.filter({ hasText: /^Create and download an export$/ })).toHaveCount(
				1,
			);
			// The two charging actions say so (an AI agent's tool description is built from the action).
			await creatorItems.filter({ hasText: /^Create a campaign \(reserves credits\)$/ }).click();

			const ndv = page.getByTestId('ndv');
			await ndv.waitFor({ state: 'visible' });
			// The node's icon is served from the package.
			const icon = ndv.locator('img[src*="/icons/n8n-nodes-scravio/"]').first();
			await icon.waitFor({ state: 'attached' });
			expect(
				await icon.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
			).toBe(true);

			// Pick a resource and an operation in the parameter dropdowns.
			const pick = async (parameter: string, option: string) => {
				await ndv.getByTestId(`parameter-input-${parameter}`).click();
				// An option shows its name and, below it, its description: match the name exactly.
				await page
					.locator('.el-select-dropdown__item:visible')
					.filter({ has: page.getByText(option, { exact: true }) })
					.first()
					.click();
				await expect(ndv.getByTestId(`parameter-input-${parameter}`).locator('input')).toHaveValue(
					option,
				);
			};
			await pick('resource', 'Export');
			await pick('operation', 'Create and Download');
			await expect(ndv.getByTestId('parameter-input-fileFormat')).toBeVisible();
			await expect(ndv.getByTestId('resource-locator-campaignId')).toBeVisible();

			// Create the credential from the node; n8n tests it when it is saved.
			const before = (await sandboxClient(sb).requests({ operationId: 'getAccount' })).length;
			await ndv.getByTestId('node-credentials-empty-state').locator('button').click();
			const modal = page.getByTestId('editCredential-modal');
			await modal
				.getByTestId('parameter-input-apiKey')
				.locator('input')
				.fill(PRESETS.apiKeys.account);
			await modal.getByTestId('parameter-input-baseUrl').locator('input').fill(sb.apiUrl);
			const tested = page.waitForResponse(
				(r) => r.url().includes('/rest/credentials/test') && r.request().method() === 'POST',
			);
			await modal.getByTestId('credential-save-button').click();
			const testResponse = await tested;
			expect(testResponse.status()).toBe(200);
			expect((await testResponse.json()).data).toEqual({
				status: 'OK',
				message: 'Connection successful!',
			});
			const authMe = (await sandboxClient(sb).requests({ operationId: 'getAccount' })).slice(
				before,
			);
			expect(authMe.length).toBeGreaterThanOrEqual(1);
			for (const r of authMe) expect(r).toMatchObject({ apiKey: 'present', status: 200 });

			// Reopen it: the editor tests it again and shows the success banner.
			await modal.waitFor({ state: 'hidden' });
			await ndv.getByTestId('credential-edit-button').click();
			await expect(modal.getByTestId('credentials-config-container-test-success')).toBeVisible();
			await expect(modal.getByTestId('credentials-config-container-test-success')).toContainText(
				'Connection tested successfully',
			);
			await shot('credential-tested');
			await modal.locator('.el-dialog__close').first().click();
			await modal.waitFor({ state: 'hidden' });

			// The campaign list comes from the sandbox through the credential (list search).
			await ndv.getByTestId('resource-locator-campaignId').getByTestId('rlc-input').click();
			const listed = page.getByTestId('rlc-item');
			await expect(listed.filter({ hasText: 'Sample: design hashtags' })).toBeVisible();
			// Each option shows its status once, also when the title ends with it.
			await expect(listed.filter({ hasText: 'Sample: TikTok followers (failed)' })).toBeVisible();
			jestExpect(await listed.filter({ hasText: '(failed) (failed)' }).count()).toBe(0);
			expect(
				(await sandboxClient(sb).requests({ operationId: 'listCampaigns' })).length,
			).toBeGreaterThanOrEqual(1);
			await page.waitForTimeout(500); // let the dropdown finish its transition before the picture
			const file = await shot('editor');
			if (!fs.existsSync(README_SCREENSHOT) || process.env.SCRAVIO_UPDATE_SCREENSHOT === '1') {
				fs.mkdirSync(path.dirname(README_SCREENSHOT), { recursive: true });
				fs.copyFileSync(file, README_SCREENSHOT);
			}
		}
	},
);

/** playwright-core has no test runner `expect`; a tiny polling one for locators, on jest's. */
function expect<T>(actual: T) {
	const base = jestExpect(actual);
	const locator = actual as unknown as Locator;
	const poll = async (check: () => Promise<boolean>, what: string, timeout = 60_000) => {
		const deadline = Date.now() + timeout;
		for (;;) {
			if (await check().catch(() => false)) return;
			if (Date.now() > deadline)
				throw new Error(`timed out after ${timeout} ms waiting until ${what}`);
			await new Promise((r) => setTimeout(r, 200));
		}
	};
	return Object.assign(base, {
		toBeVisible: () => poll(() => locator.first().isVisible(), `${String(locator)} is visible`),
		toHaveCount: (n: number) =>
			poll(async () => (await locator.count()) === n, `${String(locator)} has ${n} element(s)`),
		toHaveValue: (v: string) =>
			poll(async () => (await locator.inputValue()) === v, `${String(locator)} has value "${v}"`),
		toContainText: (t: string) =>
			poll(
				async () => (await locator.first().innerText()).includes(t),
				`${String(locator)} contains "${t}"`,
			),
	});
}
