// Conformance of every page the generator writes, checked by the W3C Nu Html
// Checker (npm vnu-jar, the checker behind validator.w3.org/nu, run on the
// local Java runtime): the bundled guide (with its print page, accessibility
// statement, tools, search and 404 pages), its --offline copy, and every
// fixture site under tests/fixtures/ that builds. Every .html file of every
// build, and the stylesheets, go to ONE run of the checker (one JVM start
// for everything). Any error or warning fails the site's test, naming the
// page, line and column and the checker's message. The Atom feed and the
// sitemap of each build must be well-formed XML (xmllint) in their own
// namespaces.
//
//   node --test tests/browser/html.test.mjs   (after `cargo build --release`)
//
// Needs java (17 or later) and xmllint on the PATH, and tests/browser/
// node_modules: scripts/install-test-deps.sh installs all three.
// See lib/site.mjs for the environment variables.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

import { REPO, buildSite, cleanupTempDirs } from './lib/site.mjs';

const require = createRequire(import.meta.url);
const VNU_JAR = String(require('vnu-jar'));
const VNU_VERSION = require('vnu-jar/package.json').version;
const FIXTURES = path.join(REPO, 'tests', 'fixtures');
const BASE = 'https://example.org/guide/';

// Fixtures written to fail the build (their tests assert the errors): there is
// no site to check. Any other fixture must build, so a new one is checked
// without being listed here.
const FAILING_FIXTURES = new Set([
  'citation-errors',
  'collections-config-errors',
  'collections-errors',
  'collections-not-list',
  'three-errors',
  'tools-errors',
]);

// Pages each build must have written, so that a page moving or disappearing
// cannot make this test pass by checking less.
const BUNDLED_PAGES = [
  'index.html',
  '404.html',
  'search/index.html',
  'print/index.html',
  'accessibility/index.html',
  'glossary/index.html',
  'code-of-conduct/index.html',
];

/** The sites to build: [name, build options, pages that must exist]. */
function sites() {
  const list = [
    ['the bundled guide', {}, [...BUNDLED_PAGES, 'tools/']],
    ['the bundled guide, --offline', { extra: ['--offline'] }, [...BUNDLED_PAGES, 'tools/']],
  ];
  for (const name of fs.readdirSync(FIXTURES).sort()) {
    const root = path.join(FIXTURES, name);
    if (FAILING_FIXTURES.has(name) || !fs.existsSync(path.join(root, 'site.toml'))) continue;
    const must = ['index.html', '404.html', 'search/index.html'];
    if (name === 'every-kind') must.push('print/index.html', 'accessibility/index.html', 'tools/');
    list.push([`tests/fixtures/${name}`, { root }, must]);
  }
  return list;
}

/** Every file under `dir` whose name ends with one of `exts`, sorted. */
function filesUnder(dir, exts) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (exts.some((x) => e.name.endsWith(x))) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Which checker messages fail a page. Errors are conformance errors;
 * warnings ("info" with subType "warning") are the checker's "should"s, and
 * fail too. "non-document-error" means a file could not be read or checked.
 * Plain "info" messages are notes, not problems, and are not reported; the
 * only one the builds produce today is "Trailing slash on void elements has
 * no effect", for the `<img ... />` that pulldown-cmark writes for Markdown
 * images: the attributes are always quoted, so the slash is harmless.
 * Nothing is filtered by message text.
 */
function fails(m) {
  return m.type === 'error' || m.type === 'non-document-error' || (m.type === 'info' && m.subType === 'warning');
}

function formatMessage(m, dir) {
  const file = m.url ? path.relative(dir, decodeURIComponent(new URL(m.url).pathname)) : '(no file)';
  const where = m.lastLine ? `:${m.firstLine ?? m.lastLine}:${m.firstColumn ?? m.lastColumn}` : '';
  const kind = m.subType ?? m.type;
  const extract = m.extract ? `\n      …${m.extract.replace(/\s+/g, ' ').trim()}…` : '';
  return `  ${file}${where}: ${kind}: ${m.message}${extract}`;
}

/** Runs `java -jar vnu.jar` once over `files`; returns its messages. */
function runChecker(files) {
  const args = ['-jar', VNU_JAR, '--format', 'json', '--stdout', '--also-check-css', '--also-check-svg', ...files];
  const r = spawnSync('java', args, { encoding: 'utf8', maxBuffer: 256 << 20, timeout: 10 * 60_000 });
  if (r.error) throw new Error(`could not run java -jar ${VNU_JAR}: ${r.error.message} (scripts/install-test-deps.sh installs Java)`);
  // Exit status 1 means "messages were reported"; anything else is a crash.
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`the Nu Html Checker exited with ${r.status ?? r.signal}:\n${r.stderr}\n${r.stdout.slice(0, 4000)}`);
  }
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch (e) {
    throw new Error(`the Nu Html Checker's output is not JSON (${e.message}):\n${r.stdout.slice(0, 4000)}\n${r.stderr}`);
  }
  return report.messages;
}

describe(`HTML conformance (Nu Html Checker ${VNU_VERSION}) and well-formed feeds and sitemaps`, { timeout: 20 * 60_000 }, () => {
  const built = []; // { name, dir, must, error }
  let messages = [];
  let checkerError = null;
  let canaryDir;
  let checkerMs = 0;

  before(() => {
    for (const [name, opts, must] of sites()) {
      try {
        const label = name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');
        built.push({ name, dir: buildSite(BASE, label, opts), must, error: null });
      } catch (e) {
        built.push({ name, dir: null, must, error: e });
      }
    }
    // A page with known errors goes into the same run: the checker must
    // report it, or the run proves nothing.
    canaryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairguide-html-canary-'));
    fs.writeFileSync(
      path.join(canaryDir, 'canary.html'),
      '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Canary</title></head>\n' +
        '<body><main><p id="twice">One</p><p id="twice">Two<div>in a paragraph</div></p></main></body></html>\n',
    );
    const files = [path.join(canaryDir, 'canary.html')];
    for (const s of built) if (s.dir) files.push(...filesUnder(s.dir, ['.html', '.css', '.svg']));
    try {
      const started = Date.now();
      messages = runChecker(files);
      checkerMs = Date.now() - started;
      console.log(`Nu Html Checker ${VNU_VERSION}: ${files.length} files in one run, ${checkerMs} ms`);
    } catch (e) {
      checkerError = e;
    }
  });

  after(() => {
    if (canaryDir) fs.rmSync(canaryDir, { recursive: true, force: true });
    cleanupTempDirs();
  });

  /** The messages about files under `dir`. */
  function messagesFor(dir) {
    const prefix = dir + path.sep;
    return messages.filter((m) => m.url && decodeURIComponent(new URL(m.url).pathname).startsWith(prefix));
  }

  test('the checker runs and reports a page with known errors', () => {
    if (checkerError) throw checkerError;
    const found = messagesFor(canaryDir).filter(fails).map((m) => m.message);
    assert.ok(
      found.some((t) => /Duplicate ID/.test(t)),
      `the checker did not report the canary page's duplicate id; it said:\n${found.join('\n') || '(nothing)'}`,
    );
  });

  for (const [name] of sites()) {
    describe(name, () => {
      const site = () => {
        const s = built.find((b) => b.name === name);
        if (s.error) throw s.error;
        return s;
      };

      test('builds, with the pages this test expects', () => {
        const s = site();
        const missing = s.must.filter((p) => !fs.existsSync(path.join(s.dir, p)));
        assert.deepEqual(missing, [], `the build wrote none of: ${missing.join(', ')}`);
      });

      test('every HTML page (and stylesheet) passes the Nu Html Checker', () => {
        const s = site();
        if (checkerError) throw new Error(`the checker did not run: ${checkerError.message}`);
        const pages = filesUnder(s.dir, ['.html']);
        assert.ok(pages.length > 0, 'the build wrote no HTML pages');
        const bad = messagesFor(s.dir).filter(fails);
        const pagesWithProblems = new Set(bad.map((m) => m.url)).size;
        assert.equal(
          bad.length,
          0,
          `${bad.length} problem(s) on ${pagesWithProblems} of ${pages.length} pages:\n` +
            bad.map((m) => formatMessage(m, s.dir)).join('\n'),
        );
      });

      test('the Atom feed and the sitemap are well-formed XML in their namespaces', () => {
        const s = site();
        const xml = filesUnder(s.dir, ['.xml']);
        const names = xml.map((f) => path.relative(s.dir, f));
        for (const want of ['atom.xml', 'sitemap.xml']) {
          assert.ok(names.includes(want), `the build wrote no ${want} (it wrote: ${names.join(', ') || 'no XML'})`);
        }
        // One xmllint run for all of them; --nonet: never fetch a DTD.
        const r = spawnSync('xmllint', ['--noout', '--nonet', ...xml], { encoding: 'utf8' });
        if (r.error) throw new Error(`could not run xmllint: ${r.error.message} (scripts/install-test-deps.sh installs it)`);
        assert.equal(r.status, 0, `xmllint found XML that is not well-formed:\n${r.stderr}`);
        const root = (file) => {
          const text = fs.readFileSync(path.join(s.dir, file), 'utf8');
          const m = text.match(/<(?!\?|!)([A-Za-z][\w:.-]*)([^>]*)>/);
          const ns = m && m[2].match(/\sxmlns="([^"]*)"/);
          return m ? `${m[1]} ${ns ? ns[1] : '(no namespace)'}` : '(no element)';
        };
        assert.equal(root('atom.xml'), 'feed http://www.w3.org/2005/Atom', 'atom.xml: root element');
        assert.match(
          root('sitemap.xml'),
          /^(urlset|sitemapindex) http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9$/,
          'sitemap.xml: root element',
        );
      });
    });
  }
});
