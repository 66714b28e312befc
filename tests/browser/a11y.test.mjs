// Accessibility of every page of the bundled site, in a real headless
// Chromium: axe-core (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA) in the light and the
// dark colour scheme, one <main>, a working skip link first in the tab order,
// a page language, reflow at 320 CSS px, and no request to any other host.
//
//   node --test tests/browser/            (after `cargo build --release`)
//   FAIRGUIDE_SITE_DIR=/some/built/site node --test tests/browser/
//
// See lib/site.mjs for the other environment variables.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer } from './lib/server.mjs';
import { buildSite, cleanupTempDirs, readSitemap, toServerUrl, PREBUILT } from './lib/site.mjs';
import {
  AXE_TAGS,
  AXE_VERSION,
  NARROW,
  formatViolations,
  inspectAll,
  launchBrowser,
  expectNone,
  newContext,
} from './lib/browser.mjs';

const MISSING = '__fairguide_no_such_page__/';

describe('the site served at the domain root', { timeout: 20 * 60_000 }, () => {
  let server;
  let chrome;
  let pages = []; // sitemap pages, as served here
  let notFoundUrl;
  let setupError = null; // reported in full by the first test, briefly by the others
  const runs = {}; // colour scheme -> Promise<results>

  before(async () => {
    try {
      server = await startServer({ prefix: '/' });
      const dir = buildSite(server.base, 'root');
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
        // Structure and reflow do not depend on the colour scheme: check them once.
        const structure = scheme === 'light';
        return await inspectAll(context, [...pages, notFoundUrl], { structure });
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

  test('the site builds and sitemap.xml lists its pages under the base URL', () => {
    if (setupError) throw setupError;
    assert.ok(pages.length > 0, 'sitemap.xml has no <loc> entries');
    if (!PREBUILT) {
      const outside = pages.filter((p) => !p.startsWith(server.base));
      expectNone(outside.map((p) => `  ${p}`), `sitemap URLs not under the base URL ${server.base}`);
    }
    assert.ok(
      pages.some((p) => p === server.base),
      `sitemap.xml does not list the home page ${server.base}`,
    );
  });

  test('every sitemap page answers 200, and a missing page the 404 page with 404', async () => {
    const results = loaded(await visit('light'));
    const bad = results
      .filter((r) => (r.url === notFoundUrl ? r.status !== 404 : r.status !== 200))
      .map((r) => `  ${r.url}: status ${r.status}`);
    expectNone(bad, 'wrong status');
    const nf = results.find((r) => r.url === notFoundUrl);
    assert.ok(nf.structure?.mains === 1, 'the 404 page (404.html) should be a full page of the site');
  });

  for (const scheme of ['light', 'dark']) {
    test(`axe-core finds no WCAG 2.2 AA violations (${scheme} colour scheme)`, async () => {
      const results = loaded(await visit(scheme));
      const count = results.reduce((n, r) => n + r.violations.length, 0);
      const nodes = results.reduce((n, r) => n + r.violations.reduce((m, v) => m + v.nodes.length, 0), 0);
      const incomplete = results.reduce((n, r) => n + r.incomplete, 0);
      const rules = [...new Set(results.flatMap((r) => r.violations.map((v) => v.id)))];
      console.log(
        `axe-core ${AXE_VERSION} [${scheme}]: ${results.length} pages checked, ` +
          `${count} violations on ${nodes} elements` +
          (rules.length ? ` (${rules.join(', ')})` : '') +
          `, ${incomplete} needing review; tags ${AXE_TAGS.join(',')}`,
      );
      if (count) expectNone([formatViolations(results, scheme)], `axe-core violations (${scheme})`);
    });
  }

  test('every page has exactly one <main>', async () => {
    const bad = loaded(await visit('light'))
      .filter((r) => r.structure.mains !== 1)
      .map((r) => `  ${r.url}: ${r.structure.mains} main landmarks`);
    expectNone(bad, 'pages with other than one main landmark');
  });

  test('every page has a non-empty <html lang>', async () => {
    const bad = loaded(await visit('light'))
      .filter((r) => !r.structure.lang?.trim())
      .map((r) => `  ${r.url}: lang=${JSON.stringify(r.structure.lang)}`);
    expectNone(bad, 'pages without a language on <html>');
  });

  test('the first Tab lands on a skip link whose target exists', async () => {
    const bad = [];
    for (const r of loaded(await visit('light'))) {
      const s = r.structure;
      if (!s.firstFocusIsLink || !s.skipHref?.startsWith('#')) {
        bad.push(`  ${r.url}: first focusable element is not an in-page link: ${s.firstFocus}`);
      } else if (!s.skipTarget) {
        bad.push(`  ${r.url}: skip link href="${s.skipHref}" has no element with that id`);
      } else if (!s.skipText) {
        bad.push(`  ${r.url}: skip link to ${s.skipHref} has no text`);
      }
    }
    expectNone(bad, 'pages whose first Tab stop is not a working skip link');
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

  test('no page requests anything from another host', async () => {
    const bad = [];
    for (const scheme of ['light', 'dark']) {
      for (const r of loaded(await visit(scheme))) {
        for (const u of new Set(r.external)) bad.push(`  ${r.url} [${scheme}]: ${u}`);
      }
    }
    expectNone(bad, 'requests to hosts other than 127.0.0.1');
  });

  test('every stylesheet, script, image and font a page loads is there', async () => {
    const bad = [];
    for (const r of loaded(await visit('light'))) {
      for (const f of new Set(r.failed)) bad.push(`  ${r.url}: ${f}`);
    }
    expectNone(bad, 'subresources that failed to load');
  });

  test('no page throws a JavaScript error', async () => {
    const bad = [];
    for (const scheme of ['light', 'dark']) {
      for (const r of loaded(await visit(scheme))) {
        for (const e of r.jsErrors) bad.push(`  ${r.url} [${scheme}]: ${e}`);
      }
    }
    expectNone(bad, 'uncaught JavaScript errors');
  });
});
