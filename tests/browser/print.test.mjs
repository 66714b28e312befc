// /print/, the whole guide on one page, in headless Chromium emulating print
// media: every printed page's title appears once, in reading order, each part
// on a sheet of its own in the PDF; its in-page links all have targets; and
// axe-core finds nothing on screen, light and dark, at 320 px.
//
//   node --test tests/browser/print.test.mjs    (after `cargo build --release`)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer } from './lib/server.mjs';
import { buildSite, cleanupTempDirs, readSitemap, toServerUrl } from './lib/site.mjs';
import { AXE_SOURCE, AXE_TAGS, NARROW, expectNone, launchBrowser, newContext } from './lib/browser.mjs';

describe('the whole guide on one page', { timeout: 10 * 60_000 }, () => {
  let server;
  let chrome;
  let pages = [];

  before(async () => {
    server = await startServer({ prefix: '/' });
    const dir = buildSite(server.base, 'print');
    server.setRoot(dir);
    pages = readSitemap(dir, server.base).map((loc) => toServerUrl(loc, server));
    chrome = await launchBrowser();
  });

  after(async () => {
    await chrome?.close();
    await server?.close();
    cleanupTempDirs();
  });

  /** What print should hold, worked out from the site itself: the home page,
   * every page under a section of the main menu, the menu's other pages
   * (except "By stakeholder" and the data collections' listings, such as
   * "Organisations in this guide": a directory, not part of the guide's
   * reading order) and the glossary; each with its title and its place in
   * the menu. */
  async function expectedParts(context) {
    const page = await context.newPage();
    try {
      await page.goto(server.base, { waitUntil: 'load' });
      const menu = await page.$$eval('#site-nav a', (as) => as.map((a) => a.href));
      const collections = [];
      for (const url of menu) {
        await page.goto(url, { waitUntil: 'load' });
        if (await page.$('#collection-records')) collections.push(url);
      }
      assert.ok(collections.length > 0, 'the bundled guide lists a data collection in its menu');
      const wanted = [];
      for (const url of pages) {
        const path = new URL(url).pathname;
        if (path.startsWith('/stakeholders/') || path === '/search/' || path === '/print/') continue;
        if (collections.some((c) => url.startsWith(c))) continue;
        let place = menu.findIndex((m) => url.startsWith(m));
        if (url === server.base) place = -1;
        else if (path === '/glossary/') place = Infinity; // between the code of conduct and the menu's pages: not compared
        // The code of conduct follows the recommendations (before tools).
        else if (path === '/code-of-conduct/') place = menu.findIndex((m) => new URL(m).pathname === '/recommendations/') + 0.5;
        else if (place < 0) continue;
        await page.goto(url, { waitUntil: 'load' });
        const title = (await page.$eval('main h1', (h) => h.textContent)).replace(/\s+/g, ' ').trim();
        wanted.push({ url, title, place });
      }
      return wanted;
    } finally {
      await page.close();
    }
  }

  test('printed, every page of the guide appears once, in reading order, each part on a sheet of its own', async () => {
    const context = await newContext(chrome.browser, 'light');
    try {
      const wanted = await expectedParts(context);
      assert.ok(wanted.length > 20, `only ${wanted.length} pages expected`);
      const page = await context.newPage();
      await page.goto(server.base + 'print/', { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      const printed = await page.evaluate(() =>
        [...document.querySelectorAll('.print-part')].map((part) => {
          const h = [...part.querySelectorAll('h2, h3, h4, h5, h6')].find((e) => e.checkVisibility());
          return { id: part.id, title: (h?.textContent ?? '').replace(/\s+/g, ' ').trim() };
        }),
      );
      const titles = printed.map((p) => p.title);
      const problems = [];
      for (const w of wanted) {
        const n = titles.filter((t) => t === w.title).length;
        if (n !== 1) problems.push(`  ${w.url} "${w.title}" is printed ${n} times`);
      }
      if (printed.length !== wanted.length) {
        problems.push(`  ${printed.length} parts printed, ${wanted.length} expected: ${titles.join(' | ')}`);
      }
      // In the menu's order: the home page, the sections (the code of conduct
      // right after the recommendations), the glossary, then the menu's own pages.
      const placed = titles
        .map((title) => ({ title, place: wanted.find((w) => w.title === title)?.place }))
        .filter((p) => new URL(wanted.find((w) => w.title === p.title)?.url ?? server.base).pathname !== '/glossary/');
      for (let i = 1; i < placed.length; i++) {
        if (placed[i].place < placed[i - 1].place) problems.push(`  "${placed[i].title}" comes out of the menu's order`);
      }
      expectNone(problems, 'pages missing, repeated or out of order in print');

      // The contents list names the parts in the same order.
      const contents = await page.$$eval('.print-contents a', (as) =>
        as.map((a) => a.getAttribute('href').slice(1)),
      );
      const partIds = printed.map((p) => p.id);
      assert.deepEqual(contents.filter((id) => partIds.includes(id)), partIds);

      // Each part starts a new sheet: the PDF has at least one page per part.
      const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
      const sheets = (pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      assert.ok(sheets > printed.length, `${sheets} PDF pages for ${printed.length} parts`);
      await page.close();
    } finally {
      await context.close();
    }
  });

  test('every in-page link has a target and every id is unique', async () => {
    const context = await newContext(chrome.browser, 'light');
    try {
      const page = await context.newPage();
      await page.goto(server.base + 'print/', { waitUntil: 'load' });
      const { missing, repeated, links } = await page.evaluate(() => {
        const ids = new Map();
        for (const el of document.querySelectorAll('[id]')) ids.set(el.id, (ids.get(el.id) ?? 0) + 1);
        const anchors = [...document.querySelectorAll('a[href^="#"]')].map((a) => a.getAttribute('href'));
        return {
          links: anchors.length,
          missing: anchors.filter((h) => h.length > 1 && !ids.has(decodeURIComponent(h.slice(1)))),
          repeated: [...ids].filter(([, n]) => n > 1).map(([id, n]) => `${id} (${n})`),
        };
      });
      assert.ok(links > 100, `only ${links} in-page links`);
      expectNone(missing.map((m) => `  ${m}`), 'in-page links without a target');
      expectNone(repeated.map((m) => `  ${m}`), 'ids used more than once');
      await page.close();
    } finally {
      await context.close();
    }
  });

  for (const scheme of ['light', 'dark']) {
    test(`axe-core finds nothing on screen (${scheme}), and it reflows at ${NARROW.width}px`, async () => {
      const context = await newContext(chrome.browser, scheme);
      try {
        const page = await context.newPage();
        await page.goto(server.base + 'print/', { waitUntil: 'load' });
        for (const viewport of [null, NARROW]) {
          if (viewport) await page.setViewportSize(viewport);
          await page.addScriptTag({ content: AXE_SOURCE });
          const violations = await page.evaluate(async (tags) => {
            // eslint-disable-next-line no-undef
            const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
            return r.violations.map((v) => `  ${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes[0].html.slice(0, 120)})`);
          }, AXE_TAGS);
          expectNone(violations, `axe-core violations on /print/ (${scheme}, ${viewport ? viewport.width + 'px' : 'desktop'})`);
        }
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= NARROW.width + 1, `scrolls sideways at ${NARROW.width}px: ${width}px wide`);
        await page.close();
      } finally {
        await context.close();
      }
    });
  }

  test('every page links to it', async () => {
    const context = await newContext(chrome.browser, 'light');
    try {
      const page = await context.newPage();
      const bad = [];
      for (const url of pages) {
        await page.goto(url, { waitUntil: 'domcontentloaded' });
        const ok = await page.$$eval('a', (as) =>
          as.some((a) => a.textContent.trim() === 'Print or save the whole guide as a PDF' && new URL(a.href).pathname === '/print/'),
        );
        if (!ok) bad.push(`  ${url}`);
      }
      expectNone(bad, 'pages without a link to /print/');
      await page.close();
    } finally {
      await context.close();
    }
  });
});
