"""parquet_check.py: read every Parquet file of a published folder with the Python readers users have.

    python conformance/parquet_check.py --schemas SCHEMADIR OUTDIR

Tables and schemas come from datapackage.json, else from SCHEMADIR/*.json (see common.py). Checks:

  pyarrow schema  each file's Arrow schema is the table schema's: the columns in order, string ->
                  string, integer -> int64, number -> double, date -> date32, array -> list<string>;
                  a column is nullable unless constraints.required is true. Its key-value metadata has
                  standpunten.table = the table and standpunten.schema_version = the schema's
                  schema_version. It has row groups, their rows add up to the JSON copy's (and to
                  datapackage.json's rows), and every column chunk has statistics: a null count, equal
                  to the nulls of the JSON copy, and min/max wherever it holds a value (for int64,
                  double and date32 columns equal to the JSON copy's).
  pyarrow values  pyarrow.parquet.read_table: every cell equals the JSON copy's.
  pandas parquet  pandas.read_parquet(dtype_backend="pyarrow") gives pd.ArrowDtype of the codebook's
                  types; plain pandas.read_parquet (as in the README) gives str, int64 (float64 when
                  the column holds a null: NumPy has no integer null), float64, object (datetime.date)
                  and object (arrays of str), with every cell equal to the JSON copy's.
  polars          polars.read_parquet gives String, Int64, Float64, Date, List(String), every cell
                  equal to the JSON copy's.
  fastparquet     fastparquet.ParquetFile(...).to_pandas() gives object or str, int64 (Int64 where nullable),
                  float64, datetime64[ns], object (lists), every cell equal to the JSON copy's.

Prints one `ok`/`FAIL` line per check, details indented. Exit status 0 all passed, 1 a check failed.
"""

import argparse
import sys

import fastparquet
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from common import Check, compare, json_rows, norm, required, tables

ARROW = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "date": pa.date32()}
POLARS = {"string": pl.String, "integer": pl.Int64, "number": pl.Float64, "date": pl.Date, "array": pl.List(pl.String)}


def arrow_ok(field, t):
    if field["type"] == "array":
        return pa.types.is_list(t) and t.value_type == pa.string()
    return t == ARROW.get(field["type"])


def want_arrow(field):
    return "list<string>" if field["type"] == "array" else str(ARROW.get(field["type"], "?" + field["type"]))


def check_schema(c, t, rows):
    rel = t.rel["parquet"]
    pf = pq.ParquetFile(t.paths["parquet"])
    schema, md = pf.schema_arrow, pf.metadata
    if schema.names != [f["name"] for f in t.fields]:
        c.fail("%s: columns %s, the schema says %s" % (rel, schema.names, [f["name"] for f in t.fields]))
        return
    for f in t.fields:
        af = schema.field(f["name"])
        if not arrow_ok(f, af.type):
            c.fail("%s: table %s, column %s: Arrow type %s, want %s" % (rel, t.name, f["name"], af.type, want_arrow(f)))
        if af.nullable == required(f):
            c.fail("%s: table %s, column %s: nullable=%s, but the schema says %s" % (
                rel, t.name, f["name"], af.nullable, "required" if required(f) else "nullable"))
    kv = {k.decode(): v.decode() for k, v in (md.metadata or {}).items()}
    for key, want in (("standpunten.table", t.name), ("standpunten.schema_version", t.schema.get("schema_version"))):
        if kv.get(key) != want:
            c.fail("%s: key-value metadata %s = %r, want %r" % (rel, key, kv.get(key), want))
    declared = (t.rows or {}).get("parquet")
    if md.num_rows != len(rows) or (declared is not None and md.num_rows != declared):
        c.fail("%s: %d rows, the JSON copy has %d, datapackage.json says %s" % (rel, md.num_rows, len(rows), declared))
    if md.num_rows > 0 and md.num_row_groups == 0:
        c.fail("%s: %d rows but no row group" % (rel, md.num_rows))
    if sum(md.row_group(i).num_rows for i in range(md.num_row_groups)) != md.num_rows:
        c.fail("%s: the row groups' rows do not add up to %d" % (rel, md.num_rows))
    fields = {f["name"]: f for f in t.fields}
    nulls, lo, hi = {}, {}, {}
    for i in range(md.num_row_groups):
        rg = md.row_group(i)
        for j in range(rg.num_columns):
            col = rg.column(j)
            name = col.path_in_schema.split(".")[0]
            s = col.statistics
            where = "%s: row group %d, column %s" % (rel, i, col.path_in_schema)
            if not col.is_stats_set or s is None or not s.has_null_count:
                c.fail(where + ": no statistics (null count)")
                continue
            nulls[name] = nulls.get(name, 0) + s.null_count
            if col.num_values > s.null_count and not s.has_min_max:
                c.fail(where + ": no min/max statistics")
            elif s.has_min_max and fields[name]["type"] in ("integer", "number", "date"):
                f = fields[name]
                lo[name] = min(lo.get(name, norm(f, s.min)), norm(f, s.min))
                hi[name] = max(hi.get(name, norm(f, s.max)), norm(f, s.max))
    for f in t.fields:
        n = f["name"]
        if f["type"] == "array":
            continue  # a list's leaf statistics count empty lists as nulls
        values = [norm(f, r.get(n)) for r in rows]
        present = [v for v in values if v is not None]
        if n in nulls and nulls[n] != len(values) - len(present):
            c.fail("%s: column %s: statistics say %d null(s), the JSON copy has %d" % (rel, n, nulls[n], len(values) - len(present)))
        if n in lo and present and (lo[n], hi[n]) != (min(present), max(present)):
            c.fail("%s: column %s: statistics say min %r max %r, the JSON copy has %r and %r" % (
                rel, n, lo[n], hi[n], min(present), max(present)))


def check_pandas(c, t, rows):
    rel = t.rel["parquet"]
    arrow = pd.read_parquet(t.paths["parquet"], dtype_backend="pyarrow")
    for f in t.fields:
        d = arrow.dtypes.get(f["name"])
        if not (isinstance(d, pd.ArrowDtype) and arrow_ok(f, d.pyarrow_dtype)):
            c.fail('%s: read_parquet(dtype_backend="pyarrow"), column %s: dtype %s, want ArrowDtype(%s)' % (rel, f["name"], d, want_arrow(f)))
    df = pd.read_parquet(t.paths["parquet"])
    for f in t.fields:
        n = f["name"]
        has_null = any(r.get(n) is None for r in rows)
        want = {"string": "str", "integer": "float64" if has_null else "int64", "number": "float64",
                "date": "object", "array": "object"}[f["type"]]
        if str(df.dtypes.get(n)) != want:
            c.fail("%s: read_parquet(), column %s: dtype %s, want %s" % (rel, n, df.dtypes.get(n), want))
    return compare(c, t, rel + " (pandas.read_parquet)", df.to_dict("records"), rows)


def check_polars(c, t, rows):
    rel = t.rel["parquet"]
    df = pl.read_parquet(t.paths["parquet"])
    for f in t.fields:
        d = df.schema.get(f["name"])
        if d != POLARS[f["type"]]:
            c.fail("%s: column %s: polars dtype %s, want %s" % (rel, f["name"], d, POLARS[f["type"]]))
    return compare(c, t, rel + " (polars)", df.to_dicts(), rows)


def check_fastparquet(c, t, rows):
    rel = t.rel["parquet"]
    df = fastparquet.ParquetFile(t.paths["parquet"]).to_pandas()
    for f in t.fields:
        want = {"string": "object", "integer": "int64" if required(f) else "Int64", "number": "float64",
                "date": "datetime64[ns]", "array": "object"}[f["type"]]
        got = str(df.dtypes.get(f["name"]))
        # fastparquet gives a dictionary-encoded string column as object and a plain-encoded one
        # (keys, passage text) as pandas' str dtype: both are the schema's string.
        if got != want and not (f["type"] == "string" and got == "str"):
            c.fail("%s: column %s: fastparquet dtype %s, want %s" % (rel, f["name"], got, want))
    return compare(c, t, rel + " (fastparquet)", df.to_dict("records"), rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schemas", required=True)
    ap.add_argument("outdir")
    args = ap.parse_args()
    try:
        ts = tables(args.outdir, args.schemas)
    except (OSError, ValueError, KeyError) as e:
        print("FAIL pyarrow schema: cannot read the table list of %s: %s" % (args.outdir, e))
        return 1
    checks = {
        "pyarrow schema": (Check("pyarrow schema"), check_schema),
        "pyarrow values": (Check("pyarrow values"), lambda c, t, rows: compare(
            c, t, t.rel["parquet"] + " (pyarrow)", pq.read_table(t.paths["parquet"]).to_pylist(), rows)),
        "pandas parquet": (Check("pandas parquet"), check_pandas),
        "polars": (Check("polars"), check_polars),
        "fastparquet": (Check("fastparquet"), check_fastparquet),
    }
    cells = {name: 0 for name in checks}
    nrows = 0
    for t in ts:
        try:
            rows = json_rows(t)
        except (OSError, ValueError) as e:
            for c, _ in checks.values():
                c.fail("%s: cannot read the JSON copy: %s" % (t.rel["json"], e))
            continue
        nrows += len(rows)
        for name, (c, fn) in checks.items():
            try:
                cells[name] += fn(c, t, rows) or 0
            except Exception as e:  # a reader that cannot read the file: the message is what matters
                c.fail("%s: %s cannot read it: %s: %s" % (t.rel["parquet"], name.split()[0], type(e).__name__, e))
    files = "%d Parquet files, %d rows" % (len(ts), nrows)
    summaries = {
        "pyarrow schema": "%s: Arrow types, nullability, standpunten.table/schema_version metadata, row groups and statistics (pyarrow %s)" % (files, pa.__version__),
        "pyarrow values": "%s, %d cells equal to the JSON copies (pyarrow %s)" % (files, cells["pyarrow values"], pa.__version__),
        "pandas parquet": "%s with the documented dtypes (pyarrow and default backends), %d cells equal to the JSON copies (pandas %s)" % (files, cells["pandas parquet"], pd.__version__),
        "polars": "%s with the schema's polars dtypes, %d cells equal to the JSON copies (polars %s)" % (files, cells["polars"], pl.__version__),
        "fastparquet": "%s with the expected dtypes, %d cells equal to the JSON copies (fastparquet %s)" % (files, cells["fastparquet"], fastparquet.__version__),
    }
    ok = all([c.report(summaries[name]) for name, (c, _) in checks.items()])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
