// What readers find, pinned: a fixed set of queries and filters run through
// Pagefind's own search code (the `pagefind/pagefind.js` the build ships, in
// Node, fetching the index over HTTP from the served output) against
//
//   - a generated corpus of 600 case studies (`examples/gen_corpus.rs`: the
//     same N always gives the same bytes), and
//   - the bundled guide,
//
// and compared with tests/golden/search-results/*.json: for every query the
// number of results, the first results' URLs in order with their score,
// title, kind, excerpt and headings (sub-results), the filter counts for the
// results and for the whole index, and the URLs a filter alone lists. A change
// to how the index is built (speed work in src/search.rs or vendor/pagefind)
// must leave all of that exactly as it was.
//
// When a change to the pages or the theme is meant to change what readers
// find (new guide content, new filters), review the difference and accept it:
//
//   FAIRGUIDE_ACCEPT_GOLDEN=1 node --test tests/browser/search-results.test.mjs

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

import { startServer } from './lib/server.mjs';
import { REPO, buildSite, cleanupTempDirs } from './lib/site.mjs';

const GOLDEN_DIR = path.join(REPO, 'tests', 'golden', 'search-results');
const ACCEPT = !!process.env.FAIRGUIDE_ACCEPT_GOLDEN;
const CORPUS_PAGES = 600;
/** Results read in full per query; the rest are counted. */
const TOP = 12;

const CORPUS_QUERIES = [
  { term: 'partnership' },
  { term: 'trust funding' },
  { term: 'community organisation' },
  { term: 'consortium bid tender' },
  { term: 'commiss' },
  { term: 'volunteers outreach', filters: { kind: 'case-study' } },
  { term: 'trust', filters: { stakeholder: 'funders' } },
  { term: 'budget', filters: { kind: { any: ['barrier', 'principle'] } } },
  { term: 'partnership', filters: { theme: 'commissioning' } },
  { term: 'qwxzkvj' },
  { term: null, filters: { kind: 'barrier' } },
  { term: null, filters: { kind: 'principle' } },
];

const GUIDE_QUERIES = [
  { term: 'trust' },
  { term: 'funding' },
  { term: 'partner' },
  { term: 'fair contract' },
  { term: 'code of conduct' },
  { term: 'power', filters: { stakeholder: 'funders' } },
  { term: 'trust', filters: { kind: 'case-study' } },
  { term: null, filters: { kind: 'barrier' } },
  { term: null, filters: { stakeholder: 'bme' } },
];

function round(x) {
  return Math.round(x * 1e4) / 1e4;
}

/** Runs the queries against the site served at `origin`, through its own pagefind.js. */
async function runQueries(siteDir, origin, queries) {
  const pagefind = await import(pathToFileURL(path.join(siteDir, 'pagefind', 'pagefind.js')).href);
  await pagefind.options({ basePath: `${origin}/pagefind/` });
  await pagefind.init();
  const allFilters = await pagefind.filters();
  const out = { filters: allFilters, queries: [] };
  for (const q of queries) {
    const search = await pagefind.search(q.term, q.filters ? { filters: q.filters } : {});
    const top = [];
    for (const r of search.results.slice(0, TOP)) {
      const d = await r.data();
      top.push({
        url: d.url.replace(origin, ''),
        score: round(r.score),
        title: d.meta.title,
        kind: d.meta.kind,
        summary: d.meta.summary ?? null,
        excerpt: d.excerpt,
        words: d.word_count,
        filters: d.filters,
        sub_results: d.sub_results.map((s) => ({
          url: s.url.replace(origin, ''),
          title: s.title,
          excerpt: s.excerpt,
        })),
      });
    }
    out.queries.push({
      query: q,
      count: search.results.length,
      unfiltered: search.unfilteredResultCount,
      filters: search.filters,
      totalFilters: search.totalFilters,
      top,
    });
  }
  await pagefind.destroy?.();
  return out;
}

function compareWithGolden(name, actual) {
  const file = path.join(GOLDEN_DIR, `${name}.json`);
  const text = JSON.stringify(actual, null, 1) + '\n';
  if (ACCEPT || !fs.existsSync(file)) {
    if (!ACCEPT) {
      assert.fail(`${path.relative(REPO, file)} is missing: review the results and accept them with FAIRGUIDE_ACCEPT_GOLDEN=1`);
    }
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, text);
    return;
  }
  const expected = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (let i = 0; i < expected.queries.length; i++) {
    assert.deepEqual(
      actual.queries[i],
      expected.queries[i],
      `${name}: query ${JSON.stringify(expected.queries[i].query)} finds something else than ${path.relative(REPO, file)}`,
    );
  }
  assert.deepEqual(actual, expected, `${name}: search results differ from ${path.relative(REPO, file)}`);
}

/**
 * Writes the generated corpus with the release build of examples/gen_corpus.rs
 * (`cargo test --release` builds it; it is built here if missing or older than its source).
 */
function generateCorpus(n) {
  const meta = spawnSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const target = JSON.parse(meta.stdout).target_directory;
  const gen = path.join(target, 'release', 'examples', 'gen_corpus');
  const source = path.join(REPO, 'examples', 'gen_corpus.rs');
  if (!fs.existsSync(gen) || fs.statSync(gen).mtimeMs < fs.statSync(source).mtimeMs) {
    const built = spawnSync('cargo', ['build', '--release', '--quiet', '--example', 'gen_corpus'], {
      cwd: REPO,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    assert.equal(built.status, 0, 'cargo build --example gen_corpus failed');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairguide-search-corpus-'));
  const r = spawnSync(gen, [dir, String(n)], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `gen_corpus failed: ${r.stderr}`);
  return dir;
}

describe('search results are pinned', () => {
  const cleanup = [];
  after(async () => {
    for (const f of cleanup.reverse()) await f();
    cleanupTempDirs();
  });

  async function check(name, root, queries) {
    const server = await startServer();
    cleanup.push(() => server.close());
    const site = buildSite(server.base, `search-results-${name}`, { root });
    server.setRoot(site);
    compareWithGolden(name, await runQueries(site, server.origin, queries));
  }

  test(`a generated corpus of ${CORPUS_PAGES} case studies`, async () => {
    const corpus = generateCorpus(CORPUS_PAGES);
    cleanup.push(() => fs.rmSync(corpus, { recursive: true, force: true }));
    await check('corpus', corpus, CORPUS_QUERIES);
  });

  test('the bundled guide', async () => {
    await check('guide', REPO, GUIDE_QUERIES);
  });
});
