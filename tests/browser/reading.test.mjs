// The reading experience of the bundled guide on a phone first, in a real
// headless Chromium (issue 16):
//
//   - the small-screen header: "Search" and "Menu" open the search form and
//     the menu in place, with JavaScript (buttons with aria-expanded, Escape
//     closes) and without (links whose target shows); at 320 x 568 a case
//     study's title and first paragraph are on the first screen; the header's
//     controls are at least 24 px square; nothing of it is printed;
//   - a contents list on long pages whose links reach their headings;
//   - previous and next within principles, barriers, case studies and
//     recommendations, in the order each section's page lists them;
//   - the accessibility statement, linked from every page's footer;
//   - the feedback links (on tests/fixtures/reading, which sets `feedback`),
//     with the page's own address filled in;
//   - axe-core and reflow clean at 320 px and 1280 px, light and dark, with
//     the menu open, on a long page, the statement, the home page, and a page
//     with dates, history and feedback.
//
//   node --test tests/browser/reading.test.mjs   (after `cargo build --release`)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer } from './lib/server.mjs';
import { buildSite, cleanupTempDirs, readSitemap, toServerUrl } from './lib/site.mjs';
import { AXE_SOURCE, AXE_TAGS, expectNone, formatViolations, isLoopback, launchBrowser } from './lib/browser.mjs';

const PHONE = { width: 320, height: 568 };
const DESKTOP = { width: 1280, height: 800 };
const CASE_STUDY = 'case-studies/camden-bame-representation/';

let chrome;
const servers = [];

/** A built site served on 127.0.0.1: `root` is a fixture folder, or the bundled guide. */
async function serve(label, root = null) {
  const server = await startServer({ prefix: '/' });
  servers.push(server);
  server.dir = buildSite(server.base, label, root ? { root } : {});
  server.setRoot(server.dir);
  return server;
}

/** A page in a fresh context; requests to other hosts are refused and recorded. */
async function open(url, { viewport = PHONE, javaScript = true, scheme = 'light' } = {}) {
  const context = await chrome.browser.newContext({
    viewport,
    colorScheme: scheme,
    javaScriptEnabled: javaScript,
    reducedMotion: 'reduce',
    serviceWorkers: 'block',
  });
  const external = [];
  await context.route(
    (u) => !isLoopback(u.href),
    (route) => {
      external.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e?.message ?? e)));
  const resp = await page.goto(url, { waitUntil: 'load' });
  assert.equal(resp.status(), 200, `${url} answered ${resp.status()}`);
  return { page, context, external, errors };
}

/** axe-core's WCAG 2.2 AA violations on the page as it is now. */
async function axe(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  }, AXE_TAGS);
}

/** Page width beyond the viewport (0 when it reflows). */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Whether the element `selector` is rendered (has a box). */
const shown = (page, selector) =>
  page.$eval(selector, (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden');

/** axe-core, reflow, no other host, no script error: at both widths, in both schemes. */
async function checkClean(url, { prepare = async () => {} } = {}) {
  const problems = [];
  for (const scheme of ['light', 'dark']) {
    for (const viewport of [PHONE, DESKTOP]) {
      const { page, context, external, errors } = await open(url, { viewport, scheme });
      try {
        await prepare(page, viewport);
        const violations = await axe(page);
        if (violations.length) problems.push(formatViolations([{ url, violations }], `${scheme}, ${viewport.width}px`));
        const extra = await overflow(page);
        if (extra > 1) problems.push(`${url} [${viewport.width}px]: ${extra}px wider than the screen`);
        for (const u of external) problems.push(`${url}: asked another host for ${u}`);
        for (const e of errors) problems.push(`${url}: script error ${e}`);
      } finally {
        await context.close();
      }
    }
  }
  expectNone(problems, `problems on ${url}`);
}

before(async () => {
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  for (const s of servers) await s.close();
  cleanupTempDirs();
});

describe('the bundled guide', { timeout: 15 * 60_000 }, () => {
  let guide;
  before(async () => {
    guide = await serve('reading');
  });

  describe('the header on a phone', () => {
    test('without JavaScript, "Menu" and "Search" are links whose target shows in place', async () => {
      const { page, context } = await open(guide.base + CASE_STUDY, { javaScript: false });
      try {
        assert.equal(await shown(page, '#site-nav'), false, 'the menu is closed at first');
        assert.equal(await shown(page, '#site-search'), false, 'the search form is closed at first');
        const menu = page.locator('a.header-toggle', { hasText: 'Menu' });
        assert.equal(await menu.getAttribute('href'), '#site-nav');
        await menu.click();
        assert.equal(await shown(page, '#site-nav'), true, 'the menu shows after "Menu"');
        const links = await page.$$eval('#site-nav a', (as) => as.map((a) => a.textContent.trim()));
        assert.ok(links.includes('Case studies') && links.includes('By stakeholder'), `menu: ${links}`);
        await page.locator('a.header-toggle', { hasText: 'Search' }).click();
        assert.equal(await shown(page, '#site-search-q'), true, 'the search field shows after "Search"');
        assert.equal(await shown(page, '#site-nav'), false, 'one at a time');
        await page.fill('#site-search-q', 'trust');
        await page.press('#site-search-q', 'Enter');
        await page.waitForURL(/\/search\/\?q=trust$/);
      } finally {
        await context.close();
      }
    });

    test('with JavaScript, they are buttons that open and close in place, by keyboard too', async () => {
      const { page, context } = await open(guide.base + CASE_STUDY);
      try {
        const menu = page.locator('button.header-toggle', { hasText: 'Menu' });
        assert.equal(await menu.getAttribute('aria-expanded'), 'false');
        assert.equal(await menu.getAttribute('aria-controls'), 'site-nav');
        // Tab order: skip link, site title, Search, Menu.
        const order = [];
        for (let i = 0; i < 4; i++) {
          await page.keyboard.press('Tab');
          order.push(await page.evaluate(() => document.activeElement.textContent.trim()));
        }
        assert.deepEqual(order.slice(2), ['Search', 'Menu'], `tab order: ${order}`);
        await page.keyboard.press('Enter');
        assert.equal(await menu.getAttribute('aria-expanded'), 'true');
        assert.equal(await shown(page, '#site-nav'), true);
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(() => document.activeElement.closest('#site-nav') !== null), true, 'Tab goes into the menu');
        await page.keyboard.press('Escape');
        assert.equal(await menu.getAttribute('aria-expanded'), 'false');
        assert.equal(await shown(page, '#site-nav'), false, 'Escape closes the menu');
        assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Menu', 'and focus goes back to its button');
        const search = page.locator('button.header-toggle', { hasText: 'Search' });
        await search.click();
        assert.equal(await search.getAttribute('aria-expanded'), 'true');
        assert.equal(await page.evaluate(() => document.activeElement.id), 'site-search-q', 'the search field has focus: one tap');
      } finally {
        await context.close();
      }
    });

    test('at 320 x 568 every case study\'s title and first paragraph are on the first screen', async () => {
      const studies = readSitemap(guide.dir, guide.base)
        .map((loc) => toServerUrl(loc, guide))
        .filter((u) => /\/case-studies\/[^/]+\/$/.test(u));
      assert.ok(studies.length > 0, 'the guide has case studies');
      const bad = [];
      for (const javaScript of [true, false]) {
        const { page, context } = await open(guide.base, { javaScript });
        try {
          for (const url of studies) {
            await page.goto(url);
            const m = await page.evaluate(() => {
              const main = document.querySelector('main');
              const first = main.querySelector('.lead') ?? main.querySelector('.prose > p');
              return {
                h1: main.querySelector('h1').getBoundingClientRect().top,
                end: first.getBoundingClientRect().bottom,
              };
            });
            if (m.end > PHONE.height) {
              bad.push(`  ${url} (${javaScript ? 'with' : 'without'} JavaScript): title at ${m.h1}px, first paragraph ends at ${m.end}px`);
            }
          }
        } finally {
          await context.close();
        }
      }
      expectNone(bad, `case studies whose title and first paragraph do not fit the first ${PHONE.height}px`);
    });

    test('the header\'s controls and menu links are at least 24 px square', async () => {
      const { page, context } = await open(guide.base + CASE_STUDY);
      try {
        await page.locator('button.header-toggle', { hasText: 'Menu' }).click();
        const small = await page.$$eval('.site-header a, .site-header button', (els) =>
          els
            .filter((el) => el.getClientRects().length)
            .map((el) => ({ text: el.textContent.trim(), r: el.getBoundingClientRect() }))
            .filter(({ r }) => r.width < 24 || r.height < 24)
            .map(({ text, r }) => `  "${text}": ${Math.round(r.width)} x ${Math.round(r.height)}px`),
        );
        expectNone(small, 'header targets smaller than 24 x 24 px');
      } finally {
        await context.close();
      }
    });

    test('on a wide screen the menu and the search form show, without toggles', async () => {
      const { page, context } = await open(guide.base + CASE_STUDY, { viewport: DESKTOP });
      try {
        assert.equal(await shown(page, '#site-nav'), true);
        assert.equal(await shown(page, '#site-search-q'), true);
        assert.equal(await shown(page, '.header-toggles'), false);
      } finally {
        await context.close();
      }
    });

    test('printed, the page has no menu, search or toggles', async () => {
      const { page, context } = await open(guide.base + CASE_STUDY);
      try {
        await page.locator('button.header-toggle', { hasText: 'Menu' }).click();
        await page.emulateMedia({ media: 'print' });
        for (const sel of ['#site-nav', '#site-search', '.header-toggles']) {
          assert.equal(await shown(page, sel), false, `${sel} is printed`);
        }
        assert.equal(await shown(page, 'main h1'), true);
      } finally {
        await context.close();
      }
    });

    test('axe-core and reflow are clean with the menu open, 320 px and 1280 px, light and dark', async () => {
      await checkClean(guide.base + CASE_STUDY, {
        prepare: async (page, viewport) => {
          if (viewport === PHONE) await page.locator('button.header-toggle', { hasText: 'Menu' }).click();
        },
      });
      await checkClean(guide.base + CASE_STUDY, {
        prepare: async (page, viewport) => {
          if (viewport === PHONE) await page.locator('button.header-toggle', { hasText: 'Search' }).click();
        },
      });
    });
  });

  describe('long pages', () => {
    test('a page with three or more sections has a contents list whose links reach their headings', async () => {
      const { page, context } = await open(guide.base + 'barriers/capacity/', { viewport: DESKTOP });
      try {
        const links = await page.$$eval('nav.toc a', (as) => as.map((a) => a.getAttribute('href')));
        const sections = await page.$$eval('main .prose h2', (hs) => hs.length);
        assert.ok(sections >= 3, `barriers/capacity has ${sections} sections`);
        assert.ok(links.length >= 3, `contents list: ${links}`);
        const missing = await page.evaluate(
          (hrefs) => hrefs.filter((h) => !document.getElementById(decodeURIComponent(h.slice(1)))),
          links,
        );
        expectNone(missing, 'contents links with no heading');
        // Keyboard: Enter on the last entry scrolls its heading into view.
        await page.focus(`nav.toc a[href="${links.at(-1)}"]`);
        await page.keyboard.press('Enter');
        await page.waitForFunction((h) => location.hash === h, links.at(-1));
        const top = await page.evaluate((h) => document.getElementById(decodeURIComponent(h.slice(1))).getBoundingClientRect().top, links.at(-1));
        assert.ok(top >= -1 && top < DESKTOP.height, `the heading is on screen (top ${top}px)`);
      } finally {
        await context.close();
      }
    });

    /** A page's previous and next links. */
    const neighbours = (page) =>
      page.evaluate(() => ({
        prev: document.querySelector('.prev-next a[rel="prev"]')?.href ?? null,
        next: document.querySelector('.prev-next a[rel="next"]')?.href ?? null,
        kind: document.querySelector('main .kind')?.textContent.trim() ?? '',
      }));

    for (const section of ['principles', 'barriers', 'case-studies']) {
      test(`previous and next in ${section} follow the order of its section page`, async () => {
        const { page, context } = await open(guide.base + section + '/', { viewport: DESKTOP });
        try {
          const members = await page.$$eval('ol.section-list > li > a', (as) => as.map((a) => a.href));
          assert.ok(members.length >= 2, `${section}: ${members.length} pages listed`);
          const bad = [];
          for (const [i, url] of members.entries()) {
            await page.goto(url);
            const got = await neighbours(page);
            const want = { prev: members[i - 1] ?? null, next: members[i + 1] ?? null };
            if (got.prev !== want.prev || got.next !== want.next) {
              bad.push(`  ${url}: previous ${got.prev} next ${got.next}, want ${want.prev} and ${want.next}`);
            }
          }
          expectNone(bad, `pages of ${section} whose previous/next do not follow its list`);
        } finally {
          await context.close();
        }
      });
    }

    test('previous and next in recommendations walk every one once, by series and number', async () => {
      // The recommendations page lists them by stakeholder type (some under
      // several): the walk must visit each of them once, numbers rising within a series.
      const { page, context } = await open(guide.base + 'recommendations/', { viewport: DESKTOP });
      try {
        const all = new Set(
          await page.$$eval('ol.rec-list a', (as) => as.map((a) => a.href).filter((h) => /\/recommendations\/[^/]+\/$/.test(h))),
        );
        assert.ok(all.size >= 2);
        let url = [...all][0];
        // Back to the first.
        for (let guard = 0; guard <= all.size; guard++) {
          await page.goto(url);
          const { prev } = await neighbours(page);
          if (!prev) break;
          url = prev;
        }
        const walked = [];
        const kinds = [];
        let previous = null;
        while (url && walked.length <= all.size) {
          await page.goto(url);
          const n = await neighbours(page);
          assert.equal(n.prev, previous, `${url}: its previous is the page before it`);
          walked.push(url);
          kinds.push(n.kind);
          previous = url;
          url = n.next;
        }
        assert.deepEqual([...walked].sort(), [...all].sort(), 'the walk visits every recommendation once');
        const bad = [];
        for (let i = 1; i < kinds.length; i++) {
          const [a, b] = [kinds[i - 1], kinds[i]].map((k) => k.match(/^Recommendation (\d+) \((.*)\)$/));
          if (a && b && a[2] === b[2] && Number(b[1]) <= Number(a[1])) bad.push(`  ${kinds[i - 1]} then ${kinds[i]}`);
        }
        expectNone(bad, 'numbers that do not rise within a series');
      } finally {
        await context.close();
      }
    });

    test('axe-core and reflow are clean on a long page, the home page and the statement', async () => {
      for (const path of ['barriers/capacity/', '', 'accessibility/']) await checkClean(guide.base + path);
    });
  });

  describe('the accessibility statement', () => {
    test('every page links to it from its footer, and it follows the model statement', async () => {
      const { page, context } = await open(guide.base + CASE_STUDY, { viewport: DESKTOP });
      try {
        await page.click('footer a:text-is("Accessibility statement")');
        await page.waitForURL(guide.base + 'accessibility/');
        const h1 = await page.textContent('main h1');
        assert.match(h1, /^Accessibility statement for /);
        const headings = await page.$$eval('main h2', (hs) => hs.map((h) => h.textContent.trim()));
        for (const want of [
          'How accessible this website is',
          'Feedback and contact information',
          "Technical information about this website's accessibility",
          'Preparation of this accessibility statement',
        ]) {
          assert.ok(headings.includes(want), `no "${want}" in ${headings}`);
        }
        const text = await page.textContent('main');
        assert.match(text, /WCAG\) version 2\.2, level AA/);
      } finally {
        await context.close();
      }
    });
  });
});

describe('a site with feedback, dates and a page history (tests/fixtures/reading)', { timeout: 10 * 60_000 }, () => {
  let site;
  before(async () => {
    site = await serve('reading-fixture', new URL('../fixtures/reading', import.meta.url).pathname);
  });

  test('the feedback links carry the page\'s own address', async () => {
    const { page, context } = await open(site.base + 'principles/share/', { viewport: DESKTOP });
    try {
      const links = await page.$$eval('aside.feedback a', (as) => as.map((a) => ({ text: a.textContent.trim(), href: a.href })));
      assert.deepEqual(
        links.map((l) => l.text),
        ['Is this page useful?', 'Report a problem with this page'],
      );
      for (const { href } of links) {
        const u = new URL(href);
        assert.equal(u.protocol, 'mailto:');
        assert.equal(u.pathname, 'guide@example.org');
        assert.ok(u.searchParams.get('body').includes(site.base + 'principles/share/'), `body of ${href}`);
        assert.match(u.searchParams.get('subject'), /: Share power$/);
      }
      const dates = await page.textContent('.page-dates');
      assert.match(dates, /Last updated 5 March 2024/);
      assert.match(dates, /Page history/);
    } finally {
      await context.close();
    }
  });

  test('axe-core and reflow are clean with feedback, dates and history, and on its statement', async () => {
    await checkClean(site.base + 'principles/share/');
    await checkClean(site.base + 'accessibility/');
  });
});
