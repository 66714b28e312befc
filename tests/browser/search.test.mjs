// Search, in a real headless Chromium, against the bundled site built by the
// release binary and served on 127.0.0.1 — once at the domain root and once
// under a sub-path (`/guide/`):
//
//   - typing "trust" lists the trust barrier page first or near the top, each
//     result a link with its kind and an excerpt with <mark>ed words;
//   - the query and filters come from, and go back into, the address;
//   - filtering by stakeholder "funders" lists only pages tagged with funders
//     (the pages the site's own /stakeholders/funders/ page lists);
//   - a query with no match says so, in the polite live region;
//   - axe-core finds no violation with results on screen, light and dark;
//   - keyboard only: focus is never lost;
//   - nothing is requested from any other host, or outside the sub-path;
//   - with JavaScript off, /search/ lists every page from A to Z.
//
// It also prints what a first search costs: bytes transferred and the time
// from the last keypress to results on screen (FAIRGUIDE_SEARCH_METRICS=file
// writes them as JSON too).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { startServer } from './lib/server.mjs';
import { BIN, REPO, buildSite, cleanupTempDirs, PREBUILT } from './lib/site.mjs';
import { AXE_SOURCE, AXE_TAGS, expectNone, isLoopback, launchBrowser, newContext } from './lib/browser.mjs';

const TRUST_PAGE = 'barriers/trust-and-control/';
const STAKEHOLDER = 'funders';
const NO_MATCH = 'qwxzkvj';
const metrics = {};

/** Fail with everything we know about the search page if `fn` throws. */
async function withPage(context, fn) {
  const page = await context.newPage();
  const log = { requests: [], errors: [], console: [] };
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('pageerror', (e) => log.errors.push(String(e?.message ?? e)));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.console.push(`${m.type()}: ${m.text()}`);
  });
  try {
    return await fn(page, log);
  } finally {
    await page.close().catch(() => {});
  }
}

/** The result list as data: [{href, title, kind, excerpt, marks}]. */
function readResults(page) {
  return page.$$eval('#search-results-list > li', (items) =>
    items.map((li) => {
      const a = li.querySelector('a');
      return {
        href: a?.href ?? null,
        title: a?.textContent.trim() ?? '',
        kind: li.querySelector('.search-result-kind')?.textContent.trim() ?? '',
        excerpt: li.querySelector('.search-result-excerpt')?.textContent.trim() ?? '',
        marks: [...li.querySelectorAll('.search-result-excerpt mark')].map((m) => m.textContent.trim()),
      };
    }),
  );
}

const statusText = (page) => page.$eval('#search-status', (el) => el.textContent.trim());

/** Wait until the live region reports a finished search (a count or "no pages"). */
async function waitForOutcome(page) {
  await page.waitForFunction(
    () => /match/.test(document.getElementById('search-status')?.textContent ?? ''),
    null,
    { timeout: 15_000 },
  );
}

/** Press "Show more results" until every result is listed. */
async function showAll(page) {
  for (let i = 0; i < 100; i++) {
    const more = page.locator('#search-more');
    if (!(await more.isVisible())) return;
    const before = await page.locator('#search-results-list > li').count();
    await more.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('#search-results-list > li').length > n, before);
  }
}

for (const prefix of ['/', '/guide/']) {
  describe(`search on the site served at ${prefix}`, { timeout: 10 * 60_000 }, () => {
    let server;
    let chrome;
    let base;
    let setupError = null;

    before(async () => {
      try {
        server = await startServer({ prefix });
        const dir = buildSite(server.base, prefix === '/' ? 'search-root' : 'search-subpath');
        server.setRoot(dir);
        base = server.base;
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

    function ready() {
      if (setupError) throw setupError;
    }

    test('typing "trust" lists the trust barrier page at or near the top', async () => {
      ready();
      const context = await newContext(chrome.browser, 'light');
      try {
        await withPage(context, async (page, log) => {
          const responses = []; // [bytes, path] of everything this page loads
          page.on('response', async (r) => {
            const body = await r.body().catch(() => Buffer.alloc(0));
            responses.push([body.length, new URL(r.url()).pathname]);
          });
          await page.goto(base + 'search/', { waitUntil: 'load' });
          await page.waitForLoadState('networkidle');
          // Time from the last keypress to results on screen, measured in the page.
          await page.evaluate(() => {
            window.__t = { key: 0, shown: 0 };
            document.getElementById('search-q').addEventListener('keydown', () => {
              window.__t.key = performance.now();
            });
            new MutationObserver(() => {
              if (!window.__t.shown && document.querySelector('#search-results-list > li')) {
                window.__t.shown = performance.now();
              }
            }).observe(document.getElementById('search-results-list'), { childList: true });
          });
          await page.focus('#search-q');
          await page.keyboard.type('trust');
          await waitForOutcome(page);
          await page.waitForLoadState('networkidle');
          const t = await page.evaluate(() => window.__t);
          const results = await readResults(page);
          assert.ok(results.length > 0, `no results for "trust"; status: ${await statusText(page)}`);
          const rank = results.findIndex((r) => r.href === base + TRUST_PAGE);
          assert.ok(
            rank >= 0 && rank < 3,
            `${base + TRUST_PAGE} should be in the top 3 for "trust", but the results were:\n` +
              results.map((r, i) => `  ${i + 1}. ${r.href}`).join('\n'),
          );
          for (const r of results) {
            assert.ok(r.title, `a result has no title: ${JSON.stringify(r)}`);
            assert.ok(r.kind, `a result has no kind: ${JSON.stringify(r)}`);
            assert.ok(r.href.startsWith(base), `a result leaves the site's base ${base}: ${r.href}`);
          }
          assert.ok(
            results[rank].marks.some((m) => /^trust/i.test(m)),
            `the trust page's excerpt has no <mark>ed "trust": ${JSON.stringify(results[rank])}`,
          );
          assert.match(await statusText(page), /^\d+ pages? match/);
          assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-q', 'focus left the search box');
          assert.equal(new URL(page.url()).searchParams.get('q'), 'trust', 'the address does not hold the query');
          expectNone(log.errors, 'JavaScript errors');
          const label = prefix === '/' ? 'root' : 'subpath';
          const sum = (test) => responses.filter(([, p]) => test(p)).reduce((n, [b]) => n + b, 0);
          const inBundle = (p) => p.includes('/pagefind/');
          const perQuery = (p) => /\/pagefind\/(index|fragment|filter)\//.test(p);
          metrics[label] = {
            keypressToResultsMs: Math.round(t.shown - t.key),
            pageBytes: sum((p) => !inBundle(p)),
            pagefindRuntimeBytes: sum((p) => inBundle(p) && !perQuery(p)),
            queryBytes: sum(perQuery),
            totalBytes: sum(() => true),
            files: responses.map(([b, p]) => `${b} ${p}`),
            results: results.length,
          };
          console.log(`first search at ${prefix}: ${JSON.stringify(metrics[label], null, 1)}`);

          // A second search, with everything loaded.
          await page.evaluate(() => {
            window.__t = { key: 0, shown: 0 };
          });
          await page.fill('#search-q', '');
          await page.keyboard.type('funding');
          await page.waitForFunction(() => window.__t.shown > 0 && /funding/.test(document.getElementById('search-status').textContent));
          const t2 = await page.evaluate(() => window.__t);
          metrics[label].secondKeypressToResultsMs = Math.round(t2.shown - t2.key);
        });
      } finally {
        await context.close();
      }
    });

    test('the address runs the query, and the header search box leads there', async () => {
      ready();
      const context = await newContext(chrome.browser, 'light');
      try {
        await withPage(context, async (page, log) => {
          await page.goto(base + 'search/?q=what+should+funders+do', { waitUntil: 'load' });
          await waitForOutcome(page);
          assert.equal(await page.inputValue('#search-q'), 'what should funders do');
          assert.ok((await readResults(page)).length > 0, `no results for "what should funders do": ${await statusText(page)}`);

          await page.goto(base, { waitUntil: 'load' });
          await page.focus('#site-search-q');
          await page.keyboard.type('trust');
          await page.keyboard.press('Enter');
          await page.waitForURL((u) => u.pathname === new URL(base + 'search/').pathname);
          await waitForOutcome(page);
          assert.equal(new URL(page.url()).searchParams.get('q'), 'trust');
          const results = await readResults(page);
          assert.ok(results.some((r) => r.href === base + TRUST_PAGE), 'the header search did not find the trust page');
          expectNone(log.errors, 'JavaScript errors');
        });
      } finally {
        await context.close();
      }
    });

    test(`filtering by stakeholder "${STAKEHOLDER}" lists only pages tagged with it`, async () => {
      ready();
      const context = await newContext(chrome.browser, 'light');
      try {
        await withPage(context, async (page, log) => {
          // What the site itself says concerns funders.
          await page.goto(base + `stakeholders/${STAKEHOLDER}/`, { waitUntil: 'load' });
          const tagged = new Set(
            await page.$$eval('main a[href]', (as) => as.map((a) => a.href.split('#')[0])),
          );

          await page.goto(base + 'search/', { waitUntil: 'load' });
          const select = page.locator('#search-filter-stakeholder');
          await select.waitFor({ state: 'visible' });
          // Keyboard only: focus the control, choose the option, results follow.
          await select.focus();
          await select.selectOption(STAKEHOLDER);
          await waitForOutcome(page);
          assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-filter-stakeholder');
          assert.equal(new URL(page.url()).searchParams.get('stakeholder'), STAKEHOLDER);
          await showAll(page);
          let results = await readResults(page);
          assert.ok(results.length > 0, `no pages for stakeholder ${STAKEHOLDER}: ${await statusText(page)}`);
          // A collection's records (the guide's organisations) are not pages:
          // the stakeholder page does not list them, but a record tagged with
          // the stakeholder type links to that page.
          for (const r of results.filter((r) => !tagged.has(r.href))) {
            const html = await (await page.request.get(r.href)).text();
            if (/<dl class="facts">/.test(html) && html.includes(`/stakeholders/${STAKEHOLDER}/"`)) {
              tagged.add(r.href);
            }
          }
          const untagged = results.filter((r) => !tagged.has(r.href)).map((r) => `  ${r.href}`);
          expectNone(untagged, `results not listed on /stakeholders/${STAKEHOLDER}/`);

          // Words and a filter together, from a shared address.
          await page.goto(base + `search/?q=trust&stakeholder=${STAKEHOLDER}`, { waitUntil: 'load' });
          await waitForOutcome(page);
          assert.equal(await page.inputValue('#search-filter-stakeholder'), STAKEHOLDER);
          await showAll(page);
          results = await readResults(page);
          const stray = results.filter((r) => !tagged.has(r.href)).map((r) => `  ${r.href}`);
          expectNone(stray, `"trust" + ${STAKEHOLDER}: results not tagged with ${STAKEHOLDER}`);

          // Kind filter: only barriers.
          await page.goto(base + 'search/?q=trust&kind=barrier', { waitUntil: 'load' });
          await waitForOutcome(page);
          results = await readResults(page);
          assert.ok(results.length > 0, 'no barrier matches "trust"');
          expectNone(
            results.filter((r) => r.kind !== 'Barrier').map((r) => `  ${r.kind}: ${r.href}`),
            'kind=barrier returned other kinds',
          );
          expectNone(log.errors, 'JavaScript errors');
        });
      } finally {
        await context.close();
      }
    });

    test('a query with no match says so', async () => {
      ready();
      const context = await newContext(chrome.browser, 'light');
      try {
        await withPage(context, async (page) => {
          await page.goto(base + 'search/', { waitUntil: 'load' });
          await page.focus('#search-q');
          await page.keyboard.type(NO_MATCH);
          await page.keyboard.press('Enter');
          await waitForOutcome(page);
          const status = await statusText(page);
          assert.match(status, /^No pages match/);
          assert.ok(status.includes(NO_MATCH), `the message does not repeat the query: ${status}`);
          const live = await page.$eval('#search-status', (el) => [el.getAttribute('role'), el.getAttribute('aria-live')]);
          assert.deepEqual(live, ['status', 'polite']);
          assert.equal(await page.locator('#search-results').isVisible(), false);
          assert.ok(await page.locator('#a-z').isVisible(), 'the A-Z list should stay');
          assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-q', 'focus left the search box');
        });
      } finally {
        await context.close();
      }
    });

    for (const scheme of ['light', 'dark']) {
      test(`axe-core finds no violation with results shown (${scheme})`, async () => {
        ready();
        const context = await newContext(chrome.browser, scheme);
        try {
          await withPage(context, async (page, log) => {
            await page.goto(base + `search/?q=trust&stakeholder=${STAKEHOLDER}`, { waitUntil: 'load' });
            await waitForOutcome(page);
            await showAll(page);
            assert.ok((await readResults(page)).length > 0);
            await page.addScriptTag({ content: AXE_SOURCE });
            const violations = await page.evaluate(async (tags) => {
              // eslint-disable-next-line no-undef
              const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
              return r.violations.map(
                (v) => `  ${v.id} (${v.impact}): ${v.help}\n` + v.nodes.map((n) => `    - ${n.target.join(' ')}: ${n.html.slice(0, 160)}`).join('\n'),
              );
            }, AXE_TAGS);
            expectNone(violations, `axe-core violations on the search page with results (${scheme})`);
            const external = log.requests.filter((u) => !isLoopback(u));
            expectNone(external, 'requests to other hosts');
            const outside = log.requests.filter((u) => isLoopback(u) && u.startsWith('http') && !u.startsWith(base));
            expectNone(outside, `requests outside ${base}`);
          });
        } finally {
          await context.close();
        }
      });
    }

    test('keyboard only: Tab reaches filters and results, "Show more" keeps focus on a result', async () => {
      ready();
      const context = await newContext(chrome.browser, 'light');
      try {
        await withPage(context, async (page) => {
          await page.goto(base + 'search/?q=the', { waitUntil: 'load' });
          await waitForOutcome(page);
          await page.focus('#search-q');
          const seen = [];
          for (let i = 0; i < 12; i++) {
            await page.keyboard.press('Tab');
            seen.push(await page.evaluate(() => {
              const a = document.activeElement;
              return a === document.body || !a ? 'body' : a.id || a.closest('li')?.className || a.tagName;
            }));
          }
          assert.ok(!seen.includes('body'), `focus was lost while tabbing: ${seen.join(', ')}`);
          assert.ok(seen.some((s) => s.startsWith('search-filter-')), `Tab never reached a filter: ${seen.join(', ')}`);
          assert.ok(seen.includes('search-result'), `Tab never reached a result: ${seen.join(', ')}`);
          if (await page.locator('#search-more').isVisible()) {
            const before = await page.locator('#search-results-list > li').count();
            await page.focus('#search-more');
            await page.keyboard.press('Enter');
            await page.waitForFunction((n) => document.querySelectorAll('#search-results-list > li').length > n, before);
            const focused = await page.evaluate(() => document.activeElement?.closest('li')?.className ?? document.activeElement?.id);
            assert.equal(focused, 'search-result', 'after "Show more", focus should be on the first new result');
          }
        });
      } finally {
        await context.close();
      }
    });

    test('with JavaScript off, /search/ lists every page from A to Z', async () => {
      ready();
      const context = await chrome.browser.newContext({ javaScriptEnabled: false });
      await context.route((url) => !isLoopback(url.href), (route) => route.abort('blockedbyclient'));
      try {
        const page = await context.newPage();
        const resp = await page.goto(base + 'search/?q=trust', { waitUntil: 'load' });
        assert.equal(resp.status(), 200);
        const az = await page.$$eval('#a-z a[href]', (as) => as.map((a) => a.href));
        assert.ok(az.includes(base + TRUST_PAGE), 'the A-Z list lacks the trust page');
        const headings = await page.$$eval('#a-z h3', (hs) => hs.map((h) => h.textContent.trim()));
        for (const kind of ['Principle', 'Barrier', 'Case study', 'Recommendation']) {
          assert.ok(headings.includes(kind), `the A-Z list has no "${kind}" group: ${headings.join(', ')}`);
        }
        assert.equal(await page.locator('#search-results').isVisible(), false);
        assert.equal(await page.locator('#search-filters').isVisible(), false, 'filters that cannot work are shown');
        assert.ok(await page.locator('noscript').count(), 'no note explains that searching needs JavaScript');
        // Every page in the sitemap that is a content page is in the A-Z list.
        if (!PREBUILT) {
          const sitemap = await (await page.request.get(base + 'sitemap.xml')).text();
          const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
          const index = await (await page.request.get(base + 'search/')).text();
          const missing = locs.filter((u) => {
            const path = new URL(u).pathname;
            return /^(principles|barriers|case-studies|recommendations)\/[^/]+\/$/.test(path.slice(new URL(base).pathname.length)) && !index.includes(`href="${path}"`);
          });
          expectNone(missing.map((u) => `  ${u}`), 'content pages missing from the A-Z list');
        }
        await page.close();
      } finally {
        await context.close();
      }
    });
  });
}

// Front matter and Markdown that look like HTML must reach the reader as text:
// the fixture's case study has <script> in its title and raw HTML in its body.
describe('search results never run markup from the content', { skip: PREBUILT ? 'FAIRGUIDE_SITE_DIR is set' : false, timeout: 5 * 60_000 }, () => {
  let server;
  let chrome;
  let dir;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairguide-search-inject-'));
    const out = path.join(dir, 'site');
    server = await startServer({ prefix: '/' });
    const root = path.join(REPO, 'tests', 'fixtures', 'every-kind');
    const r = spawnSync(BIN, ['build', '--root', root, '--output', out, '--base-url', server.base], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`building the every-kind fixture failed:\n${r.stderr}`);
    server.setRoot(out);
    chrome = await launchBrowser();
  });

  after(async () => {
    await chrome?.close();
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a title and body holding <script> and onerror show as text', async () => {
    const context = await newContext(chrome.browser, 'light');
    try {
      const page = await context.newPage();
      const dialogs = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        d.dismiss().catch(() => {});
      });
      await page.goto(server.base + 'search/?q=raw+html+must+not+run', { waitUntil: 'load' });
      await waitForOutcome(page);
      const results = await readResults(page);
      const camden = results.find((r) => r.href === server.base + 'case-studies/camden/');
      assert.ok(camden, `the camden case study was not found: ${JSON.stringify(results)}`);
      assert.equal(camden.title, "Camden: <script>alert('title')</script> representation");
      const injected = await page.$$eval('#search-results script, #search-results img, #search-results [onerror]', (els) => els.length);
      assert.equal(injected, 0, 'markup from the content became elements in the results');
      await page.waitForTimeout(300);
      assert.deepEqual(dialogs, [], 'a script from the content ran');
    } finally {
      await context.close();
    }
  });
});

after(() => {
  if (process.env.FAIRGUIDE_SEARCH_METRICS) {
    fs.writeFileSync(process.env.FAIRGUIDE_SEARCH_METRICS, JSON.stringify(metrics, null, 2) + '\n');
  }
});
