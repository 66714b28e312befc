// The same site built for, and served under, a sub-path (`/guide/`), as a
// host that publishes it at https://example.org/guide/ would: every link and
// resource on every page that points at this host must stay under /guide/ and
// answer 200, and nothing the pages load at run time may leave /guide/.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer } from './lib/server.mjs';
import { buildSite, cleanupTempDirs, readSitemap, toServerUrl, PREBUILT } from './lib/site.mjs';
import { expectNone, inspectAll, launchBrowser, mapPool, newContext } from './lib/browser.mjs';

const PREFIX = '/guide/';

describe(`the site built for and served under ${PREFIX}`, { timeout: 20 * 60_000 }, () => {
  let server;
  let chrome;
  let pages = [];
  let _results;
  let setupError = null; // reported in full by the first test, briefly by the others

  before(async () => {
    try {
      server = await startServer({ prefix: PREFIX });
      const dir = buildSite(server.base, 'subpath');
      server.setRoot(dir);
      pages = readSitemap(dir, server.base).map((loc) => toServerUrl(loc, server));
      chrome = await launchBrowser();
      const context = await newContext(chrome.browser, 'light');
      try {
        _results = await inspectAll(context, pages, { axe: false, structure: false, links: true });
      } finally {
        await context.close();
      }
    } catch (e) {
      setupError = e;
    }
  });

  function visited() {
    if (setupError) throw new Error('the site could not be built, served and visited: see the first test');
    return _results;
  }

  after(async () => {
    await chrome?.close();
    await server?.close();
    cleanupTempDirs();
  });

  test('the site builds and sitemap.xml lists its pages under the sub-path', () => {
    if (setupError) throw setupError;
    assert.ok(pages.length > 0, 'sitemap.xml has no <loc> entries');
    if (!PREBUILT) {
      const outside = pages.filter((p) => !p.startsWith(server.base));
      expectNone(outside.map((p) => `  ${p}`), `sitemap URLs not under ${server.base}`);
    }
  });

  test('every page loads', () => {
    const bad = visited()
      .filter((r) => r.error || r.status !== 200)
      .map((r) => `  ${r.url}: ${r.error ?? 'status ' + r.status}`);
    expectNone(bad, 'pages that did not load');
  });

  test(`every href/src/action on this host stays under ${PREFIX}`, () => {
    const bad = [];
    for (const r of visited()) {
      for (const l of r.links ?? []) {
        let u;
        try {
          u = new URL(l.url);
        } catch {
          continue;
        }
        if (u.host !== new URL(server.origin).host) continue;
        if (!u.pathname.startsWith(PREFIX)) {
          bad.push(`  ${r.url}: <${l.tag} ${l.attr}="${l.value}"> -> ${u.pathname}`);
        }
      }
    }
    expectNone(bad, 'links and sources on this host outside /guide/');
  });

  test(`every request a page makes stays under ${PREFIX}`, () => {
    const bad = [];
    for (const r of visited()) {
      for (const req of new Set(r.requests)) {
        let u;
        try {
          u = new URL(req);
        } catch {
          continue;
        }
        // Other hosts are the root test's business ("no page requests anything from another host").
        if (u.host !== new URL(server.origin).host) continue;
        if (!u.pathname.startsWith(PREFIX)) {
          bad.push(`  ${r.url}: requested ${req}`);
        }
      }
    }
    expectNone(bad, 'requests outside /guide/');
  });

  test('every internal link and resource answers 200', async () => {
    const host = new URL(server.origin).host;
    const from = new Map(); // url without fragment -> first page linking to it
    for (const r of visited()) {
      for (const l of r.links ?? []) {
        let u;
        try {
          u = new URL(l.url);
        } catch {
          continue;
        }
        if (u.host !== host || !['http:', 'https:'].includes(u.protocol)) continue;
        u.hash = '';
        if (!from.has(u.href)) from.set(u.href, `${r.url} <${l.tag} ${l.attr}="${l.value}">`);
      }
    }
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
    console.log(`sub-path: ${visited().length} pages, ${from.size} distinct internal URLs fetched, ${bad.length} not 200`);
    expectNone(bad, 'internal URLs that do not answer 200');
  });
});
