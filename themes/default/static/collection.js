// A collection's listing: filters the records in place as the reader
// chooses values, announces how many are shown in the live region, and keeps
// the choices in the page's address (?field=value), so a filtered view can be
// shared and reloaded. Without this script the form stays hidden and the page
// lists every record from A to Z, then grouped by each filter field.

const form = document.getElementById('collection-filters');
const list = document.getElementById('collection-records');
const count = document.getElementById('collection-count');
if (form && list && count) {
  const selects = [...form.querySelectorAll('select[data-filter]')];
  const records = [...list.children];
  const noun = form.dataset.noun || 'records';
  // The theme's words in the page's language, from collection.html's JSON block.
  let words = {};
  try {
    words = JSON.parse(document.getElementById('collection-strings')?.textContent ?? '{}');
  } catch {
    words = {};
  }
  const t = (key, fallback, args) =>
    (words[key] ?? fallback).replace(/\{(\w+)\}/g, (m, name) => (name in args ? String(args[name]) : m));

  const readUrl = () => {
    const params = new URLSearchParams(location.search);
    for (const s of selects) {
      const v = params.get(s.name) ?? '';
      s.value = [...s.options].some((o) => o.value === v) ? v : '';
    }
  };

  const writeUrl = () => {
    const params = new URLSearchParams();
    for (const s of selects) if (s.value) params.set(s.name, s.value);
    const query = params.toString();
    const url = location.pathname + (query ? `?${query}` : '') + location.hash;
    if (url !== location.pathname + location.search + location.hash) history.replaceState(null, '', url);
  };

  const apply = () => {
    let shown = 0;
    for (const r of records) {
      const match = selects.every((s) => {
        if (!s.value) return true;
        const values = (r.getAttribute(`data-filter-${s.name}`) || '').split(' ');
        return values.includes(s.value);
      });
      r.hidden = !match;
      if (match) shown += 1;
    }
    const text = selects.some((s) => s.value)
      ? t('js_collection_shown', '{shown} of {total} {noun}', { shown, total: records.length, noun })
      : t('js_collection_count', '{total} {noun}', { total: records.length, noun });
    if (count.textContent !== text) count.textContent = text;
  };

  form.addEventListener('change', () => {
    apply();
    writeUrl();
  });
  form.addEventListener('reset', () => {
    // The form's values are reset after this event.
    setTimeout(() => {
      apply();
      writeUrl();
    });
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
    writeUrl();
  });
  readUrl();
  apply();
  form.hidden = false;
}
