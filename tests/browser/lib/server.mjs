// A tiny static file server for the built site, the way a plain static host
// would serve it: `/x/` -> `/x/index.html`, a folder without its trailing
// slash -> 301 to the slashed URL, anything missing -> the site's 404.html with
// status 404. It can serve the site under a sub-path prefix (e.g. `/guide/`),
// in which case nothing outside the prefix exists.
//
// The server is started before the site is built (the base URL, which holds
// the port, must be known at build time); the folder it serves can be set
// afterwards with `setRoot`.

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
};

export function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

async function statOrNull(p) {
  try {
    return await fs.stat(p);
  } catch {
    return null;
  }
}

/**
 * Start a static server on 127.0.0.1 at a random free port.
 * @param {{root?: string, prefix?: string}} opts  prefix: '/' or '/guide/'
 * @returns {Promise<{origin: string, base: string, port: number,
 *   setRoot(dir: string): void, log: Array<{method: string, url: string, status: number}>,
 *   close(): Promise<void>}>}
 */
export async function startServer({ root = null, prefix = '/' } = {}) {
  if (!prefix.startsWith('/')) prefix = '/' + prefix;
  if (!prefix.endsWith('/')) prefix += '/';
  let siteRoot = root ? path.resolve(root) : null;
  const log = [];

  async function send(req, res, status, file, headers = {}) {
    const body = await fs.readFile(file);
    res.writeHead(status, {
      'content-type': contentType(file),
      'content-length': body.length,
      'cache-control': 'no-store',
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return status;
  }

  async function notFound(req, res) {
    const page = siteRoot && path.join(siteRoot, '404.html');
    if (page && (await statOrNull(page))?.isFile()) return send(req, res, 404, page);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : 'not found (and the site has no 404.html)\n');
    return 404;
  }

  async function handle(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return 405;
    }
    if (!siteRoot) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('site not built yet\n');
      return 503;
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400);
      res.end();
      return 400;
    }
    // `/guide` (no slash) -> `/guide/`
    if (pathname + '/' === prefix) {
      res.writeHead(301, { location: prefix + url.search });
      res.end();
      return 301;
    }
    if (!pathname.startsWith(prefix) || pathname.includes('\0')) return notFound(req, res);

    const rel = pathname.slice(prefix.length);
    const file = path.resolve(siteRoot, '.' + path.posix.sep + rel);
    if (file !== siteRoot && !file.startsWith(siteRoot + path.sep)) return notFound(req, res);

    const st = await statOrNull(file);
    if (st?.isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { location: url.pathname + '/' + url.search });
        res.end();
        return 301;
      }
      const index = path.join(file, 'index.html');
      if ((await statOrNull(index))?.isFile()) return send(req, res, 200, index);
      return notFound(req, res);
    }
    if (st?.isFile() && !pathname.endsWith('/')) return send(req, res, 200, file);
    return notFound(req, res);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).then(
      (status) => log.push({ method: req.method, url: req.url, status }),
      (err) => {
        log.push({ method: req.method, url: req.url, status: 500 });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(String(err?.stack ?? err));
      },
    );
  });
  // Chromium keeps connections alive; don't let them hold up close().
  server.keepAliveTimeout = 1000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    base: origin + prefix,
    prefix,
    port,
    log,
    setRoot(dir) {
      siteRoot = path.resolve(dir);
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}
