#!/usr/bin/env node
// duckdb.mjs: read a published folder the way a DuckDB user does and check it against the table schemas.
//
//   node conformance/duckdb.mjs --schemas DIR OUTDIR
//
// OUTDIR is a release folder (with datapackage.json) or a build folder (parquet/, csv/, json/ only).
// Schemas come from the datapackage's CSV resources when there is a datapackage.json, else from
// DIR/*.json. Every check prints one line, `ok <check>: <what was checked>` or `FAIL <check>: <count>`
// followed by indented lines that name the file, table, row key and column. Exit status: 0 when every
// check passed, 1 when one failed, 2 when the checks could not run.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';

const FORMATS = ['parquet', 'csv', 'json'];
// DuckDB types of the Table Schema types the project uses.
const DUCK = { string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', date: 'DATE', array: 'VARCHAR[]' };
const MAX_DETAILS = 25;

const ident = (s) => `"${s.replaceAll('"', '""')}"`;
const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
const required = (f) => Boolean(f.constraints && f.constraints.required);
const view = (table, format) => ident(`${table}__${format}`);

class Check {
  constructor(name) {
    this.name = name;
    this.issues = [];
  }
  fail(msg) {
    this.issues.push(msg);
  }
  report(summary) {
    if (this.issues.length === 0) {
      console.log(`ok ${this.name}: ${summary}`);
      return true;
    }
    console.log(`FAIL ${this.name}: ${this.issues.length} problem(s) (checked: ${summary})`);
    for (const m of this.issues.slice(0, MAX_DETAILS)) console.log(`  ${m}`);
    if (this.issues.length > MAX_DETAILS) console.log(`  ... and ${this.issues.length - MAX_DETAILS} more`);
    return false;
  }
}

function parseArgs(argv) {
  let schemaDir = null;
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--schemas') schemaDir = argv[++i];
    else rest.push(argv[i]);
  }
  if (!schemaDir || rest.length !== 1) {
    console.error('usage: node conformance/duckdb.mjs --schemas SCHEMADIR OUTDIR');
    process.exit(2);
  }
  return { schemaDir, dir: rest[0] };
}

// loadTables returns [{name, schema, files: {parquet, csv, json}, rows: {format: n|undefined}}].
async function loadTables(dir, schemaDir) {
  let pkg = null;
  try {
    pkg = JSON.parse(await readFile(path.join(dir, 'datapackage.json'), 'utf8'));
  } catch (e) {
    if (e.code !== 'ENOENT') throw new Error(`${path.join(dir, 'datapackage.json')}: ${e.message}`);
  }
  if (pkg) {
    const byName = new Map((pkg.resources || []).map((r) => [r.name, r]));
    const tables = [];
    for (const r of pkg.resources || []) {
      if (r.format !== 'csv') continue;
      const t = { name: r.name, schema: r.schema, files: {}, rows: {}, source: 'datapackage.json' };
      for (const f of FORMATS) {
        const res = byName.get(f === 'csv' ? r.name : `${r.name}-${f}`);
        if (!res) throw new Error(`datapackage.json: no resource for table ${r.name} in ${f}`);
        t.files[f] = res.path;
        t.rows[f] = res.rows;
      }
      tables.push(t);
    }
    return { tables, hasPackage: true };
  }
  const names = (await readdir(schemaDir)).filter((n) => n.endsWith('.json')).sort();
  const tables = [];
  for (const n of names) {
    const schema = JSON.parse(await readFile(path.join(schemaDir, n), 'utf8'));
    const name = schema.name || n.replace(/\.json$/, '');
    const files = Object.fromEntries(FORMATS.map((f) => [f, `${f}/${name}.${f}`]));
    tables.push({ name, schema, files, rows: {}, source: schemaDir });
  }
  return { tables, hasPackage: false };
}

// keyExpr renders the primary key of a row for messages, e.g. passage_id=ab12….
function keyExpr(schema, access) {
  const pk = schema.primaryKey || [];
  if (pk.length === 0) return `'(no primary key)'`;
  return pk.map((k) => `${lit(`${k}=`)} || coalesce(CAST(${access(k)} AS VARCHAR), 'null')`).join(` || ', ' || `);
}

// A CSV cell's problem as a SQL CASE over the all-VARCHAR value, NULL when the cell is fine.
function csvCellProblem(f) {
  const c = ident(f.name);
  const empty = required(f) && f.type !== 'string' ? `WHEN ${c} IS NULL THEN 'empty cell in a required column'` : '';
  const bad = {
    string: null,
    integer: `NOT regexp_full_match(${c}, '-?[0-9]+') OR TRY_CAST(${c} AS BIGINT) IS NULL`,
    number: `TRY_CAST(${c} AS DOUBLE) IS NULL OR NOT isfinite(TRY_CAST(${c} AS DOUBLE))`,
    date: `NOT regexp_full_match(${c}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') OR TRY_CAST(${c} AS DATE) IS NULL`,
    array: `NOT json_valid(${c}) OR json_type(CAST(${c} AS JSON)) <> 'ARRAY' OR NOT coalesce(list_bool_and(list_transform(json_extract(CAST(${c} AS JSON), '$[*]'), e -> json_type(e) = 'VARCHAR')), true)`,
  }[f.type];
  if (!bad && !empty) return null;
  const wrong = bad ? `WHEN ${c} IS NOT NULL AND (${bad}) THEN ${lit(`not a valid ${f.type} (${DUCK[f.type]}${f.type === 'array' ? ' from a JSON array of strings' : ''}): `)} || left(${c}, 60)` : '';
  return `CASE ${empty} ${wrong} END`;
}

// A JSON value's problem as a SQL CASE over the row object j, NULL when the value is fine.
function jsonValueProblem(f) {
  const v = `(j -> ${lit(`$.${f.name}`)})`;
  const t = `json_type(${v})`;
  const ok = {
    string: `${t} = 'VARCHAR'`,
    integer: `${t} IN ('BIGINT', 'UBIGINT')`,
    number: `${t} IN ('DOUBLE', 'BIGINT', 'UBIGINT')`,
    date: `${t} = 'VARCHAR' AND regexp_full_match(${v} ->> '$', '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND TRY_CAST(${v} ->> '$' AS DATE) IS NOT NULL`,
    array: `${t} = 'ARRAY' AND coalesce(list_bool_and(list_transform(json_extract(${v}, '$[*]'), e -> json_type(e) = 'VARCHAR')), true)`,
  }[f.type];
  const nullOK = required(f) ? `WHEN ${t} = 'NULL' THEN 'null in a required column'` : `WHEN ${t} = 'NULL' THEN NULL`;
  return `CASE WHEN ${v} IS NULL THEN 'key missing' ${nullOK} WHEN NOT (${ok}) THEN ${lit(`not a valid ${f.type} (${DUCK[f.type]}): `)} || left(CAST(${v} AS VARCHAR), 60) END`;
}

function csvSource(file, schema, allVarchar) {
  const cols = schema.fields.map((f) => `${ident(f.name)}: ${lit(allVarchar || f.type === 'array' ? 'VARCHAR' : DUCK[f.type])}`).join(', ');
  return `read_csv(${lit(file)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', dateformat = '%Y-%m-%d', columns = {${cols}})`;
}

// The typed SELECT list of a CSV table: arrays parsed from their JSON cells, and an empty cell in a
// required string column read as the empty string (a CSV null is an empty cell in a nullable column).
function csvSelect(schema) {
  return schema.fields
    .map((f) => {
      const c = ident(f.name);
      if (f.type === 'array') return `CAST(CAST(${c} AS JSON) AS VARCHAR[]) AS ${c}`;
      if (f.type === 'string' && required(f)) return `coalesce(${c}, '') AS ${c}`;
      return c;
    })
    .join(', ');
}

function jsonSource(file, schema) {
  const cols = schema.fields.map((f) => `${ident(f.name)}: ${lit(DUCK[f.type])}`).join(', ');
  return `read_json(${lit(file)}, format = 'array', dateformat = '%Y-%m-%d', columns = {${cols}})`;
}

async function main() {
  const { schemaDir, dir } = parseArgs(process.argv.slice(2));
  const { tables, hasPackage } = await loadTables(dir, schemaDir);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const all = async (sql) => (await con.runAndReadAll(sql)).getRowsJson();

  const files = new Check('duckdb files');
  const types = new Check('duckdb types');
  const rowsC = new Check('duckdb rows');
  const keys = new Check('duckdb keys');
  const equal = new Check('duckdb equality');
  const loaded = new Set(); // "table/format" of the files read into a typed table

  // Every file in parquet/, csv/ and json/ belongs to a table, and every table has its three files.
  const expected = new Set(tables.flatMap((t) => FORMATS.map((f) => t.files[f])));
  for (const f of FORMATS) {
    let names = [];
    try {
      names = await readdir(path.join(dir, f));
    } catch {
      files.fail(`${f}/: folder missing`);
    }
    for (const n of names) if (!expected.has(`${f}/${n}`)) files.fail(`${f}/${n}: no table schema describes this file`);
  }

  for (const t of tables) {
    const s = t.schema;
    const want = s.fields.map((f) => f.name);
    const unsupported = s.fields.filter((f) => !(f.type in DUCK));
    for (const f of unsupported) types.fail(`table ${t.name} (schema from ${t.source}), column ${f.name}: type "${f.type}" is not one the project publishes (${Object.keys(DUCK).join(', ')})`);
    if (unsupported.length) continue;
    for (const fmt of FORMATS) {
      const rel = t.files[fmt];
      const file = path.join(dir, rel);
      const where = `${rel}: table ${t.name}`;
      try {
        await readFile(file, { flag: 'r' }).then(() => null);
      } catch {
        files.fail(`${rel}: missing (table ${t.name})`);
        continue;
      }
      let problems = 0;
      try {
        if (fmt === 'parquet') {
          const desc = await all(`DESCRIBE SELECT * FROM read_parquet(${lit(file)})`);
          const got = desc.map((r) => `${r[0]} ${r[1]}`).join(', ');
          const exp = s.fields.map((f) => `${f.name} ${DUCK[f.type]}`).join(', ');
          if (got !== exp) {
            types.fail(`${where}: DuckDB sees columns (${got}), the schema says (${exp})`);
            problems++;
          }
          // The Parquet repetition of each top-level column follows the schema's required flag.
          const reps = await all(`SELECT name, repetition_type FROM parquet_schema(${lit(file)})`);
          for (const f of s.fields) {
            const r = reps.find((x) => x[0] === f.name);
            const wantRep = required(f) ? 'REQUIRED' : 'OPTIONAL';
            if (r && r[1] !== wantRep) types.fail(`${where}, column ${f.name}: Parquet repetition ${r[1]}, the schema's required flag says ${wantRep}`);
          }
          if (problems === 0) await con.run(`CREATE TEMP TABLE ${view(t.name, fmt)} AS SELECT * FROM read_parquet(${lit(file)})`);
        } else if (fmt === 'csv') {
          const head = (await readFile(file, 'utf8')).split('\n', 1)[0];
          if (head !== want.join(',')) {
            types.fail(`${where}: header is "${head.slice(0, 200)}", the schema's columns are "${want.join(',')}"`);
            problems++;
          } else {
            const checks = s.fields.map((f) => [f, csvCellProblem(f)]).filter(([, e]) => e);
            if (checks.length) {
              const union = checks.map(([f, e]) => `SELECT ${lit(f.name)} AS col, ${keyExpr(s, ident)} AS k, ${e} AS problem FROM src`).join(' UNION ALL ');
              const bad = await all(`WITH src AS (SELECT * FROM ${csvSource(file, s, true)}) SELECT col, k, problem FROM (${union}) WHERE problem IS NOT NULL ORDER BY k, col`);
              for (const [col, k, p] of bad) types.fail(`${where}, row ${k}, column ${col}: ${p}`);
              problems += bad.length;
            }
          }
          if (problems === 0) await con.run(`CREATE TEMP TABLE ${view(t.name, fmt)} AS SELECT ${csvSelect(s)} FROM ${csvSource(file, s, false)}`);
        } else {
          const src = `(SELECT json AS j FROM read_json(${lit(file)}, format = 'array', records = false))`;
          const keyset = await all(`SELECT ${keyExpr(s, (k) => `(j ->> ${lit(`$.${k}`)})`)}, list_sort(json_keys(j)) FROM ${src} WHERE list_sort(json_keys(j)) <> ${'[' + [...want].sort().map(lit).join(', ') + ']'}`);
          for (const [k, got] of keyset) types.fail(`${where}, row ${k}: keys ${JSON.stringify(got)}, the schema's columns are ${JSON.stringify(want)}`);
          problems += keyset.length;
          const union = s.fields.map((f) => `SELECT ${lit(f.name)} AS col, ${keyExpr(s, (k) => `(j ->> ${lit(`$.${k}`)})`)} AS k, ${jsonValueProblem(f)} AS problem FROM ${src}`).join(' UNION ALL ');
          const bad = await all(`SELECT col, k, problem FROM (${union}) WHERE problem IS NOT NULL AND problem <> 'key missing' ORDER BY k, col`);
          for (const [col, k, p] of bad) types.fail(`${where}, row ${k}, column ${col}: ${p}`);
          problems += bad.length;
          if (problems === 0) await con.run(`CREATE TEMP TABLE ${view(t.name, fmt)} AS SELECT * FROM ${jsonSource(file, s)}`);
        }
      } catch (e) {
        types.fail(`${where}: DuckDB cannot read it: ${e.message.split('\n').slice(0, 3).join(' | ')}`);
        problems++;
      }
      if (problems > 0) continue;
      // Types of the typed table, and no nulls in required columns.
      const desc = await all(`DESCRIBE ${view(t.name, fmt)}`);
      const got = desc.map((r) => `${r[0]} ${r[1]}`).join(', ');
      const exp = s.fields.map((f) => `${f.name} ${DUCK[f.type]}`).join(', ');
      if (got !== exp) types.fail(`${where}: read as (${got}), want (${exp})`);
      for (const f of s.fields.filter(required)) {
        const nulls = await all(`SELECT ${keyExpr(s, ident)} FROM ${view(t.name, fmt)} WHERE ${ident(f.name)} IS NULL LIMIT 5`);
        for (const [k] of nulls) types.fail(`${where}, row ${k}, column ${f.name}: null in a required column`);
      }
      loaded.add(`${t.name}/${fmt}`);
    }
  }

  // Row counts: the datapackage's `rows` when there is one, else the same in every format.
  for (const t of tables) {
    const counts = {};
    for (const fmt of FORMATS) {
      if (!loaded.has(`${t.name}/${fmt}`)) continue;
      counts[fmt] = Number((await all(`SELECT count(*) FROM ${view(t.name, fmt)}`))[0][0]);
      if (hasPackage && counts[fmt] !== t.rows[fmt]) rowsC.fail(`${t.files[fmt]}: table ${t.name}: ${counts[fmt]} rows, datapackage.json says rows=${t.rows[fmt]}`);
    }
    const distinct = new Set(Object.values(counts));
    if (distinct.size > 1) rowsC.fail(`table ${t.name}: row counts differ between formats: ${JSON.stringify(counts)}`);
  }

  // Primary keys unique and not null; foreign keys resolved within the same format.
  let fkCount = 0;
  for (const t of tables) {
    const s = t.schema;
    for (const fmt of FORMATS) {
      if (!loaded.has(`${t.name}/${fmt}`)) continue;
      const v = view(t.name, fmt);
      const where = `${t.files[fmt]}: table ${t.name}`;
      const pk = s.primaryKey || [];
      if (pk.length) {
        const dups = await all(`SELECT ${keyExpr(s, ident)}, count(*) FROM ${v} GROUP BY ALL HAVING count(*) > 1 ORDER BY 1`);
        for (const [k, n] of dups) keys.fail(`${where}, row ${k}, column ${pk.join('+')}: primary key occurs ${n} times`);
      }
      for (const fk of s.foreignKeys || []) {
        const target = fk.reference.resource || t.name;
        if (fmt === FORMATS[0]) fkCount++;
        if (!loaded.has(`${target}/${fmt}`)) continue; // the types check has already failed for it
        const on = fk.fields.map((c, i) => `c.${ident(c)} = p.${ident(fk.reference.fields[i])}`).join(' AND ');
        const notNull = fk.fields.map((c) => `c.${ident(c)} IS NOT NULL`).join(' AND ');
        const vals = fk.fields.map((c) => `CAST(c.${ident(c)} AS VARCHAR)`).join(` || ', ' || `);
        const dangling = await all(`SELECT ${keyExpr(s, (k) => `c.${ident(k)}`)}, ${vals} FROM ${v} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${view(target, fmt)} p WHERE ${on}) ORDER BY 1`);
        for (const [k, val] of dangling) keys.fail(`${where}, row ${k}, column ${fk.fields.join('+')}: "${val}" has no match in ${target}.${fk.reference.fields.join('+')}`);
      }
    }
  }

  // The three copies hold the same rows: EXCEPT ALL both ways, mismatches named by key and column.
  let mismatches = 0;
  for (const t of tables) {
    const s = t.schema;
    for (const other of ['csv', 'json']) {
      if (!loaded.has(`${t.name}/parquet`) || !loaded.has(`${t.name}/${other}`)) continue;
      const a = view(t.name, 'parquet');
      const b = view(t.name, other);
      const pk = s.primaryKey && s.primaryKey.length ? s.primaryKey : s.fields.map((f) => f.name);
      const on = pk.map((k) => `x.${ident(k)} IS NOT DISTINCT FROM y.${ident(k)}`).join(' AND ');
      const diffCols = s.fields.map((f) => `CASE WHEN x.${ident(f.name)} IS DISTINCT FROM y.${ident(f.name)} THEN ${lit(f.name)} END`).join(', ');
      const k = keyExpr(s, (c) => `coalesce(x.${ident(c)}, y.${ident(c)})`);
      const rows = await all(`WITH x AS (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b}), y AS (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})
        SELECT ${k}, x.${ident(pk[0])} IS NULL AS only_y, y.${ident(pk[0])} IS NULL AS only_x,
               list_filter([${diffCols}], c -> c IS NOT NULL)
        FROM x FULL OUTER JOIN y ON ${on} ORDER BY 1`);
      for (const [key, onlyY, onlyX, cols] of rows) {
        mismatches++;
        const where = `table ${t.name}, ${t.files.parquet} vs ${t.files[other]}, row ${key}`;
        if (onlyX) equal.fail(`${where}: only in ${t.files.parquet}`);
        else if (onlyY) equal.fail(`${where}: only in ${t.files[other]}`);
        else equal.fail(`${where}, column ${cols.join(', ')}: values differ`);
      }
    }
  }

  const n = tables.length;
  let ok = true;
  ok = files.report(`${n} tables × ${FORMATS.length} formats present, no unknown files`) && ok;
  ok = types.report(`${n} tables × ${FORMATS.length} formats read with the schema's types (${Object.entries(DUCK).map(([k, v]) => `${k}→${v}`).join(', ')})`) && ok;
  ok = rowsC.report(`${n} tables × ${FORMATS.length} formats, row counts ${hasPackage ? 'equal datapackage.json rows' : 'equal across formats'}`) && ok;
  ok = keys.report(`${n} tables × ${FORMATS.length} formats, primary keys unique, ${fkCount} foreign keys resolved`) && ok;
  ok = equal.report(`${n} tables × ${FORMATS.length} formats, ${mismatches} mismatches`) && ok;
  con.closeSync();
  db.closeSync();
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(`duckdb.mjs: ${e.message || e}`);
  process.exit(2);
});
