// The search page: runs the query in the page's address (?q= and the filter
// parameters) over the Pagefind index built by `fairguide build`, and keeps the
// address in step as the reader types, so results can be bookmarked and shared.
// Without this script (or without an index) the page still lists every page
// from A to Z.

const PAGE_SIZE = 10;
const TYPING_DELAY_MS = 120;

const form = document.getElementById('search-form');
const input = document.getElementById('search-q');
const filterBox = document.getElementById('search-filters');
const selects = [...form.querySelectorAll('select[data-filter]')];
const status = document.getElementById('search-status');
const section = document.getElementById('search-results');
const list = document.getElementById('search-results-list');
const more = document.getElementById('search-more');
const baseTitle = document.title;
const words = readWords('search-strings');

let pagefind = null;
let current = []; // every result of the latest search
let currentQuery = ''; // the words it searched for
let shown = 0;
let searchSeq = 0;
let timer = 0;

/**
 * The theme's words in the page's language, which search.html writes into a
 * JSON block (`js_search_*` keys of the strings file), English without it.
 */
function readWords(id) {
  try {
    return JSON.parse(document.getElementById(id)?.textContent ?? '{}');
  } catch {
    return {};
  }
}

const ENGLISH = {
  js_search_query: '“{query}”',
  js_search_filters: '({filters})',
  js_search_found_one: '{count} page matches {what}.',
  js_search_found_other: '{count} pages match {what}.',
  js_search_none: 'No pages match {what}. Try fewer or different words, or browse every page from A to Z below.',
  js_search_failed: 'Search failed. Every page is listed below from A to Z.',
  js_search_unavailable: 'Search is not available on this copy of the guide. Every page is listed below from A to Z.',
  js_search_page_title: '{query} – {title}',
};

/**
 * `key`'s words with `{name}` parts filled from `args`. With `args.count`,
 * `<key>_<form>` for the plural form the page's language gives the count
 * (Intl.PluralRules: one, two, few...), or `<key>_other`.
 */
function t(key, args = {}) {
  let k = key;
  if (typeof args.count === 'number') {
    let form = 'other';
    try {
      form = new Intl.PluralRules(document.documentElement.lang || 'en').select(args.count);
    } catch {
      form = args.count === 1 ? 'one' : 'other';
    }
    k = `${key}_${form}` in words ? `${key}_${form}` : `${key}_other`;
  }
  const text = words[k] ?? ENGLISH[k] ?? ENGLISH[`${key}_other`] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in args ? String(args[name]) : m));
}

function readUrl() {
  const params = new URLSearchParams(location.search);
  input.value = params.get('q') ?? '';
  for (const s of selects) {
    const v = params.get(s.name) ?? '';
    s.value = [...s.options].some((o) => o.value === v) ? v : '';
  }
}

function writeUrl() {
  const params = new URLSearchParams();
  const q = input.value.trim();
  if (q) params.set('q', q);
  for (const s of selects) if (s.value) params.set(s.name, s.value);
  const query = params.toString();
  const url = location.pathname + (query ? `?${query}` : '') + location.hash;
  if (url !== location.pathname + location.search + location.hash) history.replaceState(null, '', url);
}

function activeFilters() {
  const filters = {};
  for (const s of selects) if (s.value) filters[s.name] = s.value;
  return filters;
}

/** "in Case study, concerning Funders" for the status message. */
function describeFilters() {
  return selects
    .filter((s) => s.value)
    .map((s) => `${s.labels[0]?.textContent.trim() ?? s.name}: ${s.selectedOptions[0].textContent.trim()}`)
    .join('; ');
}

function say(text) {
  // A polite live region: announced once the reader pauses, never interrupting.
  if (status.textContent !== text) status.textContent = text;
}

/** Copy Pagefind's excerpt, keeping only its text and <mark> elements. */
function appendExcerpt(target, html) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const copy = (from, to) => {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.append(node.textContent);
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        if (node.tagName === 'MARK') {
          const mark = document.createElement('mark');
          mark.textContent = node.textContent;
          to.append(mark);
        } else {
          copy(node, to);
        }
      }
    }
  };
  copy(doc.body, target);
}

function renderResult(data, q) {
  const li = document.createElement('li');
  li.className = 'search-result';
  const kind = document.createElement('p');
  kind.className = 'search-result-kind';
  kind.textContent = data.meta?.kind ?? '';
  const heading = document.createElement('h3');
  const link = document.createElement('a');
  link.href = data.url;
  link.textContent = data.meta?.title || data.url;
  heading.append(link);
  const excerpt = document.createElement('p');
  excerpt.className = 'search-result-excerpt';
  // Words searched for: where they occur. Filters alone: what the page is about.
  if (q || !data.meta?.summary) appendExcerpt(excerpt, data.excerpt ?? '');
  else excerpt.textContent = data.meta.summary;
  li.append(kind, heading, excerpt);
  return li;
}

async function showMore(seq, replace = false) {
  const batch = current.slice(shown, shown + PAGE_SIZE);
  const data = await Promise.all(batch.map((r) => r.data()));
  if (seq !== searchSeq) return null;
  const items = data.map((d) => renderResult(d, currentQuery));
  // Never leave focus on an element that is about to disappear.
  const hadFocus = replace && section.contains(document.activeElement);
  if (replace) list.replaceChildren(...items);
  else list.append(...items);
  if (hadFocus) input.focus();
  shown += batch.length;
  more.hidden = shown >= current.length;
  return items[0] ?? null;
}

async function run() {
  clearTimeout(timer);
  const seq = ++searchSeq;
  writeUrl();
  const q = input.value.trim();
  const filters = activeFilters();
  const filtered = Object.keys(filters).length > 0;
  if (!q && !filtered) {
    current = [];
    list.replaceChildren();
    section.hidden = true;
    more.hidden = true;
    document.title = baseTitle;
    say('');
    return;
  }
  if (!pagefind) return;
  let response;
  try {
    response = await pagefind.search(q || null, { filters });
  } catch (e) {
    if (seq === searchSeq) say(t('js_search_failed'));
    console.error(e);
    return;
  }
  if (seq !== searchSeq || !response) return;
  current = response.results;
  currentQuery = q;
  shown = 0;
  try {
    await showMore(seq, true);
  } catch (e) {
    if (seq === searchSeq) say(t('js_search_failed'));
    console.error(e);
    return;
  }
  if (seq !== searchSeq) return;
  section.hidden = current.length === 0;
  const n = current.length;
  const what = [q ? t('js_search_query', { query: q }) : '', filtered ? t('js_search_filters', { filters: describeFilters() }) : '']
    .filter(Boolean)
    .join(' ');
  document.title = q ? t('js_search_page_title', { query: q, title: baseTitle }) : baseTitle;
  say(n === 0 ? t('js_search_none', { what }) : t('js_search_found', { count: n, what }));
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, TYPING_DELAY_MS);
}

async function start() {
  readUrl();
  // From the start, so that Enter pressed while the index loads does not
  // reload the page (losing focus): the search runs once it has loaded. If it
  // cannot load, the form submits as it would without this script.
  let failed = false;
  form.addEventListener('submit', (e) => {
    if (failed) return;
    e.preventDefault();
    if (pagefind) run();
  });
  try {
    pagefind = await import(new URL('pagefind/pagefind.js', import.meta.url).href);
    await pagefind.options({ excerptLength: 24, noWorker: true });
    await pagefind.init();
  } catch (e) {
    pagefind = null;
    failed = true;
    say(t('js_search_unavailable'));
    console.error(e);
    return;
  }
  if (filterBox) filterBox.hidden = false;
  input.addEventListener('input', () => {
    if (input.value.trim()) pagefind.preload(input.value.trim()).catch(() => {});
    schedule();
  });
  for (const s of selects) s.addEventListener('change', run);
  more.addEventListener('click', async () => {
    const first = await showMore(searchSeq).catch(() => null);
    // The button may disappear: keep focus on the first new result instead.
    first?.querySelector('a')?.focus();
  });
  window.addEventListener('popstate', () => {
    readUrl();
    run();
  });
  await run();
}

start();
