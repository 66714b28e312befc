// The offline copy (`fairguide build --offline`) opened straight from disk in
// headless Chromium through file:// URLs: starting at index.html, every link
// of every page is followed; each page loads, throws no error, logs no error
// to the console and fails no request; every page of the copy is reached.
// Also: whether Pagefind's search could work from disk (it cannot: the note
// on the search page says so, and this checks the browser agrees).
//
//   node --test tests/browser/offline.test.mjs    (after `cargo build --release`)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { REPO, buildSite, cleanupTempDirs } from './lib/site.mjs';
import { expectNone, launchBrowser, newContext } from './lib/browser.mjs';

describe('the offline copy, opened from disk', { timeout: 15 * 60_000 }, () => {
  let dir;
  let online;
  let chrome;

  before(async () => {
    dir = buildSite('https://guide.example.org/', 'offline', { extra: ['--offline'] });
    online = buildSite('/', 'online');
    chrome = await launchBrowser();
  });

  after(async () => {
    await chrome?.close();
    cleanupTempDirs();
  });

  const root = () => pathToFileURL(dir + path.sep).href;

  /**
   * Opens `copy`'s index.html and follows every link of every page; at least
   * `least` pages, and every page but those `unlinked` matches, must be reached.
   */
  const crawl = async (copy, least, unlinked = /^$/) => {
    const root = () => pathToFileURL(copy + path.sep).href;
    const context = await newContext(chrome.browser, 'light');
    const page = await context.newPage();
    let current = null;
    page.on('console', (m) => {
      if (current && m.type() === 'error') current.problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => current?.problems.push(`error: ${e.message}`));
    page.on('requestfailed', (r) => current?.problems.push(`failed: ${r.url()} (${r.failure()?.errorText})`));
    const queue = [root() + 'index.html'];
    const seen = new Set(queue);
    const problems = [];
    let links = 0;
    try {
      while (queue.length) {
        const url = queue.shift();
        current = { problems: [] };
        const file = decodeURIComponent(new URL(url).pathname);
        if (!fs.existsSync(file)) {
          problems.push(`  ${url}: no such file`);
          continue;
        }
        await page.goto(url, { waitUntil: 'load' });
        const found = await page.evaluate(() =>
          [...document.querySelectorAll('a[href], link[href], script[src], img[src], form[action]')].map(
            (el) => el.href || el.src || el.action,
          ),
        );
        for (const href of found) {
          links += 1;
          const u = new URL(href);
          if (u.protocol !== 'file:') continue;
          const target = u.href.split(/[?#]/)[0];
          if (!target.startsWith(root())) {
            problems.push(`  ${url}: ${href} leaves the copy`);
          } else if (target.endsWith('/')) {
            problems.push(`  ${url}: ${href} names a folder, which a browser does not open from disk`);
          } else if (target.endsWith('.html') && !seen.has(target)) {
            seen.add(target);
            queue.push(target);
          } else if (!fs.existsSync(decodeURIComponent(new URL(target).pathname))) {
            problems.push(`  ${url}: ${href} leads to no file`);
          }
        }
        for (const p of current.problems) problems.push(`  ${url}: ${p}`);
      }
    } finally {
      current = null;
      await context.close();
    }
    expectNone(problems, 'problems in the offline copy');
    // Every page of the copy was reached by following links.
    const pages = [];
    const walk = (d) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.html')) pages.push(pathToFileURL(p).href);
      }
    };
    walk(copy);
    const unreached = pages.filter((p) => !seen.has(p) && !p.endsWith('/404.html') && !unlinked.test(p));
    expectNone(unreached.map((p) => `  ${p}`), 'pages no link leads to');
    console.log(`offline copy ${path.basename(copy)}: ${seen.size} pages opened from disk, ${links} links followed`);
    assert.ok(seen.size > least, `only ${seen.size} pages reached`);
  };

  test('following every link from index.html reaches every page, each without an error', () => crawl(dir, 60));

  test('in several languages too: every link, the language switchers and hreflang, from disk', async () => {
    const translated = buildSite('https://example.org/', 'offline-translations', {
      root: path.join(REPO, 'tests', 'fixtures', 'translations'),
      extra: ['--offline'],
    });
    // The fixture has no barriers or recommendations: their sections' empty
    // pages are written, in every language, but no menu offers them.
    await crawl(translated, 30, /\/(barriers|recommendations)\/index\.html$/);
    // The Welsh copy's pages link to the English and Urdu ones as files.
    const context = await newContext(chrome.browser, 'light');
    try {
      const page = await context.newPage();
      const base = pathToFileURL(translated + path.sep).href;
      await page.goto(base + 'cy/principles/trust/index.html', { waitUntil: 'load' });
      const switcher = await page.$$eval('.language-switcher a', (as) => as.map((a) => a.href));
      assert.deepEqual(switcher, ['principles/trust/index.html', 'cy/principles/trust/index.html', 'ur/principles/trust/index.html'].map((p) => base + p));
      const alternates = await page.$$eval('link[hreflang]', (ls) => ls.map((l) => `${l.hreflang} ${l.href}`));
      assert.deepEqual(alternates, [`en ${base}principles/trust/index.html`, `cy ${base}cy/principles/trust/index.html`, `x-default ${base}principles/trust/index.html`]);
      await Promise.all([page.waitForNavigation(), page.click('.language-switcher a[lang="ur"]')]);
      assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    } finally {
      await context.close();
    }
  });

  test('the search page lists every page from A to Z and says why search is off', async () => {
    const context = await newContext(chrome.browser, 'light');
    try {
      const page = await context.newPage();
      await page.goto(root() + 'search/index.html?q=trust', { waitUntil: 'load' });
      const note = await page.textContent('.search-note');
      assert.match(note, /Search does not work in a copy opened from a folder/);
      const listed = await page.$$eval('#a-z a', (as) => as.length);
      assert.ok(listed > 60, `the A-Z list has ${listed} links`);
    } finally {
      await context.close();
    }
  });

  test("Pagefind cannot run from disk: the browser refuses its module script and fetch() on file://", async () => {
    // The online build's index, opened from disk as it would have to be.
    const context = await newContext(chrome.browser, 'light');
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(path.join(online, 'index.html')).href, { waitUntil: 'load' });
      const result = await page.evaluate(async () => {
        const out = {};
        try {
          await import('./pagefind/pagefind.js');
          out.module = 'loaded';
        } catch (e) {
          out.module = `refused: ${e.message}`;
        }
        try {
          await fetch('./pagefind/pagefind-entry.json');
          out.fetch = 'loaded';
        } catch (e) {
          out.fetch = `refused: ${e.message}`;
        }
        return out;
      });
      console.log(`from file://: import(pagefind.js) ${result.module}; fetch(pagefind-entry.json) ${result.fetch}`);
      assert.match(result.module, /^refused/);
      assert.match(result.fetch, /^refused/);
    } finally {
      await context.close();
    }
  });
});
