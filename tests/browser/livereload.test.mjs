// `fairguide serve` in a real browser: a saved edit reloads the open page that
// shows it, and only that page; a broken save puts the error overlay on every
// open page, and fixing it takes the overlay away.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import { BIN, REPO } from './lib/site.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';

/** Saves the way many editors do: a temporary file beside it, renamed over it. */
function save(file, text) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Starts `fairguide serve` on `root` and resolves to the URL it prints. */
function serve(root) {
  const child = spawn(BIN, ['serve', '--root', root, '--port', '0'], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fairguide serve printed no URL within 30 s')), 30_000);
    child.on('error', reject);
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const url = line.split(/\s+/)[1];
      if (!url?.startsWith('http://')) reject(new Error(`no URL in ${JSON.stringify(line)}`));
      else resolve({ child, url });
    });
  });
}

describe('live reload while serving', { timeout: 120_000 }, () => {
  let dir;
  let server;
  let chrome;
  let context;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairguide-livereload-'));
    fs.cpSync(path.join(REPO, 'tests', 'fixtures', 'every-kind'), dir, { recursive: true });
    server = await serve(dir);
    chrome = await launchBrowser();
    context = await newContext(chrome.browser, 'light');
  });

  after(async () => {
    await context?.close();
    await chrome?.close();
    server?.child.kill();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Opens `rel` and marks the window, so that a reload (which clears the mark) shows. */
  async function open(rel) {
    const page = await context.newPage();
    await page.goto(new URL(rel, server.url).href);
    // The page subscribes to reload events once its script has run.
    await page.waitForFunction(() => document.readyState === 'complete');
    await page.evaluate(() => {
      window.fairguideMark = true;
    });
    await page.waitForTimeout(200);
    return page;
  }

  const marked = (page) => page.evaluate(() => window.fairguideMark === true);

  test('an edit reloads the page that shows it and leaves the others alone', async () => {
    const camden = await open('case-studies/camden/');
    const about = await open('about/');
    const file = path.join(dir, 'content', 'case-studies', 'camden.md');
    save(file, fs.readFileSync(file, 'utf8').replace('Raw HTML must not run', 'Raw HTML may never run'));
    await camden.waitForFunction(() => document.body.innerText.includes('Raw HTML may never run'), null, {
      timeout: 5_000,
    });
    assert.equal(await marked(camden), false, 'the edited page reloaded');
    await about.waitForTimeout(500);
    assert.equal(await marked(about), true, 'a page that does not show the edit did not reload');
    await camden.close();
    await about.close();
  });

  test('a broken save shows the overlay on every open page, and fixing it removes it', async () => {
    const about = await open('about/');
    const home = await open('');
    const file = path.join(dir, 'content', 'about.md');
    const good = fs.readFileSync(file, 'utf8');
    save(file, '---\ntitle: "unterminated\n---\nBroken\n');
    for (const page of [about, home]) {
      await page.waitForSelector('#fairguide-errors[role="alert"]', { timeout: 5_000 });
      assert.match(await page.locator('#fairguide-errors').innerText(), /content\/about\.md:2/);
    }
    save(file, good);
    for (const page of [about, home]) {
      await page.waitForFunction(() => !document.getElementById('fairguide-errors'), null, { timeout: 5_000 });
    }
    await about.close();
    await home.close();
  });
});
