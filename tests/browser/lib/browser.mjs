// Debian's Chromium driven by playwright-core, and the per-page checks.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const AXE_SOURCE = require('axe-core').source;
export const AXE_VERSION = require('axe-core/package.json').version;

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const POOL = Math.max(1, Number(process.env.FAIRGUIDE_BROWSER_POOL ?? 2));
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const DESKTOP = { width: 1280, height: 800 };
export const NARROW = { width: 320, height: 640 };

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launch Chromium. playwright-core's launch() always starts it with a new,
 * empty temporary --user-data-dir of its own (and refuses one passed in
 * args), which it deletes again on close.
 */
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: run scripts/install-test-deps.sh (or set CHROMIUM_PATH)`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    timeout: 60_000,
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
    },
  };
}

/** Run `fn(item, worker)` over `items` with at most `n` at once; results in input order. */
export async function mapPool(items, n, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async (w) => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], w);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, (_, w) => worker(w)));
  return results;
}

export function isLoopback(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return true;
  }
  if (!['http:', 'https:', 'ws:', 'wss:', 'ftp:'].includes(u.protocol)) return true; // data:, blob:, about:
  return u.hostname === '127.0.0.1';
}

/**
 * A browser context with the given colour scheme, in which every request to a
 * host other than 127.0.0.1 is aborted (and recorded by the page checks).
 */
export async function newContext(browser, colorScheme) {
  const context = await browser.newContext({
    colorScheme,
    viewport: DESKTOP,
    reducedMotion: 'reduce',
    serviceWorkers: 'block',
  });
  await context.route((url) => !isLoopback(url.href), (route) => route.abort('blockedbyclient'));
  return context;
}

/**
 * A page that is reused for one visit after another (opening a new page for
 * every URL costs more than the visit). Its listeners record into whichever
 * result object is current.
 */
async function openRecordingPage(context) {
  const page = await context.newPage();
  const rec = { page, out: null };
  const isDocument = (req) => req.isNavigationRequest() && req.frame() === page.mainFrame();
  page.on('request', (r) => {
    if (!rec.out) return;
    rec.out.requests.push(r.url());
    if (!isLoopback(r.url())) rec.out.external.push(r.url());
  });
  page.on('websocket', (ws) => {
    if (!rec.out) return;
    rec.out.requests.push(ws.url());
    if (!isLoopback(ws.url())) rec.out.external.push(ws.url());
  });
  page.on('response', (r) => {
    if (rec.out && r.status() >= 400 && !isDocument(r.request())) rec.out.failed.push(`${r.status()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    // (a 404 stylesheet also "fails" as aborted: report it once, by its status)
    if (rec.out && isLoopback(r.url()) && !isDocument(r) && !rec.out.failed.some((f) => f.endsWith(' ' + r.url()))) {
      rec.out.failed.push(`${r.failure()?.errorText ?? 'failed'} ${r.url()}`);
    }
  });
  page.on('pageerror', (e) => rec.out?.jsErrors.push(String(e?.message ?? e)));
  return rec;
}

/**
 * Visit every URL in `context`, POOL at a time, each with `inspect` below;
 * results in input order.
 */
export async function inspectAll(context, urls, opts) {
  const workers = [];
  try {
    return await mapPool(urls, POOL, async (url, w) => {
      workers[w] ??= await openRecordingPage(context);
      const out = await inspect(workers[w], url, opts);
      if (out.error) {
        // Start the next visit on a clean page.
        await workers[w].page.close().catch(() => {});
        workers[w] = null;
      }
      return out;
    });
  } finally {
    await Promise.all(workers.map((rec) => rec?.page.close().catch(() => {})));
  }
}

/**
 * Open `url` and collect what the checks need.
 * opts.axe: run axe-core; opts.structure: skip link / main / lang / reflow;
 * opts.links: every href/src/action/srcset (resolved) on the page.
 */
async function inspect(rec, url, { axe = true, structure = true, links = false } = {}) {
  const { page } = rec;
  const out = {
    url,
    status: null,
    requests: [], // every URL the page asked for
    external: [], // requests to other hosts
    failed: [], // same-host responses >= 400 (other than the document)
    jsErrors: [],
    violations: [],
    incomplete: 0,
    passes: 0,
    error: null,
  };
  rec.out = out;
  try {
    const resp = await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    out.status = resp?.status() ?? null;

    if (structure) {
      // Keyboard: the first Tab from the top of the page must land on a skip link.
      await page.keyboard.press('Tab');
      out.structure = await page.evaluate(() => {
        const a = document.activeElement;
        const href = a?.getAttribute?.('href') ?? null;
        let target = null;
        if (href && href.startsWith('#') && href.length > 1) {
          let id = href.slice(1);
          try {
            id = decodeURIComponent(id);
          } catch {}
          target = document.getElementById(id);
        }
        const describe = (el) =>
          !el || el === document.body
            ? '(nothing: focus stayed on the document)'
            : el.outerHTML.replace(/\s+/g, ' ').slice(0, 160);
        return {
          mains: document.querySelectorAll('main:not([hidden]), [role="main"]:not([hidden])').length,
          h1s: [...document.querySelectorAll('h1')].map((h) => h.outerHTML.replace(/\s+/g, ' ').slice(0, 120)),
          duplicateIds: (() => {
            const count = new Map();
            for (const el of document.querySelectorAll('[id]')) count.set(el.id, (count.get(el.id) ?? 0) + 1);
            return [...count].filter(([, n]) => n > 1).map(([id, n]) => `${id} (${n} times)`);
          })(),
          lang: document.documentElement.getAttribute('lang'),
          firstFocus: describe(a),
          firstFocusIsLink: a?.tagName === 'A',
          skipHref: href,
          skipText: (a?.textContent ?? '').trim(),
          skipTarget: target ? target.tagName.toLowerCase() + (target.id ? '#' + target.id : '') : null,
        };
      });
      await page.evaluate(() => document.activeElement?.blur?.());
    }

    if (axe) {
      await page.addScriptTag({ content: AXE_SOURCE });
      const res = await page.evaluate(async (tags) => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, {
          runOnly: { type: 'tag', values: tags },
          resultTypes: ['violations'],
        });
        return {
          violations: r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({
              target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)),
              html: n.html,
              failureSummary: n.failureSummary,
            })),
          })),
          incomplete: r.incomplete.length,
          passes: r.passes.length,
        };
      }, AXE_TAGS);
      Object.assign(out, res);
    }

    if (structure) {
      await page.setViewportSize(NARROW);
      out.reflow = await page.evaluate(
        () =>
          new Promise((resolve) =>
            requestAnimationFrame(() =>
              requestAnimationFrame(() => {
                const de = document.documentElement;
                // The widest elements sticking out past the right edge, to name the culprit.
                const wide = [];
                for (const el of document.body.querySelectorAll('*')) {
                  const r = el.getBoundingClientRect();
                  if (r.right > de.clientWidth + 1 && r.width > 0 && r.height > 0) {
                    wide.push({ right: Math.round(r.right), el });
                  }
                }
                wide.sort((a, b) => b.right - a.right);
                const name = (el) => {
                  let s = el.tagName.toLowerCase();
                  if (el.id) s += '#' + el.id;
                  if (el.classList.length) s += '.' + [...el.classList].join('.');
                  return s;
                };
                // keep the outermost offenders only
                const culprits = wide
                  .filter((w) => !wide.some((o) => o !== w && o.el.contains(w.el)))
                  .slice(0, 5)
                  .map((w) => `${name(w.el)} (right edge ${w.right}px)`);
                resolve({ scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, culprits });
              }),
            ),
          ),
      );
      await page.setViewportSize(DESKTOP);
    }

    if (links) {
      out.links = await page.evaluate(() => {
        const found = [];
        const add = (el, attr, value) => {
          if (value == null || value.trim() === '') return;
          let abs;
          try {
            abs = new URL(value.trim(), document.baseURI).href;
          } catch {
            abs = value;
          }
          found.push({ tag: el.tagName.toLowerCase(), attr, value, url: abs });
        };
        for (const el of document.querySelectorAll('[href]')) add(el, 'href', el.getAttribute('href'));
        for (const el of document.querySelectorAll('[src]')) add(el, 'src', el.getAttribute('src'));
        for (const el of document.querySelectorAll('form[action]')) add(el, 'action', el.getAttribute('action'));
        for (const el of document.querySelectorAll('[poster]')) add(el, 'poster', el.getAttribute('poster'));
        for (const el of document.querySelectorAll('[srcset]')) {
          for (const part of el.getAttribute('srcset').split(',')) {
            add(el, 'srcset', part.trim().split(/\s+/)[0]);
          }
        }
        return found;
      });
    }
  } catch (e) {
    out.error = String(e?.message ?? e).split('\n')[0];
  } finally {
    rec.out = null;
  }
  return out;
}

/** Human-readable list of axe violations across pages. */
export function formatViolations(results, scheme) {
  const lines = [];
  for (const r of results) {
    for (const v of r.violations) {
      lines.push(`${r.url} [${scheme}]`);
      lines.push(`  ${v.id} (${v.impact ?? 'n/a'}): ${v.help}  ${v.helpUrl}`);
      for (const n of v.nodes) {
        lines.push(`    - ${n.target.join(', ')}`);
        lines.push(`      ${n.html.replace(/\s+/g, ' ').slice(0, 200)}`);
        for (const l of (n.failureSummary ?? '').split('\n')) if (l.trim()) lines.push(`      ${l.trim()}`);
      }
    }
  }
  return lines.join('\n');
}

/** Fail with a heading and one problem a line, if there are any problems. */
export function expectNone(problems, heading) {
  const list = [...new Set(problems)];
  if (list.length) {
    const err = new Error(`${heading} (${list.length}):\n${list.join('\n')}`);
    err.stack = err.message; // the list is the useful part; skip the harness's stack
    throw err;
  }
}
