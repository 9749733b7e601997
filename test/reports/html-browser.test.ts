import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../harness/result.js';
import { whyText } from '../../reports/causes.js';
import { renderHtml } from '../../reports/html.js';
import { cli, ROOT } from '../cli/compiled-cli.js';
import { startFaultyTarget, type FaultyTarget } from '../harness/runner/faulty-target.js';
import { findChromium } from './find-chromium.js';
import { sampleResult } from './sample-result.js';

/**
 * The HTML report in a real browser: an installed Chromium or Chrome (see find-chromium.ts)
 * driven by playwright-core, which never downloads one. Without one these tests are skipped with
 * a line saying how to run them, except under CI=true, where they fail: `.ci/run` installs Chromium.
 */
const browser = findChromium();
const skipped = browser.path === undefined && !browser.configured && process.env.CI !== 'true';
if (skipped) console.warn(`The HTML report's browser test is skipped: ${browser.why}.`);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Kept after the run (gitignored): the report and its screenshot, to look at. */
const OUTPUT = join(ROOT, 'test-output');

let profileDir: string;
let context: BrowserContext;
let faulty: FaultyTarget;
let result: RunResult;

/** Opens a report and collects what the console and the page say went wrong. */
async function open(file: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.goto(pathToFileURL(join(OUTPUT, file)).href);
  return { page, errors };
}

const shownCount = (page: Page) => page.locator('#shown').textContent();
/**
 * Waits for the page to show what an assertion checks: Vitest's 1 s default is short for a loaded
 * machine; this is an upper bound only, met at once when the page is right.
 */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000 });
/** The ids of the scenarios the filters leave shown. */
const shownIds = (page: Page) => page.locator('details.scenario:not([hidden]) .sid').allTextContents();

describe.skipIf(skipped)('the HTML report in Chromium', () => {
  // Inside the block, so that a skipped test starts no server and no run.
  beforeAll(async () => {
    if (browser.path === undefined) throw new Error(browser.configured ? browser.why : `Under CI=true the HTML report's browser test must run, but ${browser.why}`);
    mkdirSync(OUTPUT, { recursive: true });
    faulty = await startFaultyTarget('patch-ignores-path');
    const profile = join(OUTPUT, 'profile.yaml');
    writeFileSync(profile, 'supports: { patch: true, filter: true, sort: true, etag: true, changePassword: false, bulk: false }\n');
    const folders = ['patch', 'users', 'discovery', 'bulk'].map((f) => join(ROOT, 'scenarios/rfc7644', f));
    const run = await cli(['run', ...folders, '--target', faulty.url, '--token', faulty.token, '--profile', profile, '--reporter', 'json,html', '--out', OUTPUT], ROOT);
    expect(run.code, run.stderr).toBe(1);
    result = JSON.parse(readFileSync(join(OUTPUT, 'result.json'), 'utf8')) as RunResult;
    writeFileSync(join(OUTPUT, 'hostile.html'), renderHtml(sampleResult()));

    profileDir = mkdtempSync(join(tmpdir(), 'scimulator-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, { executablePath: browser.path, headless: true, args: ARGS, viewport: { width: 1280, height: 1400 } });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await faulty?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it('loads with no console error; a failed scenario opens with its diff and transcript; a screenshot is kept', async () => {
    const { page, errors } = await open('report.html');
    expect(await page.title()).toMatch(/^scimulator: \d+ passed, [1-9]\d* failed(?:, \d+ errored)?, [1-9]\d* skipped(?:, \d+ blocked)?$/);
    await eventually(() => shownCount(page)).toBe(`${result.scenarios.length} of ${result.scenarios.length} scenarios shown`);

    await page.check('#failed-only');
    const failedCount = result.scenarios.filter((s) => s.status === 'failed').length;
    await eventually(() => shownCount(page)).toBe(`${failedCount} of ${result.scenarios.length} scenarios shown`);

    const failed = result.scenarios.find((s) => s.status === 'failed' && s.steps.some((st) => st.checks.some((c) => !c.passed && c.actual !== undefined)))!;
    const scenario = page.locator(`details[id="scenario-${failed.id}"]`);
    await scenario.locator(':scope > summary').click();
    await eventually(() => scenario.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
    await eventually(() => scenario.locator('li.check.failed').first().isVisible()).toBe(true);
    await eventually(() => scenario.locator('li.check.failed pre.diff, li.check.failed .sides').first().isVisible()).toBe(true);
    await eventually(() => scenario.locator('.transcript').isVisible()).toBe(true);
    const opened = scenario.locator('details.exchange[open]').first();
    expect(await opened.locator('pre.curl').textContent()).toContain('"Authorization: Bearer $SCIM_TOKEN"');
    expect(await opened.locator('pre.body').first().isVisible()).toBe(true);

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(OUTPUT, 'report.png') });
    expect(errors).toEqual([]);
  });

  it('filters by status, IdP, what a scenario requires or covers or its tag, scorecard area, root cause and text, and deep links open a scenario', async () => {
    const { page, errors } = await open('hostile.html');
    await eventually(() => shownCount(page)).toBe('8 of 8 scenarios shown');
    await page.selectOption('#status-filter', 'blocked');
    await eventually(() => shownIds(page)).toEqual(['rfc7644.paging.count-zero', 'rfc7644.sort.ascending']);
    await page.selectOption('#status-filter', '');
    await eventually(() => shownCount(page)).toBe('8 of 8 scenarios shown');
    await page.click('button.cause[data-cause="filter-operator:sw"]');
    await eventually(() => shownCount(page)).toBe('2 of 8 scenarios shown');
    await eventually(() => page.locator('#area-name').textContent()).toBe('Cause: target rejects filter operator "sw"');
    await page.click('#area-clear');
    await eventually(() => shownCount(page)).toBe('8 of 8 scenarios shown');
    await page.selectOption('#idp-filter', 'okta');
    await eventually(() => shownCount(page)).toBe('1 of 8 scenarios shown');
    await page.selectOption('#idp-filter', '');
    await page.selectOption('#label-filter', 'requires:bulk');
    await eventually(() => shownIds(page)).toEqual(['rfc7644.bulk.bulkid-references']);
    await page.selectOption('#label-filter', 'covers:deactivateUsers');
    await eventually(() => shownIds(page)).toEqual(['okta.oin.deactivate-on-unassign']);
    await page.selectOption('#label-filter', '');
    await eventually(() => shownCount(page)).toBe('8 of 8 scenarios shown');
    await page.click('button.area[data-row="rfc7644/users"]');
    await eventually(() => shownCount(page)).toBe('2 of 8 scenarios shown');
    await eventually(() => page.locator('#area-chip').isVisible()).toBe(true);
    await page.click('#area-clear');
    await eventually(() => shownCount(page)).toBe('8 of 8 scenarios shown');
    await page.fill('#search', 'NO STEP saved');
    await eventually(() => shownIds(page)).toEqual(['rfc7644.users.get-by-id']);

    // A deep link to a scenario the filters hide clears them and opens it.
    await page.evaluate(() => (location.hash = '#scenario-okta.oin.deactivate-on-unassign'));
    const okta = page.locator('details[id="scenario-okta.oin.deactivate-on-unassign"]');
    await eventually(() => okta.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
    expect(await okta.locator('blockquote').first().textContent()).toContain('Automatic deactivation of user ada failed');
    // The filters were cleared in the task that opened it.
    expect(await page.locator('#search').inputValue()).toBe('');
    expect(await shownCount(page)).toBe('8 of 8 scenarios shown');
    expect(errors).toEqual([]);
  });

  it('stops a deep link below the sticky controls, however they wrap', async () => {
    const { page, errors } = await open('report.html');
    // Narrow enough for the controls to wrap onto several lines; a scenario with more below it, so that the page can scroll to it.
    await page.setViewportSize({ width: 700, height: 900 });
    const target = result.scenarios.slice(10, -20).find((s) => s.status === 'failed')!;
    // Narrower still, and the link followed in the same task: no ResizeObserver report comes between them.
    await page.evaluate((id) => {
      (document.querySelector('.controls') as HTMLElement).style.maxWidth = '300px';
      history.replaceState(null, '', `#scenario-${id}`);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    }, target.id);
    const scenario = page.locator(`details[id="scenario-${target.id}"]`);
    await eventually(() => scenario.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
    const controls = await page.locator('.controls').boundingBox();
    const summary = await scenario.locator(':scope > summary').boundingBox();
    expect(controls!.height).toBeGreaterThan(60);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    expect(summary!.y).toBeGreaterThanOrEqual(controls!.y + controls!.height);
    expect(errors).toEqual([]);
  });

  it('says in one line why a collapsed scenario failed, and no scorecard card clips its bars', async () => {
    for (const file of ['report.html', 'hostile.html']) {
      const { page, errors } = await open(file);
      const cards = await page.locator('.card').evaluateAll((all) => all.map((c) => ({ title: c.querySelector('h3')!.textContent, clipped: c.scrollWidth > c.clientWidth })));
      expect(cards.filter((c) => c.clipped)).toEqual([]);
      const bars = await page.locator('svg.bar').evaluateAll((all) => all.map((b) => b.getBoundingClientRect().width));
      expect(Math.min(...bars)).toBeGreaterThanOrEqual(40);
      expect(errors).toEqual([]);
    }
    expect(await (await open('hostile.html')).page.locator('.card h3').allTextContents()).toContain('Okta To App features · OIN');

    const { page } = await open('report.html');
    const failed = result.scenarios.find((s) => s.status === 'failed')!;
    const scenario = page.locator(`details[id="scenario-${failed.id}"]`);
    const why = scenario.locator(':scope > summary .why');
    expect(await why.textContent()).toBe(whyText(failed));
    const box = await why.boundingBox();
    expect(box!.height).toBeLessThan(25);
    await scenario.locator(':scope > summary').click();
    await eventually(() => why.isVisible()).toBe(false);
  });

  it('runs none of the script a hostile server put in its answers', async () => {
    const { page, errors } = await open('hostile.html');
    await page.click('#expand-all');
    await page.locator('details.exchange').evaluateAll((all) => all.forEach((el) => ((el as HTMLDetailsElement).open = true)));
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img, iframe, object, embed').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
