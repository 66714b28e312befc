// Content nobody on this project wrote (tests/fixtures/foreign: README- and
// blog-style Markdown, no glossary, no principles or barriers, unnumbered
// recommendations, a plain-string source, emoji, right-to-left and zero-width
// text), built with the release binary and opened in headless Chromium.
// Whatever the author wrote, every page must pass axe-core (WCAG 2.2 A/AA,
// light and dark), link only to URLs that answer 200, reflow at 320 px, and
// keep valid structure: one <h1>, no id used twice.
//
//   node --test tests/browser/foreign.test.mjs   (after `cargo build --release`)
//
// Environment (see lib/site.mjs for the others):
//   FAIRGUIDE_FOREIGN_ROOT  the site to build (default tests/fixtures/foreign)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { startServer } from './lib/server.mjs';
import { REPO, buildSite, cleanupTempDirs, readSitemap, toServerUrl } from './lib/site.mjs';
import {
  AXE_TAGS,
  AXE_VERSION,
  NARROW,
  expectNone,
  formatViolations,
  inspectAll,
  launchBrowser,
  mapPool,
  newContext,
} from './lib/browser.mjs';

const ROOT = path.resolve(process.env.FAIRGUIDE_FOREIGN_ROOT ?? path.join(REPO, 'tests', 'fixtures', 'foreign'));
const MISSING = '__fairguide_no_such_page__/';

describe(`a site of foreign content (${path.relative(REPO, ROOT) || ROOT})`, { timeout: 20 * 60_000 }, () => {
  let server;
  let chrome;
  let pages = []; // sitemap pages, as served here
  let notFoundUrl;
  let setupError = null; // reported in full by the first test, briefly by the others
  const runs = {}; // colour scheme -> Promise<results>

  before(async () => {
    try {
      server = await startServer({ prefix: '/' });
      const dir = buildSite(server.base, 'foreign', { root: ROOT });
      server.setRoot(dir);
      pages = readSitemap(dir, server.base).map((loc) => toServerUrl(loc, server));
      notFoundUrl = server.base + MISSING;
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

  /** Visit every page (and the 404 page) once per colour scheme, memoised. */
  function visit(scheme) {
    if (setupError) throw new Error('the site could not be built, served and opened: see the first test');
    runs[scheme] ??= (async () => {
      const context = await newContext(chrome.browser, scheme);
      try {
        // Structure, reflow and links do not depend on the colour scheme: check them once.
        const once = scheme === 'light';
        return await inspectAll(context, [...pages, notFoundUrl], { structure: once, links: once });
      } finally {
        await context.close();
      }
    })();
    return runs[scheme];
  }

  function loaded(results) {
    expectNone(
      results.filter((r) => r.error).map((r) => `  ${r.url}: ${r.error}`),
      'pages that could not be checked',
    );
    return results;
  }

  test('the site builds and its sitemap lists the pages the fixture has', () => {
    if (setupError) throw setupError;
    for (const want of ['', 'getting-started/', 'case-studies/food-bank/', 'recommendations/', 'stakeholders/councils/']) {
      assert.ok(pages.includes(server.base + want), `sitemap.xml does not list ${server.base + want}:\n${pages.join('\n')}`);
    }
  });

  test('every sitemap page answers 200, and a missing page the 404 page with 404', async () => {
    const bad = loaded(await visit('light'))
      .filter((r) => (r.url === notFoundUrl ? r.status !== 404 : r.status !== 200))
      .map((r) => `  ${r.url}: status ${r.status}`);
    expectNone(bad, 'wrong status');
  });

  for (const scheme of ['light', 'dark']) {
    test(`axe-core finds no WCAG 2.2 A/AA violations (${scheme} colour scheme)`, async () => {
      const results = loaded(await visit(scheme));
      const count = results.reduce((n, r) => n + r.violations.length, 0);
      const rules = [...new Set(results.flatMap((r) => r.violations.map((v) => v.id)))];
      console.log(
        `axe-core ${AXE_VERSION} [${scheme}]: ${results.length} pages of foreign content, ` +
          `${count} violations` +
          (rules.length ? ` (${rules.join(', ')})` : '') +
          `; tags ${AXE_TAGS.join(',')}`,
      );
      if (count) expectNone([formatViolations(results, scheme)], `axe-core violations (${scheme})`);
    });
  }

  test('every internal href, src, srcset and form action answers 200', async () => {
    const host = new URL(server.origin).host;
    const from = new Map(); // url without fragment -> first page linking to it
    for (const r of loaded(await visit('light'))) {
      for (const l of r.links ?? []) {
        let u;
        try {
          u = new URL(l.url);
        } catch {
          continue;
        }
        if (u.host !== host || !['http:', 'https:'].includes(u.protocol)) continue;
        u.hash = '';
        // `#main-content` on the 404 page, served at a missing URL, is this same page.
        if (u.href === r.url) continue;
        if (!from.has(u.href)) from.set(u.href, `${r.url} <${l.tag} ${l.attr}="${l.value}">`);
      }
    }
    assert.ok(from.size > 0, 'found no internal links at all');
    const checked = await mapPool([...from.keys()], 4, async (url) => {
      try {
        const res = await fetch(url, { redirect: 'manual' });
        await res.arrayBuffer();
        return { url, status: res.status, location: res.headers.get('location') };
      } catch (e) {
        return { url, status: String(e?.message ?? e) };
      }
    });
    const bad = checked
      .filter((c) => c.status !== 200)
      .map(
        (c) =>
          `  ${c.url}: ${c.status}${c.location ? ' -> ' + c.location : ''}\n      linked from ${from.get(c.url)}`,
      );
    console.log(`foreign: ${from.size} distinct internal URLs fetched, ${bad.length} not 200`);
    expectNone(bad, 'internal URLs that do not answer 200');
  });

  test(`every page reflows at ${NARROW.width}px without horizontal scrolling`, async () => {
    const bad = loaded(await visit('light'))
      .filter((r) => r.reflow.scrollWidth > NARROW.width + 1)
      .map(
        (r) =>
          `  ${r.url}: scrollWidth ${r.reflow.scrollWidth}px > ${NARROW.width}px` +
          (r.reflow.culprits.length ? `; sticking out: ${r.reflow.culprits.join(', ')}` : ''),
      );
    expectNone(bad, 'pages that scroll sideways at 320px');
  });

  test('every page has exactly one <h1>', async () => {
    const bad = loaded(await visit('light'))
      .filter((r) => r.structure.h1s.length !== 1)
      .map((r) => `  ${r.url}: ${r.structure.h1s.length} h1 elements${r.structure.h1s.map((h) => `\n      ${h}`).join('')}`);
    expectNone(bad, 'pages with other than one h1');
  });

  test('no id is used twice on a page', async () => {
    const bad = loaded(await visit('light'))
      .filter((r) => r.structure.duplicateIds.length)
      .map((r) => `  ${r.url}: ${r.structure.duplicateIds.join(', ')}`);
    expectNone(bad, 'pages with duplicate ids');
  });

  test('every page has exactly one <main> and a language', async () => {
    const bad = loaded(await visit('light'))
      .filter((r) => r.structure.mains !== 1 || !r.structure.lang?.trim())
      .map((r) => `  ${r.url}: ${r.structure.mains} main landmarks, lang=${JSON.stringify(r.structure.lang)}`);
    expectNone(bad, 'pages without one main landmark and a language');
  });
});
