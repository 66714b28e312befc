// The bundled partnership health check (content/tools/), in a real headless
// Chromium, against the bundled site built by the release binary:
//
//   - keyboard alone: Tab through the page fills every question in document
//     order (Space and the arrow keys for choices, typing for text), then
//     Shift+Tab back to "Show summary" and Enter shows the summary, focused;
//   - the summary counts the answers and puts the lowest-rated group first,
//     with links to its principle and recommendations;
//   - export to JSON and CSV, "Clear my answers", import the JSON again,
//     and compare two files: the question whose ratings differ most first;
//   - answers live in localStorage only, and nothing is requested from any
//     other host;
//   - axe-core finds no violation in each state, light and dark, at 320 px,
//     and the page does not scroll sideways at 320 px;
//   - with JavaScript off the page is the complete worksheet, without buttons;
//   - emulated print media shows every question and no controls.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer } from './lib/server.mjs';
import { buildSite, cleanupTempDirs } from './lib/site.mjs';
import { AXE_SOURCE, AXE_TAGS, NARROW, expectNone, isLoopback, launchBrowser, newContext } from './lib/browser.mjs';

const TOOL = 'tools/partnership-health-check/';
const QUESTIONS = 13;

async function axeViolations(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map(
      (v) => `  ${v.id} (${v.impact}): ${v.help}\n` + v.nodes.map((n) => `    - ${n.target.join(' ')}: ${n.html.slice(0, 160)}`).join('\n'),
    );
  }, AXE_TAGS);
}

/** axe-core in light and dark, wide and at 320 px; and no sideways scrolling at 320 px. */
async function checkEveryWay(page, state) {
  const size = page.viewportSize();
  for (const scheme of ['light', 'dark']) {
    for (const viewport of [size, NARROW]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(viewport);
      expectNone(await axeViolations(page), `axe-core violations ${state} (${scheme}, ${viewport.width} px)`);
      if (viewport.width === NARROW.width) {
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= NARROW.width, `${state}: the page is ${wide} px wide at 320 px`);
      }
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(size);
}

/** Which question (data-id) or control the focus is on. */
function focused(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    const q = a && a.closest('.ws-question');
    return {
      question: q ? q.getAttribute('data-id') : null,
      tag: a ? a.tagName : null,
      type: a ? a.getAttribute('type') : null,
      text: a ? a.textContent.trim() : '',
      checked: !!(a && a.checked),
    };
  });
}

function answered(page) {
  return page.$$eval('.ws-question', (qs) =>
    qs.map((q) => {
      const r = q.querySelector('input:checked');
      const t = q.querySelector('textarea');
      return { id: q.getAttribute('data-id'), answer: r ? r.value : t ? t.value : '' };
    }),
  );
}

describe('the partnership health check', { timeout: 10 * 60_000 }, () => {
  let server;
  let chrome;
  let url;
  let setupError = null;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fairguide-tools-'));

  before(async () => {
    try {
      server = await startServer({ prefix: '/' });
      const dir = buildSite(server.base, 'tools');
      server.setRoot(dir);
      url = server.base + TOOL;
      chrome = await launchBrowser();
    } catch (e) {
      setupError = e;
    }
  });

  after(async () => {
    await chrome?.close();
    await server?.close();
    cleanupTempDirs();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('filled by keyboard, summarised, exported, cleared, imported and compared', async () => {
    if (setupError) throw setupError;
    const context = await newContext(chrome.browser, 'light');
    const page = await context.newPage();
    const requests = [];
    const errors = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(String(e?.message ?? e)));
    page.on('dialog', (d) => d.accept());
    try {
      await page.goto(url);
      assert.match(await page.textContent('#tool-kept'), /kept only in this browser/);
      await checkEveryWay(page, 'before filling in');

      // Keyboard alone, from the top of the page.
      const order = [];
      let sawSummaryButton = false;
      for (let n = 0; n < 300; n++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        if (f.tag === 'BUTTON' && f.text === 'Show summary') sawSummaryButton = true;
        if (!f.question) {
          if (order.length === QUESTIONS) break;
          continue;
        }
        if (order.includes(f.question)) continue;
        order.push(f.question);
        if (f.tag === 'TEXTAREA') {
          await page.keyboard.type('Agree who chairs the next meeting.');
        } else if (f.question === '3.1') {
          await page.keyboard.press('Space'); // the first choice: Red
        } else {
          await page.keyboard.press('ArrowRight'); // the second: Amber, or No
        }
      }
      assert.ok(sawSummaryButton, 'the "Show summary" button is in the tab order');
      const ids = await page.$$eval('.ws-question', (qs) => qs.map((q) => q.getAttribute('data-id')));
      assert.deepEqual(order, ids, 'focus visits the questions in document order');
      const filled = await answered(page);
      assert.deepEqual(filled.filter((a) => !a.answer), [], 'every question answered');
      assert.equal(filled.find((a) => a.id === '3.1').answer, 'Red');
      assert.equal(filled.find((a) => a.id === '1.1').answer, 'Amber');
      assert.equal(filled.find((a) => a.id === '1.2').answer, 'No');

      // Back to "Show summary" with Shift+Tab, and Enter.
      for (let n = 0; n < 300; n++) {
        await page.keyboard.press('Shift+Tab');
        const f = await focused(page);
        if (f.tag === 'BUTTON' && f.text === 'Show summary') break;
      }
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'tool-results-heading');
      const summary = await page.textContent('#tool-results');
      assert.match(summary, new RegExp(`You have answered ${QUESTIONS} of ${QUESTIONS} questions`));
      const first = await page.$eval('.tool-priority > li', (li) => ({
        text: li.querySelector('strong').textContent,
        links: [...li.querySelectorAll('a')].map((a) => a.getAttribute('href')),
      }));
      assert.equal(first.text, '3. Accountability to each other');
      assert.deepEqual(first.links, ['/principles/accountability/']);
      const second = await page.$eval('.tool-priority > li:nth-child(2)', (li) => [...li.querySelectorAll('a')].map((a) => a.getAttribute('href')));
      assert.ok(second.some((h) => h.startsWith('/recommendations/')), `${second}`);
      await checkEveryWay(page, 'with the summary shown');

      // Kept in this browser: a reload brings the answers back.
      const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fairguide-tool:')));
      assert.equal(stored.length, 1);
      await page.reload();
      assert.deepEqual(await answered(page), filled);

      // Export.
      const save = async (label) => {
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()]);
        const to = path.join(tmp, download.suggestedFilename());
        await download.saveAs(to);
        return to;
      };
      const jsonFile = await save('Export as JSON');
      const csvFile = await save('Export as CSV');
      assert.equal(path.basename(jsonFile), 'partnership-health-check-answers.json');
      const exported = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
      assert.equal(exported.tool, 'partnership-health-check');
      assert.equal(exported.answers.length, QUESTIONS);
      assert.deepEqual(exported.answers.find((a) => a.id === '3.1'), {
        id: '3.1', group: 'Accountability to each other', question: 'Do partners report to each other on what they said they would do?',
        type: 'rating', answer: 'Red', rank: 0, top: 2,
      });
      const csv = fs.readFileSync(csvFile, 'utf8').trim().split(/\r\n/);
      assert.equal(csv[0], 'id,group,question,type,answer,rank,top');
      assert.equal(csv.length, QUESTIONS + 1);

      // Clear.
      await page.getByRole('button', { name: 'Clear my answers' }).click();
      assert.deepEqual((await answered(page)).filter((a) => a.answer), []);
      assert.match(await page.textContent('.tool-status'), /cleared/);
      await page.reload();
      assert.deepEqual((await answered(page)).filter((a) => a.answer), [], 'cleared answers stay cleared');
      await checkEveryWay(page, 'after clearing');

      // Import the JSON, then the CSV: every answer back, and kept.
      await page.setInputFiles('#tool-import', jsonFile);
      await page.waitForFunction(() => /Imported/.test(document.querySelector('.tool-status').textContent));
      assert.deepEqual(await answered(page), filled);
      await page.getByRole('button', { name: 'Clear my answers' }).click();
      await page.setInputFiles('#tool-import', csvFile);
      await page.waitForFunction(() => /Imported 13 answers/.test(document.querySelector('.tool-status').textContent));
      assert.deepEqual(await answered(page), filled);
      await page.reload();
      assert.deepEqual(await answered(page), filled);

      // A second partner's file: 3.1 two steps apart, 5.1 one step apart.
      const other = JSON.parse(JSON.stringify(exported));
      for (const a of other.answers) {
        if (a.id === '3.1') Object.assign(a, { answer: 'Green', rank: 2 });
        if (a.id === '5.1') Object.assign(a, { answer: 'Green', rank: 2 });
      }
      const otherFile = path.join(tmp, 'partner-b.json');
      fs.writeFileSync(otherFile, JSON.stringify(other));
      await page.setInputFiles('#tool-compare', [jsonFile, otherFile]);
      await page.waitForSelector('#tool-results table');
      const rowsShown = await page.$$eval('#tool-results tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      assert.equal(rowsShown.length, QUESTIONS);
      assert.deepEqual(rowsShown[0], ['3.1 Do partners report to each other on what they said they would do?', 'Red', 'Green', '2 steps apart']);
      assert.equal(rowsShown[1][0].split(' ')[0], '5.1');
      assert.equal(rowsShown[1][3], '1 step apart');
      const headers = await page.$$eval('#tool-results thead th', (ths) => ths.map((t) => t.textContent));
      assert.deepEqual(headers, ['Question', 'partnership-health-check-answers.json', 'partner-b.json', 'Difference']);
      assert.deepEqual(await answered(page), filled, 'comparing leaves your own answers as they were');
      await checkEveryWay(page, 'comparing two files');

      // Print: every question, no controls.
      await page.emulateMedia({ media: 'print' });
      const print = await page.evaluate(() => {
        const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
        return {
          questions: [...document.querySelectorAll('.ws-question')].filter(shown).length,
          buttons: [...document.querySelectorAll('button, input[type="file"]')].filter(shown).map((b) => b.outerHTML.slice(0, 80)),
          written: [...document.querySelectorAll('.ws-print-answer')].filter(shown).map((d) => d.textContent),
        };
      });
      assert.equal(print.questions, QUESTIONS);
      assert.deepEqual(print.buttons, []);
      assert.deepEqual(print.written, ['Agree who chairs the next meeting.']);

      expectNone(errors, 'script errors');
      expectNone(requests.filter((u) => !isLoopback(u)), 'requests to other hosts');
    } finally {
      await context.close();
    }
  });

  test('without JavaScript the page is the complete worksheet, and prints as one', async () => {
    if (setupError) throw setupError;
    const context = await chrome.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(url);
      const sheet = await page.evaluate(() => ({
        questions: document.querySelectorAll('.ws-question').length,
        groups: [...document.querySelectorAll('fieldset.ws-group > legend')].length,
        unlabelled: [...document.querySelectorAll('.worksheet input, .worksheet textarea')].filter((c) => !c.labels || !c.labels.length).length,
        buttons: document.querySelectorAll('main button').length,
        bar: document.getElementById('tool-bar').getClientRects().length,
      }));
      assert.deepEqual(sheet, { questions: QUESTIONS, groups: 11, unlabelled: 0, buttons: 0, bar: 0 });
      // Choices still work, with targets of at least 24 by 24 px.
      await page.check('input[name="q-1-1"][value="Green"]');
      const small = await page.$$eval('.ws-option', (ls) => ls.map((l) => l.getBoundingClientRect()).filter((r) => r.width < 24 || r.height < 24).length);
      assert.equal(small, 0);
      await page.emulateMedia({ media: 'print' });
      const shown = await page.$$eval('.ws-question', (qs) => qs.filter((q) => q.getClientRects().length).length);
      assert.equal(shown, QUESTIONS);
      const textBox = await page.$eval('textarea', (t) => t.getBoundingClientRect().height);
      assert.ok(textBox >= 90, `a written answer has room on paper (${textBox} px)`);
    } finally {
      await context.close();
    }
  });
});
