#!/usr/bin/env bash
# conformance/break_test.sh [DIR]: proof that the conformance suite fails when it should.
#
# Copies DIR (a release or a build folder; default output/latest) to a scratch folder (adding a stand-in datapackage.json
# from conformance/breaktool when DIR has none, so the hash check has something to check), checks that
# the intact copy passes, then breaks one thing per case in a fresh copy and asserts that exactly the
# matching checks of conformance/run.sh fail, with a message that names the file, table, row key and
# column:
#   wrong-type     a CSV cell that is not of its column's type     -> duckdb types, pandas, frictionless
#                                                                     validate (+ gocheck hashes)
#   parquet-byte   one changed byte in the Parquet footer's
#                  created_by                                      -> gocheck hashes, frictionless rows
#                                                                     (the two that check a Parquet
#                                                                     file's hash)
#   dangling-fk    a passage's party_id points to no party, written
#                  consistently to all three formats               -> duckdb keys, frictionless validate
#                                                                     (CSV), frictionless rows (JSON,
#                                                                     Parquet)
#   parquet-type   elections.parquet's date column written as
#                  string (same values, metadata kept, hashes
#                  refreshed)                                      -> the checks of Parquet types:
#                                                                     duckdb types, gocheck parquet-go,
#                                                                     pyarrow schema, pandas parquet,
#                                                                     polars, fastparquet
#   parquet-value  one party's name changed in parties.parquet only
#                  (schema and metadata kept, hashes refreshed)    -> duckdb equality, pyarrow values,
#                                                                     pandas parquet, polars, fastparquet
#   short-row      a CSV row that lost its last cell (hashes
#                  refreshed)                                      -> csvkit, and the other CSV readers:
#                                                                     duckdb types, pandas, frictionless
#                                                                     validate
#   no-licence     every dct:license removed from dcat.jsonld      -> dcat dcat-ap-nl-3, pyshacl
#                                                                     dcat-ap-nl-3 (only when DIR has
#                                                                     dcat.jsonld)
#   engines-disagree  the no-licence copy, checked by shacl_check.py with a stand-in validate.mjs
#                  that always passes                              -> pyshacl dcat-ap-nl-3, printing both
#                                                                     reports
#   wrong-namespace  dcat.jsonld's @context maps "dcat" to
#                  http://www.w3.org/ns/dcat/ (slash, not #), so no
#                  node is a dcat:Dataset or dcat:Distribution     -> dcat and pyshacl, both profiles
#                                                                     (only when DIR has dcat.jsonld)
#   big-number     a dcat:byteSize written as the JSON number
#                  9007199254740993 (2^53 + 1): jsonld.js reads
#                  ...992 (a JavaScript number), rdflib ...993     -> rdflib only (both SHACL engines
#                                                                     accept either value)
#   daff-unlogged  a passage's text edited, in all three formats,
#                  in a copy of DIR beside a copy of its previous
#                  release, with no entry in changes.json          -> daff only (only when DIR's previous
#                                                                     release is beside DIR)
# Prints one line per case and `N passed, M failed`; exit status 1 when a case did not go as expected.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
PYTHON=/usr/bin/python3               # plain JSON and text edits
venv_bin=$("$here/venv.sh") || exit 2 # pyarrow, for the Parquet edits

if [ $# -gt 1 ]; then
  echo "usage: conformance/break_test.sh [DIR]   (default: output/latest)" >&2
  exit 2
fi
src=${1:-$root/output/latest}
if [ ! -d "$src" ]; then
  echo "conformance/break_test.sh: $src is not a folder; make a release first or pass a build folder" >&2
  exit 2
fi
src=$(cd "$src" && pwd -P)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
passed=0
failed=0

(cd "$root" && go build -o "$scratch/breaktool" ./conformance/breaktool) || exit 2
base="$scratch/base"
cp -r "$src" "$base"
if [ ! -f "$base/datapackage.json" ]; then
  "$scratch/breaktool" datapackage "$base" || exit 2
fi

# run_suite DIR...: run the suite on the folders; statuses prints "<ok|FAIL> <check>" per check.
run_suite() {
  "$here/run.sh" --no-readme --no-browser "$@" >"$scratch/out.txt" 2>"$scratch/err.txt"
}
statuses() {
  sed -nE 's/^(ok|FAIL) ([^:]*):.*/\1 \2/p' "$scratch/out.txt"
}

# expect CASE "CHECK..." "NEEDLE...": the checks that fail must be exactly CHECKs, and the output must
# contain every NEEDLE (a fixed string).
expect() {
  local name=$1 want=$2 needles=$3 got problems=""
  got=$(statuses | awk '$1 == "FAIL" { $1 = ""; sub(/^ /, ""); print }' | sort -u | paste -sd, -)
  want=$(printf '%s\n' $want | tr '_' ' ' | sort | paste -sd, -)
  if [ "$got" != "$want" ]; then
    problems+="failed checks [$got], want [$want]; "
  fi
  if [ "$(statuses | grep -c '^ok ')" -eq 0 ]; then
    problems+="no check passed; "
  fi
  local IFS=$'\n'
  for n in $needles; do
    grep -qF -- "$n" "$scratch/out.txt" || problems+="output lacks \"$n\"; "
  done
  if [ -z "$problems" ]; then
    echo "ok break $name: failed [$got] as expected"
    passed=$((passed + 1))
  else
    echo "FAIL break $name: $problems"
    sed 's/^/  | /' "$scratch/out.txt" | head -60
    sed 's/^/  ! /' "$scratch/err.txt" | tail -5
    failed=$((failed + 1))
  fi
}

fresh() {
  rm -rf "$scratch/case"
  cp -r "$base" "$scratch/case"
}

# 0. The intact copy passes, so that the failures below come from the breakage.
run_suite "$base"
expect intact "" ""

# 1. A CSV cell of the wrong type: a date column holding a text.
fresh
"$PYTHON" - "$scratch/case/csv/elections.csv" <<'EOF'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
assert ",2023-11-22" in s, "elections.csv: TK2023's date not found"
open(p, "w", encoding="utf-8").write(s.replace(",2023-11-22", ",22 november 2023", 1))
EOF
[ $? -eq 0 ] || exit 2
run_suite "$scratch/case"
expect wrong-type "duckdb_types pandas gocheck_hashes frictionless_validate" \
  "csv/elections.csv: table elections, row election_id=TK2023, column date
csv/elections.csv: resource elections: file hash is
csv/elections.csv: resource elections: type-error: Type error in the cell \"22 november 2023\""

# 2. One changed byte in a Parquet file, in the writer's name in the footer: every reader still
#    reads the same values, only the recorded hash tells.
fresh
"$PYTHON" - "$scratch/case/parquet/parties.parquet" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
i = b.rfind(b"standpunten")  # the footer's created_by, last string before the footer length
assert i > len(b) // 2, "no created_by string in the footer"
b[i] = ord("S")
open(p, "wb").write(bytes(b))
EOF
[ $? -eq 0 ] || exit 2
run_suite "$scratch/case"
expect parquet-byte "gocheck_hashes frictionless_rows" \
  "parquet/parties.parquet: resource parties-parquet: file hash is
parquet/parties.parquet: resource parties-parquet as a file: hash-count"

# 3. A dangling foreign key: one passage's party_id names no party, in all three formats (rewritten
#    by the project's writer from the edited JSON), with bytes, hash and rows refreshed.
fresh
key=$("$PYTHON" - "$scratch/case/json/passages.json" <<'EOF'
import json, sys
p = sys.argv[1]
rows = json.load(open(p, encoding="utf-8"))
r = next(r for r in rows if r["party_id"])
r["party_id"] = "no-such-party"
json.dump(rows, open(p, "w", encoding="utf-8"), ensure_ascii=False)
print(r["passage_id"])
EOF
) || exit 2
"$scratch/breaktool" rewrite "$scratch/case" passages || exit 2
run_suite "$scratch/case"
expect dangling-fk "duckdb_keys frictionless_validate frictionless_rows" \
  "parquet/passages.parquet: table passages, row passage_id=$key, column party_id: \"no-such-party\" has no match in parties.party_id
csv/passages.csv: table passages, row passage_id=$key, column party_id
json/passages.json: table passages, row passage_id=$key, column party_id
csv/passages.csv: resource passages: foreign-key
json/passages.json: resource passages-json (as a table): foreign-key
parquet/passages.parquet: resource passages-parquet (rows read by pyarrow): foreign-key"

# 4. A wrong Parquet type: elections.parquet's date (date32) written as a string column with the same
#    values and the same field and file metadata, bytes and hash refreshed: only the type is wrong.
fresh
"$venv_bin/python" - "$scratch/case/parquet/elections.parquet" <<'EOF'
import sys
import pyarrow as pa, pyarrow.parquet as pq
p = sys.argv[1]
t = pq.read_table(p)
i = t.schema.get_field_index("date")
assert i >= 0 and t.schema.field(i).type == pa.date32(), "elections.parquet: no date32 column date"
t = t.set_column(i, t.schema.field(i).with_type(pa.string()), t.column(i).cast(pa.string()))
pq.write_table(t, p)
EOF
[ $? -eq 0 ] || exit 2
"$scratch/breaktool" rehash "$scratch/case" || exit 2
run_suite "$scratch/case"
expect parquet-type "duckdb_types gocheck_parquet-go pyarrow_schema pandas_parquet polars fastparquet" \
  "parquet/elections.parquet: table elections, column date: Arrow type string, want date32[day]
parquet/elections.parquet: column date: polars dtype String, want Date
parquet/elections.parquet: column date: fastparquet dtype object, want datetime64[ns]"

# 5. A changed value in one format only: the first party's name in parties.parquet, schema and
#    metadata kept, bytes and hash refreshed. Every reader of the Parquet file must see it differ from
#    the JSON copy.
fresh
party=$("$venv_bin/python" - "$scratch/case/parquet/parties.parquet" <<'EOF'
import sys
import pyarrow as pa, pyarrow.parquet as pq
p = sys.argv[1]
t = pq.read_table(p)
i = t.schema.get_field_index("name")
names = t.column(i).to_pylist()
names[0] += " (changed)"
t = t.set_column(i, t.schema.field(i), pa.array(names, pa.string()))
pq.write_table(t, p)
print(t.column("party_id")[0].as_py())
EOF
) || exit 2
"$scratch/breaktool" rehash "$scratch/case" || exit 2
run_suite "$scratch/case"
expect parquet-value "duckdb_equality pyarrow_values pandas_parquet polars fastparquet" \
  "parquet/parties.parquet (pyarrow): table parties, row 1 (party_id=$party), column name
parquet/parties.parquet (pandas.read_parquet): table parties, row 1 (party_id=$party), column name
parquet/parties.parquet (polars): table parties, row 1 (party_id=$party), column name
parquet/parties.parquet (fastparquet): table parties, row 1 (party_id=$party), column name"

# 6. A CSV row that lost its last cell, bytes and hash refreshed: csvclean 2.x names the line.
fresh
"$PYTHON" - "$scratch/case/csv/scores.csv" <<'EOF'
import sys
p = sys.argv[1]
lines = open(p, encoding="utf-8").read().split("\n")
assert len(lines) > 2 and "," in lines[1], "scores.csv: no data row to cut"
lines[1] = lines[1][: lines[1].rindex(",")]
open(p, "w", encoding="utf-8").write("\n".join(lines))
EOF
[ $? -eq 0 ] || exit 2
"$scratch/breaktool" rehash "$scratch/case" || exit 2
run_suite "$scratch/case"
expect short-row "csvkit duckdb_types pandas frictionless_validate" \
  "csv/scores.csv: csvclean 2.2.0 exit 1: line_number,msg"

# 7. No licence in the DCAT metadata (DCAT-AP-NL requires one per distribution).
if [ -f "$base/dcat.jsonld" ]; then
  fresh
  "$PYTHON" - "$scratch/case/dcat.jsonld" <<'EOF'
import json, sys
p = sys.argv[1]
doc = json.load(open(p, encoding="utf-8"))
removed = 0
def strip(x):
    global removed
    if isinstance(x, dict):
        for k in [k for k in x if k in ("dct:license", "dcterms:license", "license", "http://purl.org/dc/terms/license")]:
            del x[k]
            removed += 1
        for v in x.values():
            strip(v)
    elif isinstance(x, list):
        for v in x:
            strip(v)
strip(doc)
assert removed, "dcat.jsonld has no dct:license to remove"
json.dump(doc, open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
EOF
  [ $? -eq 0 ] || exit 2
  run_suite "$scratch/case"
  want="dcat_dcat-ap-nl-3 pyshacl_dcat-ap-nl-3"
  # DCAT-AP 3.0.1 does not require a licence; if its shapes object too, that is also right.
  statuses | grep -q '^FAIL dcat dcat-ap-3$' && want="$want dcat_dcat-ap-3 pyshacl_dcat-ap-3"
  expect no-licence "$want" "license
Minimally 1 values are expected for license"
  # 7b. The two SHACL engines disagree: the same copy, with a stand-in `node` first on PATH whose
  #     validate.mjs always says "0 violation(s)" (every other script runs the real node). pyshacl still
  #     finds the missing licences, so the comparison must fail and print both reports.
  mkdir -p "$scratch/fakenode"
  cat >"$scratch/fakenode/node" <<EOF
#!/bin/sh
case "\$1" in
  *validate.mjs) echo "stand-in validate.mjs: 0 violation(s), 0 warning(s), 0 info(s); focus nodes validated: 1 dcat:Dataset, 1 dcat:Distribution"; exit 0 ;;
esac
exec $(command -v node) "\$@"
EOF
  chmod +x "$scratch/fakenode/node"
  PATH="$scratch/fakenode:$PATH" "$venv_bin/python" "$here/shacl_check.py" --vocab "$root/../shared/vocab" \
    "$scratch/case/dcat.jsonld" >"$scratch/out.txt" 2>"$scratch/err.txt"
  expect engines-disagree "pyshacl_dcat-ap-nl-3" "pyshacl and rdf-validate-shacl disagree: pyshacl says does not conform, rdf-validate-shacl says conforms
Results (
rdf-validate-shacl (tools/shacl/validate.mjs, exit 0):
stand-in validate.mjs: 0 violation(s)"
else
  echo "skip break no-licence, engines-disagree: $src has no dcat.jsonld"
fi

# 8. A wrong dcat namespace in the @context: every node keeps its properties but none has a class the
#    SHACL shapes target, so without the focus-node check both profiles would pass with 0 violations.
if [ -f "$base/dcat.jsonld" ]; then
  fresh
  "$PYTHON" - "$scratch/case/dcat.jsonld" <<'EOF'
import json, sys
p = sys.argv[1]
doc = json.load(open(p, encoding="utf-8"))
ctx = doc.get("@context")
assert isinstance(ctx, dict) and ctx.get("dcat") == "http://www.w3.org/ns/dcat#", \
    'dcat.jsonld has no inline @context mapping "dcat" to http://www.w3.org/ns/dcat#'
ctx["dcat"] = "http://www.w3.org/ns/dcat/"
json.dump(doc, open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
EOF
  [ $? -eq 0 ] || exit 2
  run_suite "$scratch/case"
  expect wrong-namespace "dcat_dcat-ap-3 dcat_dcat-ap-nl-3 pyshacl_dcat-ap-3 pyshacl_dcat-ap-nl-3" \
    "focus nodes validated: 0 dcat:Dataset, 0 dcat:Distribution
no node is typed http://www.w3.org/ns/dcat#Dataset
no node is typed http://www.w3.org/ns/dcat#Distribution
http://www.w3.org/ns/dcat/Dataset
no node of dcat.jsonld is typed dcat:Dataset or dcat:Distribution"
else
  echo "skip break wrong-namespace: $src has no dcat.jsonld"
fi

# 9. A number beyond 2^53 in dcat.jsonld: JSON allows it, JavaScript rounds it. The two SHACL engines
#    both accept the value they read, but a harvester built on rdflib reads another graph than the one
#    jsonld.js validated.
if [ -f "$base/dcat.jsonld" ]; then
  fresh
  "$PYTHON" - "$scratch/case/dcat.jsonld" <<'EOF'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
m = re.search(r'("dcat:byteSize": \{\s*"@type": "xsd:nonNegativeInteger",\s*"@value": )"[0-9]+"', s)
assert m, "dcat.jsonld has no dcat:byteSize as a typed string"
open(p, "w", encoding="utf-8").write(s[: m.start()] + m.group(1) + "9007199254740993" + s[m.end():])
EOF
  [ $? -eq 0 ] || exit 2
  run_suite "$scratch/case"
  expect big-number "rdflib" \
    '"9007199254740993"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>
"9007199254740992"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>'
else
  echo "skip break big-number: $src has no dcat.jsonld"
fi

# 10. A row edited without a changelog entry: a copy of DIR and of its previous release (beside DIR),
#     one passage's text changed in the new copy in all three formats (datapackage.json refreshed),
#     changes.json untouched. daff, comparing the two by primary key, must find the unlisted change.
prev=""
if [ -f "$base/changes.json" ]; then
  prev=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("previous") or "")' "$base/changes.json")
fi
if [ -n "$prev" ] && [ -d "$(dirname "$src")/v$prev" ]; then
  rm -rf "$scratch/pair"
  mkdir "$scratch/pair"
  cp -r "$(dirname "$src")/v$prev" "$scratch/pair/old"
  cp -r "$base" "$scratch/pair/new"
  key=$("$PYTHON" - "$scratch/pair/old/json/passages.json" "$scratch/pair/new/json/passages.json" "$scratch/pair/new/changes.json" <<'EOF'
import json, sys
old = {r["passage_id"] for r in json.load(open(sys.argv[1], encoding="utf-8"))}
p = sys.argv[2]
rows = json.load(open(p, encoding="utf-8"))
ch = next(t for t in json.load(open(sys.argv[3], encoding="utf-8"))["tables"] if t["table"] == "passages")
listed = {m["key"] for m in ch["modified_rows"]} | set(ch["moved_keys"])
r = next(r for r in rows if r["passage_id"] in old and r["passage_id"] not in listed)
r["text"] += " (edited)"
json.dump(rows, open(p, "w", encoding="utf-8"), ensure_ascii=False)
print(r["passage_id"])
EOF
  ) || exit 2
  "$scratch/breaktool" rewrite "$scratch/pair/new" passages || exit 2
  run_suite "$scratch/pair/old" "$scratch/pair/new"
  expect daff-unlogged "daff" \
    "table passages: daff finds row passage_id=$key modified (text), changes.json lists it neither as modified nor as moved"
else
  echo "skip break daff-unlogged: $src has no previous release beside it"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
