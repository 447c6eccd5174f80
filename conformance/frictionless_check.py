"""frictionless_check.py: validate a published folder with frictionless-py, the standard's own validator.

    python conformance/frictionless_check.py --schemas SCHEMADIR OUTDIR

  frictionless validate  `frictionless validate OUTDIR/datapackage.json` (the same call, through the
                         API), data included. A build folder has no datapackage.json: it gets one with
                         the project's resources (no bytes, hash or rows) from SCHEMADIR. The CSV
                         resources must be valid with every row read (types, formats, constraints,
                         primary keys, foreign keys across resources, bytes, hash, rows). frictionless
                         5.21 cannot read our JSON and Parquet resources the way the spec means them,
                         and reports four kinds of error that are its reader's, not the data's. Each
                         is let through only where it is verifiably that (anything else fails):
                           json-rows      row-count "actual is None" of a JSON resource: a
                                          data-resource in JSON is read as one JSON document, so no
                                          rows are counted (its bytes and hash are checked);
                           parquet-bytes  byte-count "actual is None" of a Parquet resource: its
                                          Parquet reader opens the file itself, so nothing counts
                                          the bytes (and the hash check is skipped);
                           parquet-list   type-error in an array column whose cell is the numpy
                                          array pandas makes of a list<string> value (pyarrow reads
                                          a list at that row);
                           parquet-null   type-error "nan" in an integer column: pandas turns an
                                          int64 column with nulls into float64 (pyarrow reads a null
                                          at that row).
  frictionless rows      what those errors kept frictionless from checking, checked by frictionless:
                         each JSON resource read as a table (every row: types, constraints, keys,
                         foreign keys, rows), each Parquet resource as a file (bytes, hash) and its
                         rows as pyarrow reads them, as inline data with the same schema.

Exit status 0 all passed, 1 a check failed.
"""

import argparse
import copy
import os
import sys
from collections import Counter

import frictionless
import numpy as np
import pyarrow.parquet as pq
from frictionless import Package, Resource

from common import Check, json_rows, load_package, tables

FORMATS = {"csv": ("", "tabular-data-resource", "text/csv"),
           "parquet": ("-parquet", "data-resource", "application/vnd.apache.parquet"),
           "json": ("-json", "data-resource", "application/json")}


def stand_in(ts):
    """A datapackage.json descriptor for a build folder, following the project's resource contract."""
    resources = []
    for t in ts:
        for fmt, (suffix, profile, mediatype) in FORMATS.items():
            r = {"name": t.name + suffix, "path": t.rel[fmt], "profile": profile, "format": fmt,
                 "mediatype": mediatype, "schema": copy.deepcopy(t.schema)}
            if fmt != "parquet":
                r["encoding"] = "utf-8"
            resources.append(r)
    return {"name": "standpunten", "resources": resources}


def explain(fmt, task_type, e, field, pyarrow_rows):
    """The name of the frictionless reader limit that error e is, or None when it is a real error."""
    note = getattr(e, "note", "") or ""
    if fmt == "json" and task_type == "json" and e.type == "row-count" and note.endswith('actual is "None"'):
        return "json-rows"
    if fmt != "parquet":
        return None
    if e.type == "byte-count" and note.endswith('actual is "None"'):
        return "parquet-bytes"
    if e.type != "type-error" or field is None or pyarrow_rows is None:
        return None
    i = e.row_number - 2  # frictionless counts the header as row 1
    if not 0 <= i < len(pyarrow_rows):
        return None
    value = pyarrow_rows[i][field["name"]]
    if field["type"] == "array" and isinstance(value, list) and e.cell == str(np.array(value, dtype=object)):
        return "parquet-list"
    if field["type"] == "integer" and value is None and e.cell == "nan":
        return "parquet-null"
    return None


def where(e):
    at = []
    if getattr(e, "row_number", None):
        at.append("row %s" % e.row_number)
    if getattr(e, "field_name", None):
        at.append("column %s" % e.field_name)
    return (" (%s)" % ", ".join(at)) if at else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schemas", required=True)
    ap.add_argument("outdir")
    args = ap.parse_args()
    v = Check("frictionless validate")
    r2 = Check("frictionless rows")
    try:
        ts = tables(args.outdir, args.schemas)
        pkg = load_package(args.outdir)
        want_rows = {t.name: len(json_rows(t)) for t in ts}
        pyarrow_rows = {t.name: pq.read_table(t.paths["parquet"]).to_pylist() for t in ts}
    except Exception as e:
        print("FAIL frictionless validate: cannot read %s: %s: %s" % (args.outdir, type(e).__name__, e))
        return 1
    descriptor = pkg if pkg is not None else stand_in(ts)
    table_of = {}  # resource name -> (table, format)
    for t in ts:
        for fmt, (suffix, _, _) in FORMATS.items():
            table_of[t.name + suffix] = (t, fmt)

    # 1. frictionless validate, as published.
    if pkg is not None:
        report = frictionless.validate(os.path.join(args.outdir, "datapackage.json"))
    else:
        report = Package(copy.deepcopy(descriptor), basepath=args.outdir).validate()  # it edits what it is given
    for e in report.errors:
        v.fail("datapackage.json: %s: %s" % (e.type, e.message))
    explained = Counter()
    csv_rows = 0
    limited = []
    for task in report.tasks:
        t, fmt = table_of.get(task.name, (None, None))
        if t is None:
            v.fail("datapackage.json: resource %s is not one of the project's" % task.name)
            continue
        fields = {f["name"]: f for f in t.fields}
        for e in task.errors:
            why = explain(fmt, task.type, e, fields.get(getattr(e, "field_name", None)), pyarrow_rows[t.name])
            if why:
                explained[why] += 1
            else:
                v.fail("%s: resource %s: %s: %s%s" % (t.rel[fmt], task.name, e.type, e.message, where(e)))
        if any("error limit" in w for w in task.warnings):
            limited.append(task.name)
        if fmt == "csv":
            csv_rows += task.stats.get("rows") or 0
            if task.stats.get("rows") != want_rows[t.name]:
                v.fail("%s: frictionless read %s rows, the table has %d" % (t.rel[fmt], task.stats.get("rows"), want_rows[t.name]))
    if len(report.tasks) != 3 * len(ts):
        v.fail("datapackage.json: frictionless validated %d resources, want %d" % (len(report.tasks), 3 * len(ts)))
    why = ", ".join("%d %s" % (n, k) for k, n in sorted(explained.items())) or "none"
    stopped = "; it stopped at its error limit in %s" % ", ".join(limited) if limited else ""
    v.report("%d resources (frictionless %s): %d CSV resources valid with all %d rows (types, constraints, "
             "primary and foreign keys%s); reader limits let through: %s%s" % (
                 len(report.tasks), frictionless.__version__, len(ts), csv_rows,
                 ", bytes, hash, rows" if pkg is not None else "", why, stopped))

    # 2. The JSON and Parquet rows, in a form frictionless reads as the spec means it.
    resources, checked = [], []
    for r in copy.deepcopy(descriptor["resources"]):
        t, fmt = table_of.get(r["name"], (None, None))
        if fmt == "json":
            r = {k: x for k, x in r.items() if k not in ("bytes", "hash")}  # checked as a file in 1.
            r["type"] = "table"
            checked.append(r["name"])
        elif fmt == "parquet":
            names = [f["name"] for f in t.fields]
            data = [names] + [[row.get(n) for n in names] for row in pyarrow_rows[t.name]]
            r = {"name": r["name"], "type": "table", "data": data, "schema": r["schema"],
                 **({"rows": r["rows"]} if "rows" in r else {}), "_file": r}
            checked.append(r["name"])
        resources.append(r)
    files = [r.pop("_file") for r in resources if "_file" in r]
    rows = 0
    package = Package({**descriptor, "resources": resources}, basepath=args.outdir)
    for name in checked:
        t, fmt = table_of[name]
        rep = package.get_resource(name).validate()
        for e in rep.flatten(["type", "message"]):
            r2.fail("%s: resource %s (%s): %s: %s" % (t.rel[fmt], name, "as a table" if fmt == "json" else "rows read by pyarrow", e[0], e[1]))
        n = rep.tasks[0].stats.get("rows") if rep.tasks else None
        rows += n or 0
        if n != want_rows[t.name]:
            r2.fail("%s: resource %s: frictionless read %s rows, the table has %d" % (t.rel[fmt], name, n, want_rows[t.name]))
    hashed = 0
    for f in files:
        if "bytes" not in f and "hash" not in f:
            continue
        hashed += 1
        d = {k: f[k] for k in ("name", "path", "bytes", "hash") if k in f}
        rep = Resource({**d, "type": "file"}, basepath=args.outdir).validate()
        for e in rep.flatten(["type", "message"]):
            r2.fail("%s: resource %s as a file: %s: %s" % (f["path"], f["name"], e[0], e[1]))
    r2.report("%d JSON resources read as tables and %d Parquet resources as pyarrow reads them, %d rows valid "
              "(types, constraints, primary and foreign keys, rows)%s" % (
                  len(ts), len(ts), rows, "; bytes and hash of %d Parquet files" % hashed if hashed else ""))
    return 0 if not (v.issues or r2.issues) else 1


if __name__ == "__main__":
    sys.exit(main())
