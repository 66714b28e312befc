// fairguide tool pages: keeps a worksheet's answers in this browser only
// (localStorage), and adds a summary, printing, export to CSV and JSON,
// import, and a side-by-side comparison of two exported files. Nothing is
// sent anywhere: files are made and read in the browser. Without this script
// the worksheet is still a complete form that prints.
(function () {
  'use strict';

  var sheet = document.querySelector('.worksheet[data-tool]');
  var bar = document.getElementById('tool-bar');
  var results = document.getElementById('tool-results');
  if (!sheet || !bar || !results) return;

  // The theme's words in the page's language: tool.html writes the
  // `js_tool_*` strings into a JSON block; English without it.
  var ENGLISH = {
    "js_tool_all_top": "Every question you rated has the top rating, so no group stands out.",
    "js_tool_another_tool": "{file} holds answers to another tool (\"{tool}\"), not this one.",
    "js_tool_answered_column": "Answered",
    "js_tool_answered_one": "You have answered {answered} of {count} question.",
    "js_tool_answered_other": "You have answered {answered} of {count} questions.",
    "js_tool_choose_two": "Choose two files together to compare them (you chose {chosen}).",
    "js_tool_clear": "Clear my answers",
    "js_tool_clear_confirm": "Clear all your answers to this worksheet from this browser?",
    "js_tool_cleared": "Your answers are cleared. This browser no longer keeps any answers to this worksheet.",
    "js_tool_compare": "Two sets of answers side by side",
    "js_tool_compare_caption": "Each question with both answers, where the ratings differ most first",
    "js_tool_compare_files": "Compare two exported files side by side (choose both at once)",
    "js_tool_compare_region": "The two sets of answers",
    "js_tool_counted": "Answers counted in each group",
    "js_tool_counted_caption": "How many questions you answered in each group, and your ratings and choices counted",
    "js_tool_differ_one": "The two files differ on {differ} of {count} question. Talk first about the questions at the top: partners often see the same work differently. These files stay in this browser; your own answers above are not changed.",
    "js_tool_differ_other": "The two files differ on {differ} of {count} questions. Talk first about the questions at the top: partners often see the same work differently. These files stay in this browser; your own answers above are not changed.",
    "js_tool_difference": "Difference",
    "js_tool_different": "different",
    "js_tool_export_csv": "Export as CSV",
    "js_tool_export_json": "Export as JSON",
    "js_tool_exported": "Exported your answers as {file}.",
    "js_tool_group": "Group",
    "js_tool_hide_comparison": "Hide this comparison",
    "js_tool_hide_summary": "Hide this summary",
    "js_tool_import": "Import answers from a file you exported (CSV or JSON)",
    "js_tool_imported_one": "Imported {count} answer from {file}.",
    "js_tool_imported_other": "Imported {count} answers from {file}.",
    "js_tool_kept": "Your answers are kept only in this browser, on this device, until you clear them. They are not sent anywhere. Anyone who uses this browser can see them.",
    "js_tool_lowest_first": "These groups have the lowest ratings, lowest first.",
    "js_tool_no_answer": "no answer",
    "js_tool_none_yet": "none yet",
    "js_tool_not_a_worksheet": "{file} was not exported from a worksheet on this site.",
    "js_tool_not_comparable": "not comparable",
    "js_tool_not_csv": "{file} is not a CSV file exported from this worksheet (its first line should be {columns}).",
    "js_tool_not_json": "{file} is not a JSON file this page can read.",
    "js_tool_not_kept": "This browser is not keeping your answers: print them or export them to a file before you leave the page. They are not sent anywhere.",
    "js_tool_not_kept_warning": "Your browser would not keep your answers: export them to a file before you leave.",
    "js_tool_of": "{answered} of {total}",
    "js_tool_principles": "Principles",
    "js_tool_print": "Print my answers",
    "js_tool_question": "Question",
    "js_tool_rate_some": "Rate some questions to see which groups to work on first.",
    "js_tool_ratings_column": "Ratings and choices",
    "js_tool_recommendations": "Recommendations",
    "js_tool_restored_one": "Your {count} saved answer is back from this browser.",
    "js_tool_restored_other": "Your {count} saved answers are back from this browser.",
    "js_tool_show_summary": "Show summary",
    "js_tool_steps_apart_one": "{count} step apart",
    "js_tool_steps_apart_other": "{count} steps apart",
    "js_tool_summary": "Summary of your answers",
    "js_tool_the_same": "the same",
    "js_tool_work_first": "Work on these first"
  };
  var words = {};
  try {
    var block = document.getElementById('tool-strings');
    if (block) words = JSON.parse(block.textContent);
  } catch (e) {
    words = {};
  }
  // `key`'s words with {name} parts from `args`; with `args.count`, the
  // plural form (Intl.PluralRules for <html lang>) or `_other`.
  function w(key, args) {
    args = args || {};
    var k = key;
    if (typeof args.count === 'number') {
      var form = args.count === 1 ? 'one' : 'other';
      try {
        form = new Intl.PluralRules(document.documentElement.lang || 'en').select(args.count);
      } catch (e) { /* English's rule */ }
      k = (key + '_' + form) in words || (key + '_' + form) in ENGLISH ? key + '_' + form : key + '_other';
    }
    var text = words[k] || ENGLISH[k] || ENGLISH[key + '_other'] || key;
    return text.replace(/\{(\w+)\}/g, function (m, name) {
      return Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : m;
    });
  }

  var tool = sheet.getAttribute('data-tool');
  var key = 'fairguide-tool:' + location.pathname.replace(/[^/]*$/, '') + ':' + tool;
  var titleEl = document.querySelector('main h1');
  var toolTitle = titleEl ? titleEl.textContent.trim() : tool;

  // ---- The worksheet, read from its markup ----

  function text(el) {
    return el ? el.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  function withoutNumber(el) {
    var copy = el.cloneNode(true);
    var n = copy.querySelector('.ws-number');
    if (n) n.remove();
    return text(copy);
  }

  var groups = Array.prototype.map.call(sheet.querySelectorAll('.ws-group'), function (g) {
    var questions = Array.prototype.map.call(g.querySelectorAll('.ws-question'), function (q) {
      var type = q.getAttribute('data-type');
      var radios = Array.prototype.slice.call(q.querySelectorAll('input[type="radio"]'));
      return {
        id: q.getAttribute('data-id'),
        type: type,
        top: Number(q.getAttribute('data-top') || 0),
        text: withoutNumber(q.querySelector('.ws-q-text')),
        radios: radios,
        options: radios.map(function (r) {
          var rank = r.getAttribute('data-rank');
          return { label: r.value, rank: rank === null ? null : Number(rank) };
        }),
        textarea: q.querySelector('textarea'),
      };
    });
    var links = function (kind) {
      return Array.prototype.slice.call(g.querySelectorAll('.ws-concerns a[data-link="' + kind + '"]'));
    };
    return {
      number: g.getAttribute('data-group'),
      title: withoutNumber(g.querySelector('.ws-group-title')),
      questions: questions,
      principles: links('principle'),
      recommendations: links('recommendation'),
    };
  });
  var questions = [];
  groups.forEach(function (g) {
    g.questions.forEach(function (q) {
      q.group = g;
      questions.push(q);
    });
  });
  var byId = {};
  questions.forEach(function (q) { byId[q.id] = q; });

  function answerOf(q) {
    if (q.textarea) return q.textarea.value;
    var checked = q.radios.filter(function (r) { return r.checked; })[0];
    return checked ? checked.value : '';
  }

  function rankOf(q, answer) {
    var o = q.options.filter(function (o) { return o.label === answer; })[0];
    return o && o.rank !== null ? o.rank : null;
  }

  /** Sets a question's answer; false when the question has no such choice. */
  function setAnswer(q, answer) {
    if (q.textarea) {
      q.textarea.value = answer;
      syncPrintCopy(q.textarea);
      return true;
    }
    var found = false;
    q.radios.forEach(function (r) {
      r.checked = r.value === answer;
      if (r.checked) found = true;
    });
    return found || answer === '';
  }

  /**
   * The page's own label for an answer read from a file. A rating keeps its
   * rank in the file, so a file exported from this tool in another language
   * (where the page names the red-amber-green scale in its own words) still
   * gives the rating its place on the scale.
   */
  function labelOf(q, answer, rank, top) {
    if (q.type !== 'rating' || q.options.some(function (o) { return o.label === answer; })) return answer;
    var n = rank === null || rank === undefined || rank === '' ? NaN : Number(rank);
    if (Number(top) !== q.top) return answer;
    var o = q.options.filter(function (o) { return o.rank === n; })[0];
    return o ? o.label : answer;
  }

  function answers() {
    var out = {};
    questions.forEach(function (q) {
      var a = answerOf(q);
      if (a !== '') out[q.id] = a;
    });
    return out;
  }

  // ---- Kept in this browser only ----

  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(key + ':test', '1');
    storage.removeItem(key + ':test');
  } catch (e) {
    storage = null;
  }

  function save() {
    if (!storage) return;
    try {
      var a = answers();
      if (Object.keys(a).length) storage.setItem(key, JSON.stringify({ answers: a }));
      else storage.removeItem(key);
    } catch (e) {
      status(w('js_tool_not_kept_warning'));
    }
  }

  function restore() {
    if (!storage) return 0;
    var saved;
    try {
      saved = JSON.parse(storage.getItem(key) || 'null');
    } catch (e) {
      saved = null;
    }
    if (!saved || typeof saved.answers !== 'object' || saved.answers === null) return 0;
    var n = 0;
    Object.keys(saved.answers).forEach(function (id) {
      if (byId[id] && typeof saved.answers[id] === 'string' && setAnswer(byId[id], saved.answers[id])) n++;
    });
    return n;
  }

  // ---- Printing: written answers print in full, not cut to the box ----

  function syncPrintCopy(area) {
    var copy = area.nextElementSibling;
    if (copy && copy.classList.contains('ws-print-answer')) copy.textContent = area.value;
  }

  questions.forEach(function (q) {
    if (!q.textarea) return;
    var copy = document.createElement('div');
    copy.className = 'ws-print-answer';
    copy.setAttribute('aria-hidden', 'true');
    q.textarea.classList.add('has-print-copy');
    q.textarea.insertAdjacentElement('afterend', copy);
  });

  window.addEventListener('beforeprint', function () {
    questions.forEach(function (q) { if (q.textarea) syncPrintCopy(q.textarea); });
  });

  // ---- Small DOM helpers (text only: nothing from a file becomes markup) ----

  function el(name, attrs, children) {
    var e = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  function button(label, action) {
    var b = el('button', { type: 'button' }, [label]);
    b.addEventListener('click', action);
    return b;
  }

  var statusEl = el('p', { class: 'tool-status', role: 'status', 'aria-live': 'polite' });
  function status(message) {
    statusEl.textContent = message;
  }

  // ---- Files: CSV and JSON, made and read here ----

  // The CSV's first line names its columns for import and comparison to read
  // back (readFile checks it), in every language alike, so it is not
  // translated: a file exported in one language reads in another. What
  // people read in it (group, question, answer) is in the page's language.
  var COLUMNS = ['id', 'group', 'question', 'type', 'answer', 'rank', 'top'];

  function rows() {
    return questions.map(function (q) {
      var a = answerOf(q);
      var rank = rankOf(q, a);
      return {
        id: q.id,
        group: q.group.title,
        question: q.text,
        type: q.type,
        answer: a,
        rank: rank,
        top: q.type === 'rating' ? q.top : null,
      };
    });
  }

  function csvCell(v) {
    var s = v === null || v === undefined ? '' : String(v);
    // A spreadsheet must not run an answer as a formula.
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function toCsv() {
    var lines = [COLUMNS.join(',')];
    rows().forEach(function (r) {
      lines.push(COLUMNS.map(function (c) { return csvCell(r[c]); }).join(','));
    });
    return lines.join('\r\n') + '\r\n';
  }

  function toJson() {
    return JSON.stringify({
      format: 'fairguide-worksheet',
      version: 1,
      tool: tool,
      title: toolTitle,
      exported: new Date().toISOString(),
      answers: rows(),
    }, null, 2) + '\n';
  }

  function download(name, type, body) {
    var url = URL.createObjectURL(new Blob([body], { type: type }));
    var a = el('a', { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function parseCsv(s) {
    var out = [];
    var row = [];
    var cell = '';
    var quoted = false;
    for (var i = 0; i < s.length; i++) {
      var c = s[i];
      if (quoted) {
        if (c === '"' && s[i + 1] === '"') { cell += '"'; i++; }
        else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') { row.push(cell); cell = ''; }
      else if (c === '\n' || c === '\r') {
        if (c === '\r' && s[i + 1] === '\n') i++;
        row.push(cell); out.push(row); row = []; cell = '';
      } else cell += c;
    }
    if (cell !== '' || row.length) { row.push(cell); out.push(row); }
    return out;
  }

  function unformula(s) {
    return /^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
  }

  /** A file's answers as {tool, answers: {id: answer}}, or throws a message for readers. */
  function readFile(name, body) {
    var trimmed = body.replace(/^\uFEFF/, '').trim();
    var list;
    var fileTool = null;
    if (trimmed.charAt(0) === '{') {
      var data;
      try {
        data = JSON.parse(trimmed);
      } catch (e) {
        throw new Error(w('js_tool_not_json', { file: name }));
      }
      if (!data || data.format !== 'fairguide-worksheet' || !Array.isArray(data.answers)) {
        throw new Error(w('js_tool_not_a_worksheet', { file: name }));
      }
      fileTool = data.tool;
      list = data.answers;
    } else {
      var table = parseCsv(trimmed);
      var head = table.shift() || [];
      if (head.join(',') !== COLUMNS.join(',')) {
        throw new Error(w('js_tool_not_csv', { file: name, columns: COLUMNS.join(',') }));
      }
      list = table.map(function (r) {
        var o = {};
        COLUMNS.forEach(function (c, i) { o[c] = unformula(r[i] || ''); });
        return o;
      });
    }
    if (fileTool && fileTool !== tool) {
      throw new Error(w('js_tool_another_tool', { file: name, tool: fileTool }));
    }
    var out = {};
    list.forEach(function (a) {
      if (a && typeof a.id === 'string' && byId[a.id] && typeof a.answer === 'string' && a.answer !== '') {
        out[a.id] = labelOf(byId[a.id], a.answer, a.rank, a.top);
      }
    });
    return { name: name, answers: out };
  }

  function readFiles(files) {
    return Promise.all(Array.prototype.map.call(files, function (f) {
      return f.text().then(function (body) { return readFile(f.name, body); });
    }));
  }

  // ---- Results: the summary and the comparison ----

  function showResults(heading, parts, hide) {
    results.textContent = '';
    var h = el('h2', { id: 'tool-results-heading', tabindex: '-1' }, [heading]);
    results.appendChild(h);
    parts.forEach(function (p) { results.appendChild(p); });
    results.appendChild(el('p', {}, [button(hide, function () {
      results.textContent = '';
      bar.querySelector('button').focus();
    })]));
    h.focus();
  }

  function linkList(label, links) {
    if (!links.length) return null;
    var p = el('p', {}, [label + ': ']);
    links.forEach(function (a, i) {
      if (i) p.appendChild(document.createTextNode('; '));
      p.appendChild(el('a', { href: a.getAttribute('href') }, [text(a)]));
    });
    p.appendChild(document.createTextNode('.'));
    return p;
  }

  function groupStats(g) {
    var counts = {};
    var order = [];
    var scores = [];
    var answered = 0;
    g.questions.forEach(function (q) {
      var a = answerOf(q);
      if (a === '') return;
      answered++;
      if (q.type === 'text') return;
      if (!(a in counts)) { counts[a] = 0; order.push(a); }
      counts[a]++;
      var rank = rankOf(q, a);
      if (rank !== null && q.top > 0) scores.push(rank / q.top);
    });
    // Labels in the order the questions offer them.
    var labels = [];
    g.questions.forEach(function (q) {
      q.options.forEach(function (o) { if (labels.indexOf(o.label) < 0) labels.push(o.label); });
    });
    var mean = scores.length ? scores.reduce(function (a, b) { return a + b; }, 0) / scores.length : null;
    return { counts: counts, labels: labels, answered: answered, mean: mean, rated: scores.length };
  }

  function summary() {
    var stats = groups.map(function (g) { return { group: g, s: groupStats(g) }; });
    var total = questions.length;
    var answered = stats.reduce(function (n, x) { return n + x.s.answered; }, 0);
    var parts = [el('p', {}, [w('js_tool_answered', { answered: answered, count: total })])];

    parts.push(el('h3', {}, [w('js_tool_work_first')]));
    var ranked = stats.filter(function (x) { return x.s.mean !== null && x.s.mean < 1; });
    ranked.sort(function (a, b) { return a.s.mean - b.s.mean || a.group.number - b.group.number; });
    if (!ranked.length) {
      parts.push(el('p', {}, [stats.some(function (x) { return x.s.rated; })
        ? w('js_tool_all_top')
        : w('js_tool_rate_some')]));
    } else {
      parts.push(el('p', {}, [w('js_tool_lowest_first')]));
      var ol = el('ol', { class: 'tool-priority' });
      ranked.slice(0, 3).forEach(function (x) {
        var li = el('li', {}, [el('strong', {}, [x.group.number + '. ' + x.group.title]), ' (' + countText(x.s) + ')']);
        [linkList(w('js_tool_principles'), x.group.principles), linkList(w('js_tool_recommendations'), x.group.recommendations)].forEach(function (p) {
          if (p) li.appendChild(p);
        });
        ol.appendChild(li);
      });
      parts.push(ol);
    }

    parts.push(el('h3', {}, [w('js_tool_counted')]));
    var tbody = el('tbody');
    stats.forEach(function (x) {
      tbody.appendChild(el('tr', {}, [
        el('th', { scope: 'row' }, [x.group.number + '. ' + x.group.title]),
        el('td', {}, [w('js_tool_of', { answered: x.s.answered, total: x.group.questions.length })]),
        el('td', {}, [countText(x.s) || w('js_tool_none_yet')]),
      ]));
    });
    var table = el('table', {}, [
      el('caption', {}, [w('js_tool_counted_caption')]),
      el('thead', {}, [el('tr', {}, [
        el('th', { scope: 'col' }, [w('js_tool_group')]),
        el('th', { scope: 'col' }, [w('js_tool_answered_column')]),
        el('th', { scope: 'col' }, [w('js_tool_ratings_column')]),
      ])]),
      tbody,
    ]);
    parts.push(scroller(table, w('js_tool_counted')));
    showResults(w('js_tool_summary'), parts, w('js_tool_hide_summary'));
  }

  /** A table that may scroll sideways on a narrow screen: focusable, so keys scroll it. */
  function scroller(table, label) {
    return el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label }, [table]);
  }

  function countText(s) {
    return s.labels.filter(function (l) { return s.counts[l]; }).map(function (l) {
      return l + ': ' + s.counts[l];
    }).join(', ');
  }

  /** How far apart two answers are: 0 to 1 for ratings, 1 or 0 for choices. */
  function difference(q, a, b) {
    if (a === '' || b === '') return -1;
    if (q.type === 'rating') {
      var ra = rankOf(q, a);
      var rb = rankOf(q, b);
      if (ra === null || rb === null || !q.top) return -1;
      return Math.abs(ra - rb) / q.top;
    }
    if (q.type === 'yes-no') return a === b ? 0 : 0.5;
    return -1;
  }

  function compare(a, b) {
    var items = questions.map(function (q, i) {
      var x = a.answers[q.id] || '';
      var y = b.answers[q.id] || '';
      return { q: q, x: x, y: y, d: difference(q, x, y), i: i };
    });
    // Ratings that differ most first; then yes / no / not sure; then the rest, in order.
    var tier = function (it) {
      if (it.d < 0) return 2;
      return it.q.type === 'rating' ? 0 : 1;
    };
    items.sort(function (m, n) {
      return tier(m) - tier(n) || (tier(m) < 2 ? n.d - m.d : 0) || m.i - n.i;
    });
    var tbody = el('tbody');
    items.forEach(function (it) {
      var gap = it.d < 0 ? w('js_tool_not_comparable') : it.d === 0 ? w('js_tool_the_same') :
        it.q.type === 'rating' ? w('js_tool_steps_apart', { count: Math.round(it.d * it.q.top) }) : w('js_tool_different');
      tbody.appendChild(el('tr', {}, [
        el('th', { scope: 'row' }, [it.q.id + ' ' + it.q.text]),
        el('td', {}, [it.x || w('js_tool_no_answer')]),
        el('td', {}, [it.y || w('js_tool_no_answer')]),
        el('td', {}, [gap]),
      ]));
    });
    var differ = items.filter(function (it) { return it.d > 0; }).length;
    var table = el('table', {}, [
      el('caption', {}, [w('js_tool_compare_caption')]),
      el('thead', {}, [el('tr', {}, [
        el('th', { scope: 'col' }, [w('js_tool_question')]),
        el('th', { scope: 'col' }, [a.name]),
        el('th', { scope: 'col' }, [b.name]),
        el('th', { scope: 'col' }, [w('js_tool_difference')]),
      ])]),
      tbody,
    ]);
    showResults(w('js_tool_compare'), [
      el('p', {}, [w('js_tool_differ', { differ: differ, count: questions.length })]),
      scroller(table, w('js_tool_compare_region')),
    ], w('js_tool_hide_comparison'));
  }

  // ---- The bar of actions ----

  function clearAll() {
    if (!window.confirm(w('js_tool_clear_confirm'))) return;
    questions.forEach(function (q) { setAnswer(q, ''); });
    if (storage) storage.removeItem(key);
    results.textContent = '';
    status(w('js_tool_cleared'));
  }

  var importInput = el('input', { type: 'file', id: 'tool-import', accept: '.json,.csv,application/json,text/csv' });
  importInput.addEventListener('change', function () {
    var files = importInput.files;
    if (!files || !files.length) return;
    readFiles([files[0]]).then(function (read) {
      var file = read[0];
      questions.forEach(function (q) { setAnswer(q, ''); });
      var n = 0;
      Object.keys(file.answers).forEach(function (id) { if (setAnswer(byId[id], file.answers[id])) n++; });
      save();
      status(w('js_tool_imported', { count: n, file: file.name }));
    }).catch(function (e) {
      status(e.message);
    }).then(function () { importInput.value = ''; });
  });

  var compareInput = el('input', { type: 'file', id: 'tool-compare', multiple: '', accept: '.json,.csv,application/json,text/csv' });
  compareInput.addEventListener('change', function () {
    var files = compareInput.files;
    if (!files || files.length !== 2) {
      status(w('js_tool_choose_two', { chosen: files ? files.length : 0 }));
      compareInput.value = '';
      return;
    }
    readFiles(files).then(function (read) {
      status('');
      compare(read[0], read[1]);
    }).catch(function (e) {
      status(e.message);
    }).then(function () { compareInput.value = ''; });
  });

  var kept = storage
    ? w('js_tool_kept')
    : w('js_tool_not_kept');

  bar.appendChild(el('p', { id: 'tool-kept' }, [kept]));
  bar.appendChild(el('div', { class: 'tool-actions' }, [
    button(w('js_tool_show_summary'), summary),
    button(w('js_tool_print'), function () { window.print(); }),
    button(w('js_tool_export_csv'), function () {
      download(tool + '-answers.csv', 'text/csv', toCsv());
      status(w('js_tool_exported', { file: tool + '-answers.csv' }));
    }),
    button(w('js_tool_export_json'), function () {
      download(tool + '-answers.json', 'application/json', toJson());
      status(w('js_tool_exported', { file: tool + '-answers.json' }));
    }),
    button(w('js_tool_clear'), clearAll),
  ]));
  bar.appendChild(el('label', { class: 'tool-file', for: 'tool-import' }, [w('js_tool_import'), importInput]));
  bar.appendChild(el('label', { class: 'tool-file', for: 'tool-compare' }, [w('js_tool_compare_files'), compareInput]));
  bar.appendChild(statusEl);

  sheet.addEventListener('change', save);
  sheet.addEventListener('input', function (e) {
    if (e.target.tagName === 'TEXTAREA') syncPrintCopy(e.target);
    save();
  });

  var restored = restore();
  if (restored) status(w('js_tool_restored', { count: restored }));
})();
