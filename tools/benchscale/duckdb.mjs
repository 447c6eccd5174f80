#!/usr/bin/env node
// duckdb.mjs: the DuckDB reference of the scale benchmark (tools/benchscale). It converts a build's
// CSV tables to Parquet (zstd) and to JSON arrays the way a DuckDB user would, reading each CSV with
// the column types of its table schema (lists from their JSON cells), with a fixed number of threads:
//
//   node tools/benchscale/duckdb.mjs --modules conformance --schemas schemas --threads 2 BUILD OUT
//
// --modules is the folder whose node_modules holds @duckdb/node-api (npm ci --prefix conformance).
// OUT/parquet/<table>.parquet and OUT/json/<table>.json are written; one line of JSON on stdout
// gives the DuckDB version and the rows per table. Exit status 0 on success, 2 when it cannot run.

import { mkdir, readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const DUCK = { string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', date: 'DATE', array: 'VARCHAR' };

const ident = (s) => `"${s.replaceAll('"', '""')}"`;
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;

function parseArgs(argv) {
  const o = { modules: 'conformance', schemas: 'schemas', threads: 2, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--modules') o.modules = argv[++i];
    else if (a === '--schemas') o.schemas = argv[++i];
    else if (a === '--threads') o.threads = Number(argv[++i]);
    else o.rest.push(a);
  }
  if (o.rest.length !== 2 || !(o.threads > 0)) {
    console.error('usage: node tools/benchscale/duckdb.mjs [--modules DIR] [--schemas DIR] [--threads N] BUILD OUT');
    process.exit(2);
  }
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const [build, out] = o.rest;
  let api;
  try {
    const require = createRequire(path.resolve(o.modules, 'package.json'));
    api = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
  } catch (e) {
    console.error(`duckdb.mjs: cannot load @duckdb/node-api from ${o.modules}/node_modules (${e.message}); run: npm ci --prefix ${o.modules}`);
    process.exit(2);
  }
  const names = (await readdir(o.schemas)).filter((n) => n.endsWith('.json')).sort();
  const db = await api.DuckDBInstance.create(':memory:', { threads: String(o.threads) });
  const con = await db.connect();
  const version = (await con.runAndReadAll('SELECT version() AS v')).getRowsJson()[0][0];
  await mkdir(path.join(out, 'parquet'), { recursive: true });
  await mkdir(path.join(out, 'json'), { recursive: true });
  const rows = {};
  for (const n of names) {
    const schema = JSON.parse(await readFile(path.join(o.schemas, n), 'utf8'));
    const table = schema.name || n.replace(/\.json$/, '');
    const csv = path.join(build, 'csv', `${table}.csv`);
    const cols = schema.fields.map((f) => `${ident(f.name)}: ${lit(DUCK[f.type] || 'VARCHAR')}`).join(', ');
    const src = `read_csv(${lit(csv)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', dateformat = '%Y-%m-%d', columns = {${cols}})`;
    const select = schema.fields
      .map((f) => (f.type === 'array' ? `CAST(CAST(${ident(f.name)} AS JSON) AS VARCHAR[]) AS ${ident(f.name)}` : ident(f.name)))
      .join(', ');
    await con.run(`CREATE OR REPLACE TEMP TABLE t AS SELECT ${select} FROM ${src}`);
    await con.run(`COPY t TO ${lit(path.join(out, 'parquet', `${table}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`);
    await con.run(`COPY t TO ${lit(path.join(out, 'json', `${table}.json`))} (FORMAT json, ARRAY true)`);
    rows[table] = Number((await con.runAndReadAll('SELECT count(*) FROM t')).getRowsJson()[0][0]);
  }
  console.log(JSON.stringify({ duckdb: version, threads: o.threads, rows }));
}

main().catch((e) => {
  console.error(`duckdb.mjs: ${e.stack || e}`);
  process.exit(1);
});
