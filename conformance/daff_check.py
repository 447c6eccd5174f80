"""daff_check.py: diff consecutive releases with daff and compare with what their changes.json says.

    python conformance/daff_check.py DIR...

Every DIR with a changes.json whose `previous` release is also among the DIRs is compared with it, table
by table: `daff diff --id KEY… --unordered` on the two CSV files, over the columns both releases have
(`--ignore` for the others). Then, per table:
  - the columns only in the new (old) release are exactly changes.json's column_added (column_removed)
    entries for that table: a new column would make daff call every row modified;
  - the rows daff adds (+++) and removes (---) are changes.json's added_keys and removed_keys;
  - the rows daff modifies (->) are changes.json's modified_rows plus its moved_keys: a moved row
    (only seq, source_start, source_end, source_line changed: text was inserted before it) is modified
    for daff, so daff must change only those columns in it; in a modified row daff must change exactly
    the columns changes.json lists.
A table in only one of the releases must be changes.json's table_added (table_removed).
Prints `ok daff: OLD -> NEW: …` or `FAIL daff: …` per pair, `skip daff: …` for a release whose
previous release was not given. Exit status 0 all passed, 1 a check failed.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile

from common import Check

MOVE_COLUMNS = {"seq", "source_start", "source_end", "source_line"}
DAFF = os.path.join(os.path.dirname(sys.executable), "daff")


def header(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def daff(old, new, key, ignore, tmp):
    """daff's verdict on two CSV files: {action: {key: set of changed columns}}."""
    out = os.path.join(tmp, "diff.csv")
    cmd = [DAFF, "diff", "--unordered", "--context", "0", "--all-columns", "--no-color", "--output", out]
    for k in key:
        cmd += ["--id", k]
    for c in sorted(ignore):
        cmd += ["--ignore", c]
    r = subprocess.run(cmd + [old, new], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(cmd[:2]), r.returncode, r.stderr.strip()[:300]))
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    found = {"+++": {}, "---": {}, "->": {}}
    cols = None
    for row in rows:
        if row and row[0] == "@@":
            cols = row[1:]
            continue
        if not row or row[0] not in found:
            continue
        if cols is None:
            raise RuntimeError("daff's output has no @@ header row")
        cells = dict(zip(cols, row[1:]))
        k = "/".join(cells[c] for c in key)
        found[row[0]][k] = {c for c, v in cells.items() if "->" in v} if row[0] == "->" else set()
    return found


def compare_pair(c, old_dir, new_dir, changes):
    """Compare one pair; return (tables, added, removed, modified, moved) counted by daff."""
    schema = changes.get("schema", [])
    entries = {t["table"]: t for t in changes.get("tables", [])}
    names = sorted(set(os.listdir(os.path.join(old_dir, "csv"))) | set(os.listdir(os.path.join(new_dir, "csv"))))
    totals = [0, 0, 0, 0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        for n in names:
            table = n[:-4]
            old, new = os.path.join(old_dir, "csv", n), os.path.join(new_dir, "csv", n)
            kinds = {(e.get("kind"), e.get("column")) for e in schema if e.get("table") == table}
            if not (os.path.exists(old) and os.path.exists(new)):
                kind = "table_added" if os.path.exists(new) else "table_removed"
                if (kind, None) not in kinds:
                    c.fail("table %s: only in %s, but changes.json has no %s entry" % (table, "the new release" if os.path.exists(new) else "the old release", kind))
                continue
            e = entries.get(table)
            if e is None:
                c.fail("table %s: changes.json has no entry in tables" % table)
                continue
            key = e["key_columns"]
            h_old, h_new = header(old), header(new)
            only_new, only_old = set(h_new) - set(h_old), set(h_old) - set(h_new)
            for cols, kind in ((only_new, "column_added"), (only_old, "column_removed")):
                listed = {col for k, col in kinds if k == kind}
                if cols != listed:
                    c.fail("table %s: columns %s differ between the releases, changes.json's %s entries name %s" % (table, sorted(cols), kind, sorted(listed)))
            try:
                found = daff(old, new, key, only_new | only_old, tmp)
            except (OSError, RuntimeError, KeyError) as err:
                c.fail("table %s: daff: %s" % (table, err))
                continue
            totals[0] += 1
            for action, keys, what in (("+++", e.get("added_keys", []), "added"), ("---", e.get("removed_keys", []), "removed")):
                got, want = set(found[action]), set(keys)
                totals[1 if what == "added" else 2] += len(got)
                for k in sorted(got - want)[:10]:
                    c.fail("table %s: daff finds row %s=%s %s, changes.json does not list it" % (table, "/".join(key), k, what))
                for k in sorted(want - got)[:10]:
                    c.fail("table %s: changes.json lists row %s=%s as %s, daff does not find it %s" % (table, "/".join(key), k, what, what))
                if e.get(what) != len(want):
                    c.fail("table %s: changes.json says %s %s rows but lists %d keys" % (table, e.get(what), what, len(want)))
            modified = {m["key"]: {cell["column"] for cell in m.get("cells", [])} for m in e.get("modified_rows", [])}
            moved = set(e.get("moved_keys", []))
            totals[3] += len(found["->"])
            totals[4] += len(moved & set(found["->"]))
            for k, cols in sorted(found["->"].items()):
                if k in modified:
                    if cols != modified[k]:
                        c.fail("table %s, row %s=%s: daff changes columns %s, changes.json lists %s" % (table, "/".join(key), k, sorted(cols), sorted(modified[k])))
                elif k in moved:
                    if not cols or not cols <= MOVE_COLUMNS:
                        c.fail("table %s, row %s=%s: moved in changes.json, but daff changes columns %s (a move changes only %s)" % (table, "/".join(key), k, sorted(cols), ", ".join(sorted(MOVE_COLUMNS))))
                else:
                    c.fail("table %s: daff finds row %s=%s modified (%s), changes.json lists it neither as modified nor as moved" % (table, "/".join(key), k, ", ".join(sorted(cols))))
            for k in sorted((set(modified) | moved) - set(found["->"]))[:10]:
                c.fail("table %s: changes.json lists row %s=%s as %s, daff finds no change in it" % (table, "/".join(key), k, "modified" if k in modified else "moved"))
            if e.get("modified") != len(modified) or e.get("moved") != len(moved):
                c.fail("table %s: changes.json's counts (modified %s, moved %s) differ from its lists (%d, %d)" % (table, e.get("modified"), e.get("moved"), len(modified), len(moved)))
    return totals


def main():
    releases = {}
    for d in sys.argv[1:]:
        p = os.path.join(d, "changes.json")
        if os.path.exists(p):
            with open(p, encoding="utf-8") as fh:
                ch = json.load(fh)
            releases[ch["version"]] = (d, ch)
    failed, pairs = False, 0
    for version, (d, ch) in sorted(releases.items(), key=lambda kv: [int(x) for x in kv[0].split(".") if x.isdigit()]):
        prev = ch.get("previous") or ""
        if not prev:
            continue
        if prev not in releases:
            print("skip daff: v%s: its previous release v%s is not among the folders checked" % (version, prev))
            continue
        pairs += 1
        c = Check("daff")
        tables, added, removed, modified, moved = compare_pair(c, releases[prev][0], d, ch)
        failed = not c.report("v%s -> v%s: %d tables by primary key on their common columns: %d rows added, %d removed, "
                              "%d modified (%d of them moved), as in v%s/changes.json" % (
                                  prev, version, tables, added, removed, modified, moved, version)) or failed
    if not pairs:
        print("skip daff: no release among the folders has its previous release beside it")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
