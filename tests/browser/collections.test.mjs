// A data collection's listing (issue 14), in headless Chromium, on the
// tests/fixtures/collections-yaml site built under a sub-path (/guide/):
//
//   - JavaScript off: the filter form stays hidden, every record is listed
//     A to Z, and the grouped lists by each filter field are there;
//   - JavaScript on, keyboard only: Tab to a filter, choose a value with the
//     arrow keys; the list is filtered in place, the live region says
//     "1 of 3 organisations", and the address carries ?type=...; reloading
//     that address shows the same filtered list; "Show all" shows them all;
//   - axe-core clean, light and dark, wide and at 320 px (no sideways scroll);
//   - nothing is requested from any other host.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { startServer } from './lib/server.mjs';
import { REPO, buildSite, cleanupTempDirs } from './lib/site.mjs';
import { AXE_SOURCE, AXE_TAGS, NARROW, expectNone, isLoopback, launchBrowser, newContext } from './lib/browser.mjs';

const LISTING = 'organisations/';

async function axeViolations(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map(
      (v) => `  ${v.id} (${v.impact}): ${v.help}\n` + v.nodes.map((n) => `    - ${n.target.join(' ')}: ${n.html.slice(0, 160)}`).join('\n'),
    );
  }, AXE_TAGS);
}

async function checkEveryWay(page, state) {
  const size = page.viewportSize();
  for (const scheme of ['light', 'dark']) {
    for (const viewport of [size, NARROW]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(viewport);
      expectNone(await axeViolations(page), `axe-core violations ${state} (${scheme}, ${viewport.width} px)`);
      if (viewport.width === NARROW.width) {
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= NARROW.width, `${state}: the page is ${wide} px wide at 320 px`);
      }
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(size);
}

const visibleRecords = (page) =>
  page.$$eval('#collection-records > li', (items) => items.filter((li) => !li.hidden).map((li) => li.id));

describe('a collection listing', { timeout: 5 * 60_000 }, () => {
  let server;
  let chrome;
  let url;
  let setupError = null;

  before(async () => {
    try {
      server = await startServer({ prefix: '/guide/' });
      const dir = buildSite(server.base, 'collections', {
        root: path.join(REPO, 'tests', 'fixtures', 'collections-yaml'),
      });
      server.setRoot(dir);
      url = server.base + LISTING;
      chrome = await launchBrowser();
    } catch (e) {
      setupError = e;
    }
  });

  after(async () => {
    await chrome?.close();
    await server?.close();
    cleanupTempDirs();
  });

  test('without JavaScript: every record, and grouped lists by each filter', async () => {
    if (setupError) throw setupError;
    const context = await chrome.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(url);
      assert.equal(await page.isVisible('#collection-filters'), false, 'the filter form is hidden');
      assert.deepEqual(await visibleRecords(page), ['record-a-funder', 'record-bteg', 'record-camden-cvs']);
      assert.equal((await page.textContent('#collection-count')).trim(), '3 organisations');
      const groups = await page.$$eval('.collection-group h2', (hs) => hs.map((h) => h.textContent.trim()));
      assert.deepEqual(groups, ['By type', 'By works with', 'By founded']);
      const byType = await page.$$eval('#collection-by-type ~ h3', (hs) => hs.map((h) => h.textContent.trim()));
      assert.ok(byType.includes('Infrastructure body'), byType.join(', '));
    } finally {
      await context.close();
    }
    // axe-core needs a script of its own: the same page with the theme's
    // script blocked is what a reader without JavaScript gets.
    const blocked = await newContext(chrome.browser, 'light');
    try {
      await blocked.route('**/collection.js', (route) => route.abort('blockedbyclient'));
      const page = await blocked.newPage();
      await page.goto(url);
      assert.equal(await page.isVisible('#collection-filters'), false);
      await checkEveryWay(page, 'without the script');
    } finally {
      await blocked.close();
    }
  });

  test('the menu and a stakeholder page lead to the records', async () => {
    if (setupError) throw setupError;
    const context = await newContext(chrome.browser, 'light');
    try {
      const page = await context.newPage();
      await page.goto(server.base + 'stakeholders/bme/');
      // The listing is in the main menu, after the sections.
      const menu = await page.$$eval('#site-nav a', (as) => as.map((a) => a.textContent.trim()));
      assert.deepEqual(menu, ['Principles', 'Case studies', 'Organisations in this guide', 'By stakeholder']);
      // The records tagged with this stakeholder type, under the collection's title.
      const heading = await page.textContent('#fg-records-organisations');
      assert.equal(heading.trim(), 'Organisations in this guide');
      const records = await page.$$eval('[aria-labelledby="fg-records-organisations"] li a', (as) =>
        as.map((a) => [a.textContent.trim(), new URL(a.href).pathname]),
      );
      assert.deepEqual(records, [
        ['BTEG', '/guide/organisations/bteg/'],
        ['Camden CVS', '/guide/organisations/camden-cvs/'],
      ]);
      await checkEveryWay(page, 'on a stakeholder page');
      // The listing ends with its References, after the records.
      await page.goto(url);
      const order = await page.$$eval('main section', (ss) => ss.map((s) => s.className || s.id));
      assert.equal(order.at(-2), 'references', order.join(', '));
      assert.equal(order.at(-1), 'sources', order.join(', '));
    } finally {
      await context.close();
    }
  });

  test('with JavaScript, by keyboard: filtered in place, counted aloud, kept in the address', async () => {
    if (setupError) throw setupError;
    const context = await newContext(chrome.browser, 'light');
    const page = await context.newPage();
    const requests = [];
    const errors = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(String(e?.message ?? e)));
    try {
      await page.goto(url);
      await page.waitForSelector('#collection-filters:not([hidden])');
      // Keyboard only: Tab until the first filter has the focus.
      let onFilter = false;
      for (let i = 0; i < 60 && !onFilter; i += 1) {
        await page.keyboard.press('Tab');
        onFilter = await page.evaluate(() => document.activeElement?.id === 'collection-filter-type');
      }
      assert.ok(onFilter, 'Tab reaches the first filter');
      // The arrow key picks the next value of a focused <select> ("BME organisation").
      await page.keyboard.press('ArrowDown');
      await page.waitForFunction(() => document.getElementById('collection-count').textContent === '1 of 3 organisations');
      assert.deepEqual(await visibleRecords(page), ['record-bteg']);
      const live = await page.$eval('#collection-count', (p) => [p.getAttribute('role'), p.getAttribute('aria-live')]);
      assert.deepEqual(live, ['status', 'polite']);
      assert.equal(new URL(page.url()).search, '?type=bme-organisation');
      await checkEveryWay(page, 'filtered');

      // The address gives the same view when reloaded (or shared).
      await page.goto(server.base + LISTING + '?stakeholders=bme');
      await page.waitForFunction(() => document.getElementById('collection-count').textContent === '2 of 3 organisations');
      assert.deepEqual(await visibleRecords(page), ['record-bteg', 'record-camden-cvs']);
      assert.equal(await page.$eval('#collection-filter-stakeholders', (s) => s.value), 'bme');

      // "Show all", by keyboard.
      await page.focus('#collection-reset');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.getElementById('collection-count').textContent === '3 organisations');
      assert.equal(new URL(page.url()).search, '');
      assert.equal((await visibleRecords(page)).length, 3);

      assert.deepEqual(errors, [], 'no script errors');
      const foreign = requests.filter((r) => !isLoopback(r));
      assert.deepEqual(foreign, [], 'nothing requested from another host');
    } finally {
      await context.close();
    }
  });
});
