#!/usr/bin/env node
// readme.mjs: run the README's "### Load the data" snippets the way a reader would paste them.
//
//   node conformance/readme.mjs [--python /usr/bin/python3] README.md
//
// Run from the repository root (the snippets use paths such as output/latest/...). Every ```sql block
// runs in DuckDB (@duckdb/node-api), statement by statement; the ```python blocks whose first line
// starts with `# pandas, CSV`, `# pandas, Parquet` and `# polars` run with the given Python (the
// suite's venv, which has pandas, pyarrow and polars); each of the three must be there. Each must
// finish without error and print something (a query returns at least one row). The ```r block is not
// run (CRAN is not reachable from the project's machines) and says so in a `skip` line; other blocks
// are not run. Prints `ok readme …` / `FAIL readme …` lines; exit status 0 when all passed, 1 when one
// failed, 2 when the README cannot be read.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { DuckDBInstance } from '@duckdb/node-api';

const SECTION = '### Load the data';
// The Python snippets that must be there and run: [first line starts with, check name].
const PYTHON = [
  ['# pandas, CSV', 'pandas'],
  ['# pandas, Parquet', 'pandas-parquet'],
  ['# polars', 'polars'],
];

// snippets returns the fenced blocks of the README's SECTION: [{lang, code, line}].
export function snippets(text) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === SECTION);
  if (start < 0) return null;
  const out = [];
  let block = null;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i];
    if (!block && /^#{1,3} /.test(l)) break; // the next heading of the same or a higher level
    const fence = l.match(/^(`{3,})\s*([\w-]*)\s*$/);
    if (fence && !block) {
      block = { fence: fence[1], lang: fence[2], line: i + 1, body: [] };
    } else if (block && l.trim() === block.fence) {
      out.push({ lang: block.lang, code: block.body.join('\n'), line: block.line });
      block = null;
    } else if (block) {
      block.body.push(l);
    }
  }
  return out;
}

async function main() {
  const args = process.argv.slice(2);
  let python = '/usr/bin/python3';
  const rest = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--python') python = args[++i];
    else rest.push(args[i]);
  }
  if (rest.length !== 1) {
    console.error('usage: node conformance/readme.mjs [--python PYTHON] README.md');
    process.exit(2);
  }
  const readme = rest[0];
  let text;
  try {
    text = readFileSync(readme, 'utf8');
  } catch (e) {
    console.error(`readme.mjs: ${e.message}`);
    process.exit(2);
  }
  const blocks = snippets(text);
  let ok = true;
  if (blocks === null) {
    console.log(`FAIL readme: ${readme} has no "${SECTION}" section`);
    process.exit(1);
  }
  const sql = blocks.filter((b) => b.lang === 'sql');
  const py = [];
  for (const [marker, check] of PYTHON) {
    const found = blocks.filter((b) => b.lang === 'python' && b.code.split('\n')[0].trim().startsWith(marker));
    if (found.length === 0) {
      console.log(`FAIL readme ${check}: no \`\`\`python block starting with "${marker}" in "${SECTION}" of ${readme}`);
      ok = false;
    }
    for (const b of found) py.push({ ...b, check });
  }
  if (sql.length === 0) {
    console.log(`FAIL readme sql: no \`\`\`sql block in "${SECTION}" of ${readme}`);
    ok = false;
  }
  for (const b of blocks.filter((x) => x.lang === 'r')) {
    console.log(`skip readme r (${readme}:${b.line}): not run, CRAN is not reachable from the project's machines`);
  }

  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  for (const b of sql) {
    const name = `readme sql (${readme}:${b.line})`;
    try {
      const stmts = await con.extractStatements(b.code);
      let last = null;
      for (let i = 0; i < stmts.count; i++) {
        const prepared = await stmts.prepare(i);
        last = await prepared.runAndReadAll();
      }
      const rows = last ? last.currentRowCount : 0;
      if (rows === 0) {
        console.log(`FAIL ${name}: the last statement returned no rows`);
        ok = false;
      } else {
        console.log(`ok ${name}: ${stmts.count} statement(s) ran in DuckDB, ${rows} row(s), first: ${JSON.stringify(last.getRowsJson()[0]).slice(0, 120)}`);
      }
    } catch (e) {
      console.log(`FAIL ${name}: DuckDB: ${e.message.split('\n')[0]}`);
      ok = false;
    }
  }
  con.closeSync();
  db.closeSync();

  for (const b of py) {
    const name = `readme ${b.check} (${readme}:${b.line})`;
    const r = spawnSync(python, ['-'], { input: b.code, encoding: 'utf8', timeout: 120000 });
    const out = (r.stdout || '').trim();
    if (r.error || r.status !== 0) {
      const err = (r.stderr || String(r.error || '')).trim().split('\n').slice(-3).join(' | ');
      console.log(`FAIL ${name}: ${python} exited ${r.status}: ${err}`);
      ok = false;
    } else if (out === '') {
      console.log(`FAIL ${name}: printed nothing`);
      ok = false;
    } else {
      console.log(`ok ${name}: ran with ${python}, printed ${out.split('\n').length} line(s)`);
    }
  }
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(`readme.mjs: ${e.stack || e}`);
  process.exit(2);
});
