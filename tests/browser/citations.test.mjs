// Citations in a real headless Chromium (tests/fixtures/citations): axe-core
// (WCAG 2.2 A/AA) in light and dark, reflow at 320 px, the keyboard path from
// a citation to its reference and back, each link's accessible name, the
// References list in print (back links hidden, superscripts whole), and a
// search whose excerpt never shows a citation.
//
//   node --test tests/browser/citations.test.mjs   (after `cargo build --release`)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { startServer } from './lib/server.mjs';
import { REPO, buildSite, cleanupTempDirs } from './lib/site.mjs';
import {
  AXE_TAGS,
  expectNone,
  formatViolations,
  inspectAll,
  launchBrowser,
  newContext,
} from './lib/browser.mjs';

const ROOT = path.join(REPO, 'tests', 'fixtures', 'citations');

describe('a page with citations', { timeout: 10 * 60_000 }, () => {
  let server;
  let chrome;
  let report;
  let setupError = null;

  before(async () => {
    try {
      server = await startServer({ prefix: '/' });
      const dir = buildSite(server.base, 'citations', { root: ROOT });
      server.setRoot(dir);
      report = server.base + 'report/';
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

  for (const scheme of ['light', 'dark']) {
    test(`axe-core finds no WCAG 2.2 A/AA violations and the page reflows at 320 px (${scheme})`, async () => {
      if (setupError) throw setupError;
      const context = await newContext(chrome.browser, scheme);
      try {
        const results = await inspectAll(context, [report, server.base + 'claims/'], { structure: true });
        for (const r of results) {
          assert.equal(r.error, null, `${r.url}: ${r.error}`);
          assert.equal(r.status, 200, r.url);
          assert.deepEqual(r.structure.duplicateIds, [], `${r.url}: ids used twice`);
          assert.ok(
            r.reflow.scrollWidth <= r.reflow.clientWidth,
            `${r.url} scrolls sideways at 320 px: ${r.reflow.culprits.join(', ')}`,
          );
        }
        const count = results.reduce((n, r) => n + r.violations.length, 0);
        if (count) expectNone([formatViolations(results, scheme)], `axe-core violations (${scheme}; ${AXE_TAGS})`);
      } finally {
        await context.close();
      }
    });
  }

  test('keyboard: a citation leads to its reference, and the back link to the citation', async () => {
    if (setupError) throw setupError;
    const context = await newContext(chrome.browser, 'light');
    try {
      const page = await context.newPage();
      await page.goto(report);
      const cite = page.getByRole('link', { name: 'Reference 2: Voice4Change England 2012, p. 14' }).first();
      await cite.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/#ref-2$/);
      const target = await page.evaluate(() => document.querySelector(':target')?.textContent ?? '');
      assert.match(target, /^Barriers to collaboration .*, Voice4Change England, 2012, p\. 14\./);
      // Two places cite that passage: one back link to each, named for it.
      const back = page.getByRole('link', { name: 'Back to reference 2 in the text, place 2 of 2' });
      await back.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/#cite-2-2$/);
      const cited = await page.evaluate(() => document.querySelector(':target')?.closest('p')?.textContent ?? '');
      assert.match(cited, /^The report asks for a code of conduct\[2\]\./);
      // Single places have a plain name.
      assert.equal(await page.getByRole('link', { name: 'Back to reference 1 in the text' }).count(), 1);
      // Every link in the References list and in the text has a name.
      const unnamed = await page.evaluate(() =>
        [...document.querySelectorAll('.citation a, .reference-list a')]
          .filter((a) => !(a.getAttribute('aria-label') || a.textContent).trim())
          .map((a) => a.outerHTML),
      );
      assert.deepEqual(unnamed, []);
    } finally {
      await context.close();
    }
  });

  test('print: the References list shows, back links do not, and superscripts are whole', async () => {
    if (setupError) throw setupError;
    const context = await newContext(chrome.browser, 'light');
    try {
      const page = await context.newPage();
      await page.goto(report);
      await page.emulateMedia({ media: 'print' });
      const printed = await page.evaluate(() => {
        const visible = (el) => !!el && getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
        const sups = [...document.querySelectorAll('sup.citation')].map((s) => {
          const r = s.getBoundingClientRect();
          const line = s.closest('p').getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, lineTop: line.top, height: r.height };
        });
        return {
          list: visible(document.querySelector('.references')),
          items: document.querySelectorAll('.reference-list li').length,
          backLinks: [...document.querySelectorAll('.ref-back')].filter(visible).length,
          clipped: sups.filter((s) => s.height === 0 || s.top < s.lineTop - 1),
        };
      });
      assert.equal(printed.list, true, 'References list hidden in print');
      assert.equal(printed.items, 6);
      assert.equal(printed.backLinks, 0, 'back links shown in print');
      assert.deepEqual(printed.clipped, [], 'superscripts cut off in print');
    } finally {
      await context.close();
    }
  });

  test('search: the excerpt of a cited passage shows no citation', async () => {
    if (setupError) throw setupError;
    const context = await newContext(chrome.browser, 'light');
    try {
      const page = await context.newPage();
      await page.goto(server.base + 'search/?q=partnership');
      const excerpt = page.locator('.search-result-excerpt').first();
      await excerpt.waitFor({ timeout: 15_000 });
      const texts = await page.locator('.search-result-excerpt').allTextContents();
      const all = texts.join('\n');
      assert.match(all, /had worked in a partnership/);
      for (const marker of ['[1]', '[2', 'Reference', 'p. 14', '↩']) {
        assert.ok(!all.includes(marker), `excerpt shows ${marker}: ${all}`);
      }
    } finally {
      await context.close();
    }
  });
});
