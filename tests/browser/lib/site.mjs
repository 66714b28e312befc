// Building the site and listing its pages.
//
// Environment:
//   FAIRGUIDE_SITE_DIR     serve this already-built folder instead of building
//                          (for developing the harness, or checking a folder
//                          built by hand). The sub-path test then serves the
//                          same folder under /guide/, which only works if its
//                          links are relative.
//   FAIRGUIDE_BIN          the fairguide binary (default target/release/fairguide)
//   FAIRGUIDE_ROOT         the site root to build (default: the repository)
//   FAIRGUIDE_KEEP_OUTPUT  set to 1 to keep the built folders for inspection

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PREBUILT = process.env.FAIRGUIDE_SITE_DIR ? path.resolve(process.env.FAIRGUIDE_SITE_DIR) : null;
export const BIN = path.resolve(process.env.FAIRGUIDE_BIN ?? path.join(REPO, 'target', 'release', 'fairguide'));
export const SITE_ROOT = path.resolve(process.env.FAIRGUIDE_ROOT ?? REPO);

const tempDirs = [];

/** A fresh temporary parent folder; the build output goes in a not-yet-existing child. */
function freshOutputDir(label) {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), `fairguide-browser-${label}-`));
  tempDirs.push(parent);
  return path.join(parent, 'site');
}

export function cleanupTempDirs() {
  if (process.env.FAIRGUIDE_KEEP_OUTPUT === '1') {
    for (const d of tempDirs) console.log(`kept build output: ${d}`);
    return;
  }
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/**
 * Build the site with the given base URL, or return FAIRGUIDE_SITE_DIR.
 * `opts.root` builds that site folder instead (a fixture under tests/fixtures/);
 * FAIRGUIDE_SITE_DIR then does not apply. `opts.extra`: more arguments for
 * `fairguide build` (e.g. `--offline`), which FAIRGUIDE_SITE_DIR does not apply to either.
 * Throws with the generator's stderr when the build fails.
 */
export function buildSite(baseUrl, label, { root = null, extra = [] } = {}) {
  if (PREBUILT && !root && !extra.length) {
    if (!fs.existsSync(path.join(PREBUILT, 'index.html'))) {
      throw new Error(`FAIRGUIDE_SITE_DIR=${PREBUILT} has no index.html`);
    }
    return PREBUILT;
  }
  if (!fs.existsSync(BIN)) {
    throw new Error(`${BIN} does not exist: run \`cargo build --release\` first (or set FAIRGUIDE_BIN / FAIRGUIDE_SITE_DIR)`);
  }
  const out = freshOutputDir(label);
  const args = ['build', '--root', root ? path.resolve(root) : SITE_ROOT, '--output', out, '--base-url', baseUrl, ...extra];
  const started = Date.now();
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 5 * 60_000, maxBuffer: 64 << 20 });
  const shown = BIN.startsWith(REPO + path.sep) ? path.relative(REPO, BIN) : BIN;
  const cmd = `${shown} ${args.join(' ')}`;
  if (r.error) throw new Error(`could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(
      `${cmd}\nexited with ${r.status ?? r.signal}\n--- stderr ---\n${r.stderr}\n--- stdout ---\n${r.stdout}`,
    );
  }
  if (!fs.existsSync(path.join(out, 'index.html'))) {
    throw new Error(`${cmd} exited 0 but wrote no index.html into ${out}`);
  }
  console.log(`built site with base URL ${baseUrl} in ${Date.now() - started} ms`);
  return out;
}

function decodeXml(s) {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&amp;/g, '&')
    .trim();
}

function locs(xml) {
  return [...xml.matchAll(/<loc>([\s\S]*?)<\/loc>/g)].map((m) => decodeXml(m[1]));
}

/**
 * Every `<loc>` of the output's sitemap.xml (following a sitemap index into
 * its child sitemaps, read from the same folder), as absolute URL strings
 * resolved against `siteBase`, in sitemap order, without duplicates.
 */
export function readSitemap(siteDir, siteBase) {
  const base = new URL(siteBase);
  const seen = new Set();
  const pages = [];
  const visit = (file, depth) => {
    if (!fs.existsSync(file)) throw new Error(`the build wrote no ${path.relative(siteDir, file)}`);
    const xml = fs.readFileSync(file, 'utf8');
    if (/<sitemapindex[\s>]/.test(xml) && depth < 3) {
      for (const loc of locs(xml)) {
        const u = new URL(loc, base);
        const rel = decodeURIComponent(u.pathname).slice(base.pathname.length);
        visit(path.join(siteDir, rel), depth + 1);
      }
      return;
    }
    for (const loc of locs(xml)) {
      const u = new URL(loc, base).href;
      if (!seen.has(u)) {
        seen.add(u);
        pages.push(u);
      }
    }
  };
  visit(path.join(siteDir, 'sitemap.xml'), 0);
  return pages;
}

/**
 * Map a sitemap URL onto the test server. A site built for this server
 * already points at it; a prebuilt folder (FAIRGUIDE_SITE_DIR) may name
 * another host or base path, whose path is kept relative to the server's
 * prefix.
 */
export function toServerUrl(loc, server, siteBase = server.base) {
  const u = new URL(loc);
  if (u.href.startsWith(server.base)) return u.href;
  const sb = new URL(siteBase);
  let rel = u.pathname;
  if (rel.startsWith(sb.pathname)) rel = rel.slice(sb.pathname.length);
  else rel = rel.replace(/^\/+/, '');
  return server.base + rel + u.search;
}
