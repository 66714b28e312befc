// Where <main>, the page's <h1> and its first paragraph start on a page, at
// phone sizes, in headless Chromium: the numbers behind issue 16.
//   node tests/browser/measure-first-screen.mjs [path ...]   (after `cargo build --release`)
import { startServer } from './lib/server.mjs';
import { buildSite, cleanupTempDirs } from './lib/site.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';

const paths = process.argv.slice(2);
if (!paths.length) paths.push('case-studies/camden-bame-representation/');
const server = await startServer({ prefix: '/' });
const chrome = await launchBrowser();
try {
  server.setRoot(buildSite(server.base, 'measure'));
  for (const js of [true, false]) {
    const context = await chrome.browser.newContext({ javaScriptEnabled: js, reducedMotion: 'reduce' });
    const page = await context.newPage();
    for (const [width, height] of [[320, 568], [390, 844]]) {
      await page.setViewportSize({ width, height });
      for (const p of paths) {
        await page.goto(server.base + p);
        const m = await page.evaluate(() => {
          const top = (el) => (el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : null);
          const bottom = (el) => (el ? Math.round(el.getBoundingClientRect().bottom + window.scrollY) : null);
          const main = document.querySelector('main');
          const lead = main?.querySelector('.lead, .prose > p');
          return { main: top(main), h1: top(main?.querySelector('h1')), firstParagraphEnd: bottom(lead) };
        });
        console.log(`${js ? 'js   ' : 'no-js'} ${width}x${height} ${p}: <main> at ${m.main}px, <h1> at ${m.h1}px, first paragraph ends at ${m.firstParagraphEnd}px (screen ${height}px)`);
      }
    }
    await context.close();
  }
} finally {
  await chrome.close();
  await server.close();
  cleanupTempDirs();
}
