// Translations, in headless Chromium: tests/fixtures/translations (English,
// Welsh under /cy/, Urdu under /ur/) built by the release binary and served
// on 127.0.0.1.
//
//   - axe-core finds no WCAG 2.2 A/AA violation in any language, light and dark;
//   - Urdu pages are laid out right to left: the theme's logical CSS
//     properties mirror (checked through computed styles);
//   - the language switcher works with the keyboard alone;
//   - each language's search page searches that language's pages;
//   - a worksheet's red-amber-green scale is in Welsh on the Welsh page, and
//     answers exported from the English page import there.
//
//   node --test tests/browser/translations.test.mjs   (after `cargo build --release`)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer } from './lib/server.mjs';
import { REPO, buildSite, cleanupTempDirs, readSitemap, toServerUrl } from './lib/site.mjs';
import { AXE_SOURCE, AXE_TAGS, expectNone, launchBrowser, newContext } from './lib/browser.mjs';

const ROOT = path.join(REPO, 'tests', 'fixtures', 'translations');

describe('a site in English, Welsh and Urdu', { timeout: 10 * 60_000 }, () => {
  let server;
  let chrome;
  let pages = [];

  before(async () => {
    server = await startServer({ prefix: '/' });
    const dir = buildSite(server.base, 'translations', { root: ROOT });
    server.setRoot(dir);
    for (const lang of ['', 'cy/', 'ur/']) {
      pages.push(...readSitemap(path.join(dir, lang), server.base + lang).map((loc) => toServerUrl(loc, server)));
    }
    chrome = await launchBrowser();
  });

  after(async () => {
    await chrome?.close();
    await server?.close();
    cleanupTempDirs();
  });

  test('the sitemaps list pages in all three languages', () => {
    for (const want of ['', 'cy/', 'ur/', 'cy/principles/trust/', 'ur/case-studies/library/', 'ur/principles/trust/']) {
      assert.ok(pages.includes(server.base + want), `no ${want} in:\n${pages.join('\n')}`);
    }
  });

  for (const scheme of ['light', 'dark']) {
    test(`axe-core finds no violations in any language (${scheme})`, async () => {
      const context = await newContext(chrome.browser, scheme);
      const problems = [];
      try {
        const page = await context.newPage();
        for (const url of pages) {
          const res = await page.goto(url);
          assert.equal(res.status(), 200, url);
          await page.addScriptTag({ content: AXE_SOURCE });
          const violations = await page.evaluate(async (tags) => {
            // eslint-disable-next-line no-undef
            const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
            return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.html).join(' | ')})`);
          }, AXE_TAGS);
          for (const v of violations) problems.push(`  ${url}: ${v}`);
        }
      } finally {
        await context.close();
      }
      expectNone(problems, `axe-core violations (${scheme})`);
    });
  }

  test('Urdu pages mirror: logical properties put start on the right', async () => {
    const context = await newContext(chrome.browser, 'light');
    try {
      const page = await context.newPage();
      const look = async (url) => {
        await page.goto(url);
        return page.evaluate(() => {
          const notice = getComputedStyle(document.querySelector('.untranslated'));
          const notes = document.querySelector('.untranslated').getBoundingClientRect();
          const main = document.querySelector('main').getBoundingClientRect();
          const skip = getComputedStyle(document.querySelector('.skip-link'));
          return {
            dir: getComputedStyle(document.documentElement).direction,
            borderLeft: notice.borderLeftWidth,
            borderRight: notice.borderRightWidth,
            paddingLeft: notice.paddingLeft,
            paddingRight: notice.paddingRight,
            skipLeft: skip.left,
            skipRight: skip.right,
            // The notice's text starts at the inline start of <main>.
            startGap: Math.round(document.documentElement.dir === 'rtl' ? main.right - notes.right : notes.left - main.left),
            contentDir: getComputedStyle(document.querySelector('main > div[lang]')).direction,
          };
        });
      };
      const ur = await look(`${server.base}ur/principles/trust/`);
      const cy = await look(`${server.base}cy/about/`);
      assert.equal(ur.dir, 'rtl');
      assert.equal(cy.dir, 'ltr');
      assert.deepEqual([ur.borderRight, ur.borderLeft], ['5px', '0px'], JSON.stringify(ur));
      assert.deepEqual([cy.borderLeft, cy.borderRight], ['5px', '0px'], JSON.stringify(cy));
      assert.deepEqual([ur.paddingRight, ur.paddingLeft], [cy.paddingLeft, cy.paddingRight]);
      assert.equal(ur.skipRight, cy.skipLeft);
      assert.equal(ur.startGap, cy.startGap);
      // The English text shown untranslated on an Urdu page runs left to right.
      assert.equal(ur.contentDir, 'ltr');
    } finally {
      await context.close();
    }
  });

  test('the language switcher works with the keyboard alone', async () => {
    const context = await newContext(chrome.browser, 'light');
    try {
      const page = await context.newPage();
      await page.goto(`${server.base}cy/principles/trust/`);
      let focused = null;
      for (let i = 0; i < 30 && focused !== 'English'; i++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() =>
          document.activeElement?.closest('.language-switcher') ? document.activeElement.textContent.trim() : null,
        );
      }
      assert.equal(focused, 'English', 'Tab never reached the switcher\'s "English" link');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      assert.equal(new URL(page.url()).pathname, '/principles/trust/');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      assert.equal(await page.$eval('h1', (h) => h.textContent), 'Trust');
    } finally {
      await context.close();
    }
  });

  test('the Welsh search page speaks Welsh: filters, result kinds and the script\'s messages with Welsh plurals', async () => {
    const context = await newContext(chrome.browser, 'light');
    try {
      const page = await context.newPage();
      const status = () => page.$eval('#search-status', (el) => el.textContent.trim());
      await page.goto(`${server.base}cy/search/?q=ymddiriedaeth`);
      await page.waitForFunction(() => document.querySelectorAll('#search-results-list li').length > 0, null, { timeout: 15_000 });
      // The filters, shown once the script runs, are in Welsh (strings/cy.toml).
      assert.equal(await page.$eval('label[for="search-filter-kind"]', (l) => l.textContent), 'Math o dudalen');
      const options = await page.$$eval('#search-filter-kind option', (os) => os.map((o) => o.textContent));
      assert.deepEqual(options.slice(0, 2), ['Pob math', 'Egwyddor'], options.join(', '));
      // A result names its kind in Welsh.
      const kinds = await page.$$eval('.search-result-kind', (ps) => ps.map((p) => p.textContent));
      assert.ok(kinds.includes('Egwyddor'), kinds.join(', '));
      // "N pages match": the form Welsh gives N (one, two, few, many or other).
      const n = await page.$$eval('#search-results-list li', (lis) => lis.length);
      const form = new Intl.PluralRules('cy').select(n);
      const want = {
        one: `Mae ${n} dudalen yn cyfateb i “ymddiriedaeth”.`,
        two: `Mae ${n} dudalen yn cyfateb i “ymddiriedaeth”.`,
        few: `Mae ${n} tudalen yn cyfateb i “ymddiriedaeth”.`,
        many: `Mae ${n} thudalen yn cyfateb i “ymddiriedaeth”.`,
      }[form] ?? `Mae ${n} tudalen yn cyfateb i “ymddiriedaeth”.`;
      assert.equal(await status(), want);
      // No match, in Welsh.
      await page.fill('#search-q', 'qqqxyz');
      await page.waitForFunction(() => /^Does dim/.test(document.getElementById('search-status').textContent), null, { timeout: 15_000 });
      assert.equal(
        await status(),
        'Does dim tudalen yn cyfateb i “qqqxyz”. Rhowch gynnig ar eiriau eraill, neu porwch bob tudalen o A i Z isod.',
      );
      // The plural forms themselves: Welsh has six, chosen per count.
      assert.deepEqual([0, 1, 2, 3, 6, 7].map((c) => new Intl.PluralRules('cy').select(c)), ['zero', 'one', 'two', 'few', 'many', 'other']);
    } finally {
      await context.close();
    }
  });

  for (const [lang, query, want, not] of [
    ['cy', 'ymddiriedaeth', 'cy/principles/trust/', 'principles/trust/'],
    ['ur', 'لائبریری', 'ur/case-studies/library/', 'case-studies/library/'],
    ['', 'promises', 'principles/trust/', 'cy/principles/trust/'],
  ]) {
    test(`the ${lang || 'en'} search page searches ${lang || 'en'} pages`, async () => {
      const context = await newContext(chrome.browser, 'light');
      try {
        const page = await context.newPage();
        await page.goto(`${server.base}${lang ? lang + '/' : ''}search/?q=${encodeURIComponent(query)}`);
        await page.waitForFunction(
          () => (document.getElementById('search-status')?.textContent ?? '') !== '',
          null,
          { timeout: 15_000 },
        );
        const hrefs = await page.$$eval('#search-results-list a', (as) => as.map((a) => new URL(a.href).pathname));
        assert.ok(hrefs.includes('/' + want), `${query}: ${hrefs.join(', ')}`);
        assert.ok(hrefs.every((h) => h.startsWith('/' + (lang ? lang + '/' : ''))), `${query}: ${hrefs.join(', ')}`);
        assert.ok(!hrefs.includes('/' + not) || not.startsWith(lang), `${query}: ${hrefs.join(', ')}`);
      } finally {
        await context.close();
      }
    });
  }
});

// A worksheet on the red-amber-green scale in a copy of the fixture: the
// Welsh page names the scale in Welsh (strings/cy.toml), and a file of
// answers exported from the English page imports on the Welsh one, each
// rating at its place on the scale.
describe('a worksheet in Welsh', { timeout: 5 * 60_000 }, () => {
  let server;
  let chrome;
  let tmp;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fairguide-welsh-tool-'));
    const root = path.join(tmp, 'site');
    fs.cpSync(ROOT, root, { recursive: true });
    fs.mkdirSync(path.join(root, 'content', 'tools'));
    fs.writeFileSync(
      path.join(root, 'content', 'tools', 'lights.md'),
      '---\ntitle: Traffic lights\nscale: red-amber-green\ngroups:\n  - title: Rooms\n    questions:\n      - Do we share the hall fairly?\n      - Do we share the keys?\n---\nRate each line.\n',
    );
    fs.appendFileSync(path.join(root, 'strings', 'cy.toml'), 'scale_red = "Coch"\nscale_amber = "Ambr"\nscale_green = "Gwyrdd"\n');
    server = await startServer({ prefix: '/' });
    server.setRoot(buildSite(server.base, 'welsh-tool', { root }));
    chrome = await launchBrowser();
  });

  after(async () => {
    await chrome?.close();
    await server?.close();
    cleanupTempDirs();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the scale is in Welsh, and English answers import at their place on it', async () => {
    const context = await newContext(chrome.browser, 'light');
    try {
      const page = await context.newPage();
      const choices = () => page.$$eval('.ws-question[data-id="1.1"] input[type="radio"]', (rs) => rs.map((r) => r.value));
      const checked = () => page.$$eval('.ws-question input:checked', (rs) => rs.map((r) => r.value));
      await page.goto(`${server.base}tools/lights/`);
      assert.deepEqual(await choices(), ['Red', 'Amber', 'Green']);
      await page.goto(`${server.base}cy/tools/lights/`);
      assert.deepEqual(await choices(), ['Coch', 'Ambr', 'Gwyrdd']);
      const labels = await page.$$eval('.ws-question[data-id="1.1"] label', (ls) => ls.map((l) => l.textContent.trim()));
      assert.deepEqual(labels.slice(-3), ['Coch', 'Ambr', 'Gwyrdd'], labels.join(', '));
      // Files as the English page exports them: the CSV's first line is the same in every language.
      const csv = path.join(tmp, 'lights-answers.csv');
      fs.writeFileSync(
        csv,
        'id,group,question,type,answer,rank,top\r\n1.1,Rooms,Do we share the hall fairly?,rating,Amber,1,2\r\n1.2,Rooms,Do we share the keys?,rating,Green,2,2\r\n',
      );
      await page.setInputFiles('#tool-import', csv);
      await page.waitForFunction(() => /Imported 2 answers/.test(document.querySelector('.tool-status')?.textContent ?? ''));
      assert.deepEqual(await checked(), ['Ambr', 'Gwyrdd']);
      const json = path.join(tmp, 'lights-answers.json');
      fs.writeFileSync(json, JSON.stringify({
        format: 'fairguide-worksheet', version: 1, tool: 'lights', title: 'Traffic lights',
        answers: [{ id: '1.1', group: 'Rooms', question: 'Do we share the hall fairly?', type: 'rating', answer: 'Red', rank: 0, top: 2 }],
      }));
      await page.setInputFiles('#tool-import', json);
      await page.waitForFunction(() => /Imported 1 answer /.test(document.querySelector('.tool-status')?.textContent ?? ''));
      assert.deepEqual(await checked(), ['Coch']);
      // A label the page does not know and a rank off the scale import nothing.
      fs.writeFileSync(csv, 'id,group,question,type,answer,rank,top\r\n1.1,Rooms,x,rating,Purple,7,2\r\n');
      await page.setInputFiles('#tool-import', csv);
      await page.waitForFunction(() => /Imported 0 answers/.test(document.querySelector('.tool-status')?.textContent ?? ''));
      assert.deepEqual(await checked(), []);
      await page.addScriptTag({ content: AXE_SOURCE });
      const violations = await page.evaluate(async (tags) => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id}: ${v.help}`);
      }, AXE_TAGS);
      expectNone(violations, 'axe-core violations on the Welsh worksheet');
    } finally {
      await context.close();
    }
  });
});
