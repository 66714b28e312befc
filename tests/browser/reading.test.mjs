// The reading experience of the bundled guide on a phone first, in a real
// headless Chromium (issue 16):
//
//   - the small-screen header: "Search" and "Menu" open the search form and
//     the menu in place, with JavaScript (buttons with aria-expanded, Escape
//     closes) and without (links whose target shows); at 320 x 568 a case
//     study's title and first paragraph are on the first screen; the header's
//     controls are at least 24 px square; nothing of it is printed;
//   - axe-core and reflow clean at 320 px and 1280 px, light and dark, with
//     the menu open.
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
});
