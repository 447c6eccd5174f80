// The passage browser of a standpunten release page. It reads the page's own JSON data block
// (#passage-data) and filters it; every text from the data goes into the page with textContent,
// never as markup. Without this script the page still shows everything but the browser.
(function () {
  'use strict';
  var source = document.getElementById('passage-data');
  var form = document.getElementById('browser-form');
  var list = document.getElementById('browser-results');
  var status = document.getElementById('browser-status');
  var more = document.getElementById('browser-more');
  var note = document.getElementById('browser-nojs');
  if (!source || !form || !list || !status || !more) return;
  var data = JSON.parse(source.textContent);
  var LIMIT = 50;
  var number = new Intl.NumberFormat(data.lang);
  var showAll = false;

  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ');
  }
  function fill(template, values) {
    var i = 0;
    return template.replace(/%s/g, function () { return values[i++]; });
  }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  var passages = data.passages.map(function (p) {
    return {
      id: p[0], doc: p[1], party: p[2], kind: p[3], section: p[4], number: p[5], line: p[6], flags: p[7], text: p[8],
      hay: fold(p[8] + ' ' + (p[4] || '')),
    };
  });

  function current() {
    return {
      party: form.elements.party.value,
      election: form.elements.election.value,
      document: form.elements.document.value,
      kind: form.elements.kind.value,
      q: fold(form.elements.q.value.trim()),
    };
  }

  function matches(p, f) {
    var doc = data.documents[p.doc];
    if (f.party === '-' && p.party !== -1) return false;
    if (f.party && f.party !== '-' && (p.party === -1 || data.parties[p.party][0] !== f.party)) return false;
    if (f.election && (doc[2] === -1 || data.elections[doc[2]][0] !== f.election)) return false;
    if (f.document && doc[0] !== f.document) return false;
    if (f.kind && p.kind !== f.kind) return false;
    if (f.q && p.hay.indexOf(f.q) === -1) return false;
    return true;
  }

  function item(p) {
    var doc = data.documents[p.doc];
    var li = el('li');
    li.setAttribute('data-passage-id', p.id);
    var meta = el('p', 'meta');
    meta.appendChild(el('strong', '', p.party === -1 ? data.text.noParty : data.parties[p.party][1]));
    meta.appendChild(document.createTextNode(' · '));
    var title = el('span', '', doc[1]);
    title.lang = doc[4];
    meta.appendChild(title);
    meta.appendChild(document.createTextNode(' · ' + (doc[2] === -1 ? '' : data.elections[doc[2]][0])));
    li.appendChild(meta);
    var kind = data.kinds[p.kind] || p.kind;
    if (p.number !== null) kind += ' ' + number.format(p.number);
    var info = [kind];
    if (p.section) info.push(data.text.section + ': ' + p.section);
    if (p.flags.length) info.push(data.text.flags + ': ' + p.flags.map(function (f) { return data.flags[f] || f; }).join(', '));
    li.appendChild(el('p', 'meta', info.join(' · ')));
    var text = el('p', 'text', p.text);
    text.lang = doc[4];
    li.appendChild(text);
    var src = el('p', 'src', data.text.source + ': ');
    var a = el('a', 'srclink', doc[3] + ', ' + data.text.line + ' ' + number.format(p.line));
    a.href = data.prefix + doc[3] + '#L' + p.line;
    src.appendChild(a);
    li.appendChild(src);
    return li;
  }

  function render() {
    var f = current();
    var found = passages.filter(function (p) { return matches(p, f); });
    var shown = showAll ? found : found.slice(0, LIMIT);
    var frag = document.createDocumentFragment();
    shown.forEach(function (p) { frag.appendChild(item(p)); });
    list.replaceChildren(frag);
    status.textContent = found.length === 0 ? data.text.noMatch
      : fill(data.text.shown, [number.format(shown.length), number.format(found.length)]);
    more.hidden = shown.length === found.length;
    more.textContent = fill(data.text.showAll, [number.format(found.length)]);
  }

  var timer = 0;
  form.addEventListener('change', function () { showAll = false; render(); });
  form.addEventListener('input', function (e) {
    if (e.target !== form.elements.q) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { showAll = false; render(); }, 120);
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.addEventListener('reset', function () { window.setTimeout(function () { showAll = false; render(); }, 0); });
  more.addEventListener('click', function () { showAll = true; render(); });

  if (note) note.hidden = true;
  form.hidden = false;
  render();
})();
