"""common.py: what the Python checks of the conformance suite share.

- Check: collects the problems of one named check and prints `ok <name>: …` or `FAIL <name>: …` with
  indented details, as every checker of the suite does.
- tables(outdir, schemadir): the tables of a published folder, from datapackage.json when there is
  one (the CSV resource is named after the table, the others <table>-parquet and <table>-json), else
  from SCHEMADIR/*.json with the files at parquet/<t>.parquet, csv/<t>.csv, json/<t>.json.
- json_rows(table): the JSON copy of a table, the reference the Parquet readers are compared with.
- norm(field, value) and compare(...): one reader's rows against the JSON copy, cell by cell.
"""

import json
import math
import os

MAX_DETAILS = 25


class Check:
    def __init__(self, name):
        self.name = name
        self.issues = []

    def fail(self, msg):
        self.issues.append(msg)

    def report(self, summary):
        """Print the check's line and details; return True when it passed."""
        if not self.issues:
            print("ok %s: %s" % (self.name, summary))
            return True
        print("FAIL %s: %d problem(s) (checked: %s)" % (self.name, len(self.issues), summary))
        for m in self.issues[:MAX_DETAILS]:
            print("  " + m)
        if len(self.issues) > MAX_DETAILS:
            print("  ... and %d more" % (len(self.issues) - MAX_DETAILS))
        return False


def required(field):
    return bool(field.get("constraints", {}).get("required"))


class Table:
    def __init__(self, name, schema, paths, rows=None, resources=None):
        self.name = name
        self.schema = schema
        self.fields = schema["fields"]
        self.paths = paths  # format -> absolute path
        self.rel = {}  # format -> path relative to the folder
        self.rows = rows  # format -> declared row count (datapackage.json), or None
        self.resources = resources or {}  # format -> the datapackage.json resource

    def key(self, row):
        """The primary key of a row (a dict) for messages, e.g. passage_id=ab12…"""
        pk = self.schema.get("primaryKey") or []
        return ", ".join("%s=%s" % (k, row.get(k)) for k in pk) or "(no primary key)"


def load_package(outdir):
    path = os.path.join(outdir, "datapackage.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def tables(outdir, schemadir):
    pkg = load_package(outdir)
    out = []
    if pkg is not None:
        by_name = {r["name"]: r for r in pkg.get("resources", [])}
        for r in pkg.get("resources", []):
            if r.get("format") != "csv":
                continue
            res = {"csv": r, "parquet": by_name.get(r["name"] + "-parquet"), "json": by_name.get(r["name"] + "-json")}
            missing = [f for f, x in res.items() if x is None]
            if missing:
                raise ValueError("datapackage.json: no %s resource for table %s" % (", ".join(missing), r["name"]))
            t = Table(r["name"], r["schema"], {}, {f: x.get("rows") for f, x in res.items()}, res)
            for f, x in res.items():
                t.rel[f] = x["path"]
            out.append(t)
    else:
        for n in sorted(os.listdir(schemadir)):
            if not n.endswith(".json"):
                continue
            with open(os.path.join(schemadir, n), encoding="utf-8") as fh:
                schema = json.load(fh)
            t = Table(schema.get("name", n[:-5]), schema, {})
            t.rel = {f: "%s/%s.%s" % (f, t.name, f) for f in ("parquet", "csv", "json")}
            out.append(t)
    for t in out:
        t.paths = {f: os.path.join(outdir, p) for f, p in t.rel.items()}
    return out


def json_rows(table):
    with open(table.paths["json"], encoding="utf-8") as fh:
        return json.load(fh)


def _null(v):
    if v is None or type(v).__name__ == "NAType":  # pandas.NA
        return True
    try:
        return bool(v != v)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def norm(field, v):
    """A cell as plain Python, whatever the reader gave: None, str, int, float, 'YYYY-MM-DD', [str]."""
    if hasattr(v, "tolist") and not isinstance(v, (str, bytes)):  # numpy scalars and arrays
        if str(getattr(v, "dtype", "")).startswith("datetime64"):
            v = None if str(v) == "NaT" else str(v)[:10]
        else:
            v = v.tolist()
    if not isinstance(v, (list, tuple)) and _null(v):
        return None
    t = field["type"]
    if t == "date" and hasattr(v, "isoformat"):  # datetime.date, pandas.Timestamp
        return v.isoformat()[:10]
    if t == "array" and isinstance(v, (list, tuple)):
        return [norm({"type": "string"}, e) for e in v]
    if t == "number" and isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    if t == "integer" and isinstance(v, float) and math.isfinite(v) and v.is_integer():
        return int(v)  # pandas keeps an int64 column with nulls as float64
    return v


def compare(check, table, fmt_rel, rows, want):
    """Compare a reader's rows (dicts) with the JSON copy's, in order; return the cells compared."""
    if len(rows) != len(want):
        check.fail("%s: table %s has %d rows, %s has %d" % (fmt_rel, table.name, len(rows), table.rel["json"], len(want)))
        return 0
    cells = 0
    for i, (got, exp) in enumerate(zip(rows, want)):
        for f in table.fields:
            n = f["name"]
            a, b = norm(f, got.get(n)), norm(f, exp.get(n))
            cells += 1
            if a != b or type(a) is not type(b):
                check.fail("%s: table %s, row %d (%s), column %s: %.60r, JSON has %.60r" % (
                    fmt_rel, table.name, i + 1, table.key(exp), n, a, b))
    return cells
