#!/usr/bin/env node
// browser.mjs: open a release's pages (index.html, index.en.html) in a real browser and check
// them the way a reader meets them.
//
//   node conformance/browser.mjs --screenshots OUTDIR [--xss DIR] [--raw RAWDIR] [--index FILE] DIR...
//
// Each DIR is a release folder with index.html. The browser is Debian's Chromium
// (/usr/bin/chromium, or $CHROMIUM) driven by playwright-core (no downloaded browser), headless,
// with a fresh user-data-dir per launch. Per page:
//   load     no console error (a CSP violation is one), no uncaught error, no failed request, no dialog
//   counts   every number marked data-count / data-cell equals a count over the release's JSON
//            tables; the table row counts equal datapackage.json; each download's size and SHA-256
//            equal the file's and datapackage.json's, and its DuckDB line reads datapackage.json's rows
//   filter   choosing one party shows exactly that party's passages (compared with DuckDB over the
//            release's Parquet files), for every party; an election and a kind together too
//   search   a phrase from a passage finds exactly the passages DuckDB finds holding it
//   sources  every source link points at the passage's raw file and at the line its first byte is
//            on (counted in the raw file's bytes here), and the link text shows that line
//   axe      axe-core finds no WCAG 2.0/2.1 A or AA violation (details opened)
//   layout   no layout shift while the page loads (cumulative layout shift below 0.01)
//   nojs     without JavaScript the summary, the charts and the tables are there, the browser's note shows
// and for the --xss release also
//   xss      the hostile texts show as text, no element or attribute came from them, no dialog opened
// --index FILE (output/index.html, the list of releases): load, axe and a screenshot.
// Screenshots at 1280 and 390 px width go to OUTDIR (<name>-<lang>-desktop.png, -phone.png,
// -desktop-top.png). Raw texts are read from RAWDIR (default: DIR/../../../raw, the repository's
// raw/ for a release under output/releases/).
// Every check prints `ok …` or `FAIL …` (details indented). Exit 0 when all passed, 1 when one
// failed, 2 when the checks could not run.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { DuckDBInstance } from '@duckdb/node-api';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PAGES = [{ file: 'index.html', lang: 'nl' }, { file: 'index.en.html', lang: 'en' }];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const MAX_DETAILS = 20;
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;

let failures = 0;
function report(name, issues, summary) {
  if (issues.length === 0) {
    console.log(`ok ${name}: ${summary}`);
    return;
  }
  failures++;
  console.log(`FAIL ${name}: ${issues.length} problem(s) (checked: ${summary})`);
  for (const m of issues.slice(0, MAX_DETAILS)) console.log(`  ${m}`);
  if (issues.length > MAX_DETAILS) console.log(`  ... and ${issues.length - MAX_DETAILS} more`);
}

function parseArgs(argv) {
  const o = { shots: null, xss: null, raw: null, index: null, dirs: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--screenshots') o.shots = argv[++i];
    else if (argv[i] === '--xss') o.xss = argv[++i];
    else if (argv[i] === '--raw') o.raw = argv[++i];
    else if (argv[i] === '--index') o.index = argv[++i];
    else o.dirs.push(argv[i]);
  }
  if (!o.shots || (o.dirs.length === 0 && !o.xss && !o.index)) {
    console.error('usage: node conformance/browser.mjs --screenshots OUTDIR [--xss DIR] [--raw RAWDIR] [--index FILE] DIR...');
    process.exit(2);
  }
  return o;
}

// Numbers as the page writes them: nl 1.195 and 2,5; en 1,195 and 2.5.
function parseNumber(text, lang) {
  let s = text.trim();
  s = lang === 'nl' ? s.replaceAll('.', '').replace(',', '.') : s.replaceAll(',', '');
  return Number(s);
}

// lineOf is the 1-based line of byte offset `at` of a raw text: LF, CRLF, a lone CR and (in
// UTF-8) U+2028 and U+2029 end a line, as the build counts them.
function lineOf(buf, at, utf8) {
  let line = 1;
  for (let i = 0; i < at && i < buf.length; i++) {
    const b = buf[i];
    if (b === 0x0a) line++;
    else if (b === 0x0d) {
      if (buf[i + 1] !== 0x0a) line++;
    } else if (utf8 && b === 0xe2 && buf[i + 1] === 0x80 && (buf[i + 2] === 0xa8 || buf[i + 2] === 0xa9) && i + 2 < at) {
      line++;
      i += 2;
    }
  }
  return line;
}

const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ');

async function loadRelease(dir) {
  const pkg = JSON.parse(await readFile(path.join(dir, 'datapackage.json'), 'utf8'));
  const tables = {};
  for (const r of pkg.resources) {
    if (r.format === 'json') tables[r.name.replace(/-json$/, '')] = JSON.parse(await readFile(path.join(dir, r.path), 'utf8'));
  }
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const all = async (sql) => (await con.runAndReadAll(sql)).getRowsJson();
  for (const t of ['passages', 'documents', 'parties', 'elections']) {
    await con.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet(${lit(path.join(dir, 'parquet', t + '.parquet'))})`);
  }
  return { pkg, tables, all, close: () => { con.closeSync(); db.closeSync(); } };
}

// rowsWhere selects the rows of a JSON table that a data-where attribute names ("col=v;col=v",
// an empty value is null).
function rowsWhere(rows, where) {
  const pairs = where ? where.split(';').map((p) => p.split('=')) : [];
  return rows.filter((r) => pairs.every(([k, v]) => (v === '' ? r[k] === null || r[k] === undefined : String(r[k]) === v)));
}

async function newContext(opts) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'standpunten-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 }, ...opts,
  });
  return { ctx, close: async () => { await ctx.close(); await rm(dir, { recursive: true, force: true }); } };
}

// open loads a page and records everything that went wrong while it did.
async function open(ctx, url) {
  const page = await ctx.newPage();
  const trouble = [];
  const dialogs = [];
  page.on('console', (m) => { if (m.type() === 'error') trouble.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => trouble.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => trouble.push(`request failed: ${r.url()} (${r.failure() && r.failure().errorText})`));
  page.on('dialog', (d) => { dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  await page.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, trouble, dialogs };
}

async function shownIDs(page) {
  // Typing renders the list 120 ms after the last keystroke (browser.js): let a pending render
  // happen first, or it would fold the list again after "show all".
  await page.waitForTimeout(250);
  if (await page.locator('#browser-more').isVisible()) await page.click('#browser-more');
  return page.$$eval('#browser-results li', (lis) => lis.map((li) => li.getAttribute('data-passage-id')));
}

function sameSet(a, b) {
  const sa = new Set(a);
  const sb = new Set(b);
  const missing = [...sb].filter((x) => !sa.has(x));
  const extra = [...sa].filter((x) => !sb.has(x));
  return { missing, extra, dup: a.length - sa.size };
}

async function checkPage(ctx, dir, name, spec, rel, rawRoot, shots, xss) {
  const where = `${name}/${spec.file}`;
  const url = pathToFileURL(path.join(dir, spec.file)).href;
  const { page, trouble, dialogs } = await open(ctx, url);
  // layout shift while loading, before anything is clicked
  const cls = await page.evaluate(() => window.__cls);
  report(`browser layout ${where}`, cls < 0.01 ? [] : [`cumulative layout shift ${cls.toFixed(4)}`], `cumulative layout shift ${cls.toFixed(4)} while loading`);

  // counts
  const issues = [];
  const marks = await page.$$eval('[data-count], [data-cell]', (els) => els.map((e) => ({
    count: e.getAttribute('data-count'), cell: e.getAttribute('data-cell'), where: e.getAttribute('data-where') || '', text: e.textContent,
  })));
  for (const m of marks) {
    const got = parseNumber(m.text, spec.lang);
    if (m.count) {
      const rows = rel.tables[m.count];
      if (!rows) { issues.push(`data-count="${m.count}": no such table`); continue; }
      const want = rowsWhere(rows, m.where).length;
      if (got !== want) issues.push(`data-count="${m.count}" where "${m.where}": page shows "${m.text}", the JSON table has ${want}`);
      if (!m.where) {
        const res = rel.pkg.resources.find((r) => r.name === m.count);
        if (res && res.rows !== got) issues.push(`data-count="${m.count}": page shows ${got}, datapackage.json rows=${res.rows}`);
      }
    } else {
      const [table, col] = m.cell.split('.');
      const rows = rowsWhere(rel.tables[table] || [], m.where);
      if (rows.length !== 1) issues.push(`data-cell="${m.cell}" where "${m.where}": ${rows.length} rows match`);
      else if (Number(rows[0][col]) !== got) issues.push(`data-cell="${m.cell}" where "${m.where}": page shows "${m.text}", the JSON table has ${rows[0][col]}`);
    }
  }
  const downloads = await page.$$eval('[data-bytes]', (els) => els.map((e) => ({ path: e.getAttribute('data-bytes'), bytes: Number(e.getAttribute('value')) })));
  const hashes = Object.fromEntries(await page.$$eval('[data-sha256]', (els) => els.map((e) => [e.getAttribute('data-sha256'), e.textContent])));
  for (const d of downloads) {
    const file = path.join(dir, d.path);
    if (!existsSync(file)) { issues.push(`download ${d.path}: no such file`); continue; }
    const buf = await readFile(file);
    const sum = createHash('sha256').update(buf).digest('hex');
    if (buf.length !== d.bytes) issues.push(`download ${d.path}: page says ${d.bytes} bytes, the file has ${buf.length}`);
    if (hashes[d.path] !== sum) issues.push(`download ${d.path}: page says SHA-256 ${hashes[d.path]}, the file's is ${sum}`);
    const res = rel.pkg.resources.find((r) => r.path === d.path);
    if (res && (res.bytes !== d.bytes || res.hash !== `sha256:${hashes[d.path]}`)) issues.push(`download ${d.path}: datapackage.json says ${res.bytes} bytes, ${res.hash}`);
  }
  const tableFiles = rel.pkg.resources.length;
  const listed = downloads.filter((d) => rel.pkg.resources.some((r) => r.path === d.path)).length;
  if (listed !== tableFiles) issues.push(`downloads list ${listed} of the ${tableFiles} files datapackage.json describes`);
  // Each DuckDB line of the downloads, run from the release folder, reads the file's rows.
  const sqls = await page.$$eval('tr', (trs) => trs.flatMap((tr) => {
    const file = tr.querySelector('[data-bytes]');
    return file ? [...tr.querySelectorAll('code.snippet')].map((c) => [file.getAttribute('data-bytes'), c.textContent]).filter(([, t]) => t.startsWith('SELECT ')) : [];
  }));
  await rel.all(`SET file_search_path = ${lit(dir)}`);
  for (const [file, sql] of sqls) {
    const res = rel.pkg.resources.find((r) => r.path === file);
    try {
      const n = Number((await rel.all(`SELECT count(*)::INTEGER FROM (${sql.replace(/;\s*$/, '')})`))[0][0]);
      if (!res || n !== res.rows) issues.push(`download ${file}: \`${sql}\` reads ${n} rows, datapackage.json says ${res && res.rows}`);
    } catch (e) {
      issues.push(`download ${file}: \`${sql}\` fails in DuckDB: ${e.message.split('\n')[0]}`);
    }
  }
  report(`browser counts ${where}`, issues, `${marks.length} counted numbers, ${downloads.length} downloads (size, SHA-256), ${sqls.length} DuckDB lines run`);

  // filter: every party, then an election with a kind
  const fIssues = [];
  const parties = await page.$$eval('#f-party option', (os) => os.map((o) => o.value).filter((v) => v));
  let filtered = 0;
  for (const party of parties) {
    await page.selectOption('#f-party', party);
    const got = await shownIDs(page);
    const want = (await rel.all(`SELECT passage_id FROM passages WHERE ${party === '-' ? 'party_id IS NULL' : `party_id = ${lit(party)}`}`)).map((r) => r[0]);
    const d = sameSet(got, want);
    if (d.missing.length || d.extra.length || d.dup) fIssues.push(`party ${party}: ${d.missing.length} missing (${d.missing.slice(0, 3)}), ${d.extra.length} extra (${d.extra.slice(0, 3)}), ${d.dup} twice`);
    const status = await page.textContent('#browser-status');
    if (!status.includes(new Intl.NumberFormat(spec.lang).format(want.length))) fIssues.push(`party ${party}: status "${status}" does not show ${want.length}`);
    filtered += got.length;
  }
  await page.selectOption('#f-party', '');
  const combo = (await rel.all(`SELECT p.election_id, x.kind, count(*)::INTEGER FROM passages x JOIN documents p USING (document_id) GROUP BY ALL ORDER BY 3 DESC, 1, 2 LIMIT 1`))[0];
  if (combo) {
    await page.selectOption('#f-election', combo[0]);
    await page.selectOption('#f-kind', combo[1]);
    const got = await shownIDs(page);
    const want = (await rel.all(`SELECT passage_id FROM passages x JOIN documents p USING (document_id) WHERE p.election_id = ${lit(combo[0])} AND x.kind = ${lit(combo[1])}`)).map((r) => r[0]);
    const d = sameSet(got, want);
    if (d.missing.length || d.extra.length || d.dup) fIssues.push(`election ${combo[0]} and kind ${combo[1]}: ${d.missing.length} missing, ${d.extra.length} extra`);
    await page.selectOption('#f-election', '');
    await page.selectOption('#f-kind', '');
  }
  report(`browser filter ${where}`, fIssues, `${parties.length} parties one by one (${filtered} passages shown) and ${combo ? `${combo[0]} × ${combo[1]}` : 'no combination'}, each equal to DuckDB's rows`);

  // search: a phrase from the passage with the longest text
  const sIssues = [];
  const [pid, text] = (await rel.all(`SELECT passage_id, text FROM passages ORDER BY length(text) DESC, passage_id LIMIT 1`))[0];
  const words = text.split(' ');
  const phrase = xss ? 'alert(1)' : words.slice(Math.floor(words.length / 2), Math.floor(words.length / 2) + 4).join(' ');
  await page.fill('#f-q', phrase);
  await page.locator('#f-q').dispatchEvent('change');
  const found = await shownIDs(page);
  const want = (await rel.all(`SELECT passage_id FROM passages WHERE contains(strip_accents(lower(text || ' ' || coalesce(section, ''))), strip_accents(lower(${lit(fold(phrase))})))`)).map((r) => r[0]);
  const d = sameSet(found, want);
  if (!xss && !found.includes(pid)) sIssues.push(`"${phrase}" does not find passage ${pid}, which holds it`);
  if (d.missing.length || d.extra.length) sIssues.push(`"${phrase}": ${d.missing.length} passages missing (${d.missing.slice(0, 3)}), ${d.extra.length} extra (${d.extra.slice(0, 3)}) compared with DuckDB`);
  if (want.length === 0) sIssues.push(`"${phrase}": DuckDB finds no passage either; the check proves nothing`);
  await page.fill('#f-q', '');
  await page.locator('#f-q').dispatchEvent('change');
  report(`browser search ${where}`, sIssues, `"${phrase}" finds ${found.length} passage(s), the same as DuckDB`);

  // sources: every source link of the whole list and the static lists
  const lIssues = [];
  await shownIDs(page);
  const links = await page.$$eval('a.srclink', (as) => as.map((a) => ({ id: a.closest('[data-passage-id]') && a.closest('[data-passage-id]').getAttribute('data-passage-id'), href: a.getAttribute('href'), text: a.textContent, abs: a.href })));
  const rows = new Map((await rel.all(`SELECT x.passage_id, d.raw_path, x.source_line::INTEGER, x.source_start::BIGINT, d.encoding FROM passages x JOIN documents d USING (document_id)`)).map((r) => [r[0], r]));
  const raws = new Map();
  const defaultRaw = rawRoot === path.resolve(dir, '..', '..', '..', 'raw');
  let linked = 0;
  for (const l of links) {
    const r = rows.get(l.id);
    if (!r) { lIssues.push(`link ${l.href}: passage ${l.id} is not in the release`); continue; }
    const [, rawPath, line, start, enc] = r;
    const wantHref = `../../../${rawPath}#L${line}`;
    if (l.href !== wantHref) lIssues.push(`passage ${l.id}: link ${l.href}, want ${wantHref}`);
    if (!l.text.includes(rawPath) || !l.text.includes(new Intl.NumberFormat(spec.lang).format(line))) lIssues.push(`passage ${l.id}: link text "${l.text}" does not show ${rawPath} and line ${line}`);
    const file = path.join(rawRoot, rawPath.replace(/^raw\//, ''));
    if (!raws.has(file)) raws.set(file, existsSync(file) ? await readFile(file) : null);
    const buf = raws.get(file);
    if (!buf) { lIssues.push(`passage ${l.id}: ${file} does not exist`); continue; }
    const at = lineOf(buf, Number(start), enc !== 'windows-1252');
    if (at !== line) lIssues.push(`passage ${l.id}: byte ${start} of ${rawPath} is on line ${at}, the link says ${line}`);
    // Where the raw folder is the repository's, the link itself must lead to the file.
    const target = fileURLToPath(l.abs.replace(/#.*$/, ''));
    if (defaultRaw && target !== file) lIssues.push(`passage ${l.id}: the link resolves to ${target}, not ${file}`);
    linked++;
  }
  if (links.length < rows.size) lIssues.push(`${links.length} source links for ${rows.size} passages`);
  report(`browser sources ${where}`, lIssues, `${linked} source links (browser list and static lists): file and line of the passage's first byte`);

  // xss
  if (xss) {
    const xIssues = [];
    const info = await page.evaluate(() => ({
      text: document.body.innerText,
      imgs: document.querySelectorAll('img').length,
      bold: [...document.querySelectorAll('b')].length,
      scripts: document.scripts.length,
      handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
      jsLinks: [...document.querySelectorAll('a[href^="javascript:" i]')].length,
    }));
    for (const s of ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '</script><script>alert(2)</script>']) {
      if (!info.text.includes(s)) xIssues.push(`the text ${s} is not shown as text`);
    }
    if (info.imgs) xIssues.push(`${info.imgs} <img> element(s) on the page`);
    if (info.bold) xIssues.push(`${info.bold} <b> element(s) on the page`);
    if (info.scripts !== 2) xIssues.push(`${info.scripts} script elements, want 2 (the data block and the page's script)`);
    if (info.handlers) xIssues.push(`${info.handlers} element(s) with an on… attribute`);
    if (info.jsLinks) xIssues.push(`${info.jsLinks} javascript: link(s)`);
    if (dialogs.length) xIssues.push(`dialogs opened: ${dialogs.join('; ')}`);
    report(`browser xss ${where}`, xIssues, 'hostile texts shown as text; no img, b, handler or javascript: link from the data; no dialog');
  }

  // axe, on the page as it loads with every details element open
  await page.goto(url, { waitUntil: 'load' });
  await page.$$eval('details', (ds) => ds.forEach((x) => { x.open = true; }));
  const axe = await axeRun(page);
  report(`browser axe ${where}`, axe.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes} node(s), e.g. ${v.target}): ${v.help}`), `axe-core ${AXE_TAGS.join(', ')}: ${axe.passes} rules passed`);

  // screenshots, of the page as it loads
  await page.goto(url, { waitUntil: 'load' });
  const base = path.join(shots, `${name}-${spec.lang}`);
  await page.screenshot({ path: `${base}-desktop-top.png` });
  await page.screenshot({ path: `${base}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${base}-phone.png`, fullPage: true });

  report(`browser load ${where}`, [...trouble, ...dialogs.map((x) => `dialog ${x}`)], 'no console error, no uncaught error, no failed request, no dialog');
  await page.close();
}

async function checkNoJS(ctx, dir, name, spec) {
  const url = pathToFileURL(path.join(dir, spec.file)).href;
  const { page, trouble } = await open(ctx, url);
  const info = await page.evaluate(() => {
    const visible = (el) => !!el && el.getClientRects().length > 0;
    return {
      note: visible(document.getElementById('browser-nojs')),
      form: visible(document.getElementById('browser-form')),
      summary: visible(document.getElementById('summary')),
      svgs: [...document.querySelectorAll('figure.chart svg')].filter(visible).length,
      tables: [...document.querySelectorAll('table')].filter(visible).length,
      counts: [...document.querySelectorAll('#summary [data-count]')].filter(visible).length,
    };
  });
  const issues = [...trouble];
  if (!info.note) issues.push("the browser's note for readers without JavaScript is not shown");
  if (info.form) issues.push('the filter form shows without JavaScript (it cannot work)');
  if (!info.summary || info.counts < 5) issues.push(`summary shown: ${info.summary}, with ${info.counts} counts`);
  if (info.svgs < 3) issues.push(`${info.svgs} charts shown`);
  if (info.tables < 5) issues.push(`${info.tables} tables shown`);
  report(`browser nojs ${name}/${spec.file}`, issues, `without JavaScript: summary with ${info.counts} counts, ${info.svgs} charts, ${info.tables} tables, the note`);
  await page.close();
}

async function axeRun(page) {
  await page.evaluate(await readFile(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return { violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, target: v.nodes[0] && v.nodes[0].target.join(' ') })), passes: r.passes.length };
  }, AXE_TAGS);
}

// checkIndex opens the list of releases: it loads cleanly, passes axe, and is photographed.
async function checkIndex(ctx, file, shots) {
  const { page, trouble, dialogs } = await open(ctx, pathToFileURL(path.resolve(file)).href);
  const entries = await page.$$eval('ol.releases > li', (lis) => lis.length);
  const axe = await axeRun(page);
  report('browser axe index', axe.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes} node(s), e.g. ${v.target}): ${v.help}`), `axe-core ${AXE_TAGS.join(', ')}: ${axe.passes} rules passed`);
  await page.screenshot({ path: path.join(shots, 'index-desktop.png'), fullPage: true });
  const issues = [...trouble, ...dialogs.map((x) => `dialog ${x}`)];
  if (entries === 0) issues.push('no release listed');
  report('browser load index', issues, `${file}: ${entries} releases listed; no console error, no failed request, no dialog`);
  await page.close();
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  await mkdir(o.shots, { recursive: true });
  const targets = o.dirs.map((d) => ({ dir: path.resolve(d), xss: false }));
  if (o.xss) targets.push({ dir: path.resolve(o.xss), xss: true });
  if (!existsSync(CHROMIUM)) {
    console.error(`browser.mjs: ${CHROMIUM} does not exist (apt-get install chromium)`);
    process.exit(2);
  }
  const js = await newContext({});
  const nojs = await newContext({ javaScriptEnabled: false });
  try {
    if (o.index) await checkIndex(js.ctx, o.index, o.shots);
    for (const t of targets) {
      if (!existsSync(path.join(t.dir, 'index.html'))) {
        console.log(`skip browser: ${t.dir} has no index.html`);
        continue;
      }
      const name = (t.xss ? 'xss-' : '') + path.basename(t.dir);
      const rawRoot = path.resolve(t.xss || !o.raw ? path.join(t.dir, '..', '..', '..', 'raw') : o.raw);
      const rel = await loadRelease(t.dir);
      try {
        for (const spec of PAGES) {
          if (!(await stat(path.join(t.dir, spec.file)).catch(() => null))) {
            report(`browser load ${name}/${spec.file}`, ['the page is missing'], 'the page exists');
            continue;
          }
          await checkPage(js.ctx, t.dir, name, spec, rel, rawRoot, o.shots, t.xss);
          await checkNoJS(nojs.ctx, t.dir, name, spec);
        }
      } finally {
        rel.close();
      }
    }
  } finally {
    await js.close();
    await nojs.close();
  }
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(`browser.mjs: ${e.stack || e.message || e}`);
  process.exit(2);
});
