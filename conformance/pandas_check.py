"""pandas_check.py: read every published CSV the way a pandas user does and compare it with the JSON copy.

    python conformance/pandas_check.py --schemas SCHEMADIR OUTDIR   (the suite's venv, conformance/venv.sh)

Schemas come from the datapackage's CSV resources when OUTDIR has a datapackage.json, else from
SCHEMADIR/*.json. Each CSV is read with the dtypes the schema documents (string -> "string",
integer -> "Int64", number -> "float64", date -> pd.to_datetime(format="%Y-%m-%d"), a datetime64, array -> a Python
list decoded from the cell's JSON); an empty cell is a null in a nullable column and the empty string in
a required string column. The result must equal the JSON file row for row and cell for cell.

Prints `ok pandas ...` or `FAIL pandas ...` with indented details naming the file, table, row key and
column. Exit status: 0 all passed, 1 a check failed, 2 the check could not run.
"""

import argparse
import json
import math
import os
import sys

import pandas as pd

MAX_DETAILS = 25
DTYPES = {"string": "string", "integer": "Int64", "number": "float64"}


def required(f):
    return bool(f.get("constraints", {}).get("required"))


def load_tables(outdir, schemadir):
    pkg_path = os.path.join(outdir, "datapackage.json")
    if os.path.exists(pkg_path):
        with open(pkg_path, encoding="utf-8") as fh:
            pkg = json.load(fh)
        by_name = {r["name"]: r for r in pkg.get("resources", [])}
        tables = []
        for r in pkg.get("resources", []):
            if r.get("format") != "csv":
                continue
            js = by_name.get(r["name"] + "-json")
            if js is None:
                raise ValueError("datapackage.json: no JSON resource for table " + r["name"])
            tables.append((r["name"], r["schema"], r["path"], js["path"]))
        return tables
    tables = []
    for n in sorted(os.listdir(schemadir)):
        if not n.endswith(".json"):
            continue
        with open(os.path.join(schemadir, n), encoding="utf-8") as fh:
            schema = json.load(fh)
        name = schema.get("name", n[:-5])
        tables.append((name, schema, "csv/%s.csv" % name, "json/%s.json" % name))
    return tables


def key_of(schema, get):
    """The primary key of a row for messages, e.g. passage_id=ab12..."""
    pk = schema.get("primaryKey") or []
    return ", ".join("%s=%s" % (k, get(k)) for k in pk) or "(no primary key)"


def cell_problem(f, raw):
    """Why a raw CSV cell (a str) does not fit the field, or None."""
    if raw == "":
        if required(f) and f["type"] != "string":
            return "empty cell in a required column"
        return None
    t = f["type"]
    try:
        if t == "integer":
            if not raw.lstrip("-").isdigit():
                return "not an integer (Int64): %.60r" % raw
        elif t == "number":
            if not math.isfinite(float(raw)):
                return "not a finite number (float64): %.60r" % raw
        elif t == "date":
            pd.to_datetime(raw, format="%Y-%m-%d")
        elif t == "array":
            v = json.loads(raw)
            if not isinstance(v, list) or not all(isinstance(e, str) for e in v):
                return "not a JSON array of strings: %.60r" % raw
    except (ValueError, TypeError) as e:
        return "not a valid %s: %.60r (%s)" % (t, raw, e)
    return None


def read_csv_typed(path, schema):
    """Read a CSV as a pandas user would, with the dtypes the schema documents."""
    fields = schema["fields"]
    dtype = {f["name"]: DTYPES[f["type"]] for f in fields if f["type"] in DTYPES}
    dates = [f["name"] for f in fields if f["type"] == "date"]
    for d in dates:
        dtype[d] = "string"
    converters = {f["name"]: json.loads for f in fields if f["type"] == "array"}
    na_values = {f["name"]: [""] for f in fields if not required(f)}
    df = pd.read_csv(path, dtype=dtype, converters=converters, keep_default_na=False, na_values=na_values, encoding="utf-8")
    for d in dates:
        df[d] = pd.to_datetime(df[d], format="%Y-%m-%d")
    return df


def frame_from_json(path, schema):
    """The JSON copy as a DataFrame with the same dtypes."""
    with open(path, encoding="utf-8") as fh:
        rows = json.load(fh)
    names = [f["name"] for f in schema["fields"]]
    for i, r in enumerate(rows):
        for f in schema["fields"]:
            v = r.get(f["name"])
            if v is None:
                ok = not required(f)
            else:
                ok = {
                    "string": isinstance(v, str),
                    "integer": isinstance(v, int) and not isinstance(v, bool),
                    "number": isinstance(v, (int, float)) and not isinstance(v, bool),
                    "date": isinstance(v, str),
                    "array": isinstance(v, list) and all(isinstance(e, str) for e in v),
                }[f["type"]]
            if not ok:
                raise ValueError("row %d (%s), column %s: %.60r is not a JSON %s" % (
                    i + 1, key_of(schema, lambda k: r.get(k)), f["name"], v, f["type"]))
    df = pd.DataFrame({n: [r.get(n) for r in rows] for n in names}, columns=names)
    for f in schema["fields"]:
        n, t = f["name"], f["type"]
        if t in DTYPES:
            df[n] = df[n].astype(DTYPES[t])
        elif t == "date":
            df[n] = pd.to_datetime(df[n], format="%Y-%m-%d")
        else:
            df[n] = df[n].astype(object)
    return df


def same(a, b):
    a_na = a is None or (not isinstance(a, list) and pd.isna(a))
    b_na = b is None or (not isinstance(b, list) and pd.isna(b))
    if a_na or b_na:
        return a_na and b_na
    return bool(a == b)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schemas", required=True)
    ap.add_argument("outdir")
    args = ap.parse_args()
    try:
        tables = load_tables(args.outdir, args.schemas)
    except (OSError, ValueError, KeyError) as e:
        print("FAIL pandas: cannot read the table list of %s: %s" % (args.outdir, e))
        return 1

    issues = []
    rows_total = 0
    for name, schema, csv_rel, json_rel in tables:
        csv_path = os.path.join(args.outdir, csv_rel)
        json_path = os.path.join(args.outdir, json_rel)
        where = "%s: table %s" % (csv_rel, name)
        fields = schema["fields"]
        unsupported = [f for f in fields if f["type"] not in ("string", "integer", "number", "date", "array")]
        for f in unsupported:
            issues.append("table %s, column %s: type %r is not one the project publishes" % (name, f["name"], f["type"]))
        if unsupported:
            continue
        # First every cell as text, so a bad cell is named by its row key and column.
        try:
            raw = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8")
        except Exception as e:  # pandas raises many types; the message is what matters
            issues.append("%s: pandas cannot read it: %s" % (where, e))
            continue
        if list(raw.columns) != [f["name"] for f in fields]:
            issues.append("%s: columns %s, the schema says %s" % (where, list(raw.columns), [f["name"] for f in fields]))
            continue
        bad = 0
        for i in range(len(raw)):
            for f in fields:
                p = cell_problem(f, raw.at[i, f["name"]])
                if p:
                    bad += 1
                    issues.append("%s, row %s, column %s: %s" % (where, key_of(schema, lambda k: raw.at[i, k]), f["name"], p))
        if bad:
            continue
        try:
            df = read_csv_typed(csv_path, schema)
        except Exception as e:
            issues.append("%s: pandas cannot read it with the schema's dtypes: %s" % (where, e))
            continue
        # A date is a datetime64 of the unit pandas picks (ns in pandas 2, us in pandas 3).
        want = {f["name"]: (DTYPES.get(f["type"]) or ("datetime64[*]" if f["type"] == "date" else "object")) for f in fields}
        for n, w in want.items():
            got = str(df[n].dtype)
            if got != w and not (w == "datetime64[*]" and got in ("datetime64[s]", "datetime64[ms]", "datetime64[us]", "datetime64[ns]")):
                issues.append("%s, column %s: dtype %s, want %s" % (where, n, df[n].dtype, w))
        try:
            js = frame_from_json(json_path, schema)
        except Exception as e:
            issues.append("%s: table %s, %s" % (json_rel, name, e))
            continue
        if len(df) != len(js):
            issues.append("table %s: %s has %d rows, %s has %d" % (name, csv_rel, len(df), json_rel, len(js)))
            continue
        rows_total += len(df)
        for i in range(len(df)):
            for f in fields:
                n = f["name"]
                a, b = df.at[i, n], js.at[i, n]
                if not same(a, b):
                    issues.append("table %s, %s vs %s, row %d (%s), column %s: CSV %.60r, JSON %.60r" % (
                        name, csv_rel, json_rel, i + 1, key_of(schema, lambda k: df.at[i, k]), n, a, b))

    summary = "%d tables, %d CSV rows read with the schema's dtypes and equal to the JSON copies" % (len(tables), rows_total)
    if not issues:
        print("ok pandas: " + summary)
        return 0
    print("FAIL pandas: %d problem(s) (checked: %s)" % (len(issues), summary))
    for m in issues[:MAX_DETAILS]:
        print("  " + m)
    if len(issues) > MAX_DETAILS:
        print("  ... and %d more" % (len(issues) - MAX_DETAILS))
    return 1


if __name__ == "__main__":
    sys.exit(main())
