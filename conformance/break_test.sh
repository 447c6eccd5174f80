#!/usr/bin/env bash
# conformance/break_test.sh [DIR]: proof that the conformance suite fails when it should.
#
# Copies DIR (a release or a build folder; default output/latest) to a scratch folder (adding a stand-in datapackage.json
# from conformance/breaktool when DIR has none, so the hash check has something to check), checks that
# the intact copy passes, then breaks one thing per case in a fresh copy and asserts that exactly the
# matching checks of conformance/run.sh fail, with a message that names the file, table, row key and
# column:
#   wrong-type     a CSV cell that is not of its column's type     -> duckdb types, pandas (+ hashes)
#   parquet-byte   one changed byte in the Parquet footer's
#                  created_by                                      -> gocheck hashes only
#   dangling-fk    a passage's party_id points to no party, written
#                  consistently to all three formats               -> duckdb keys only
#   no-licence     every dct:license removed from dcat.jsonld      -> dcat dcat-ap-nl-3 (only when DIR
#                                                                     has dcat.jsonld)
#   wrong-namespace  dcat.jsonld's @context maps "dcat" to
#                  http://www.w3.org/ns/dcat/ (slash, not #), so no
#                  node is a dcat:Dataset or dcat:Distribution     -> dcat dcat-ap-3, dcat dcat-ap-nl-3
#                                                                     (only when DIR has dcat.jsonld)
# Prints one line per case and `N passed, M failed`; exit status 1 when a case did not go as expected.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
PYTHON=/usr/bin/python3

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

# results DIR: run the suite on DIR and print "<ok|FAIL> <check>" per check, then the details.
run_suite() {
  "$here/run.sh" --no-readme "$1" >"$scratch/out.txt" 2>"$scratch/err.txt"
}
statuses() {
  sed -nE 's/^(ok|FAIL) ([^:]*):.*/\1 \2/p' "$scratch/out.txt"
}

# expect CASE "CHECK..." "NEEDLE...": the checks that fail must be exactly CHECKs, and the output must
# contain every NEEDLE (a fixed string).
expect() {
  local name=$1 want=$2 needles=$3 got problems=""
  got=$(statuses | awk '$1 == "FAIL" { $1 = ""; sub(/^ /, ""); print }' | sort | paste -sd, -)
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
expect wrong-type "duckdb_types pandas gocheck_hashes" \
  "csv/elections.csv: table elections, row election_id=TK2023, column date
csv/elections.csv: resource elections: file hash is"

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
expect parquet-byte "gocheck_hashes" \
  "parquet/parties.parquet: resource parties-parquet: file hash is"

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
expect dangling-fk "duckdb_keys" \
  "parquet/passages.parquet: table passages, row passage_id=$key, column party_id: \"no-such-party\" has no match in parties.party_id
csv/passages.csv: table passages, row passage_id=$key, column party_id
json/passages.json: table passages, row passage_id=$key, column party_id"

# 4. No licence in the DCAT metadata (DCAT-AP-NL requires one per distribution).
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
  want="dcat_dcat-ap-nl-3"
  # DCAT-AP 3.0.1 does not require a licence; if its shapes object too, that is also right.
  statuses | grep -q '^FAIL dcat dcat-ap-3$' && want="$want dcat_dcat-ap-3"
  expect no-licence "$want" "license"
else
  echo "skip break no-licence: $src has no dcat.jsonld"
fi

# 5. A wrong dcat namespace in the @context: every node keeps its properties but none has a class the
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
  expect wrong-namespace "dcat_dcat-ap-3 dcat_dcat-ap-nl-3" \
    "focus nodes validated: 0 dcat:Dataset, 0 dcat:Distribution
no node is typed http://www.w3.org/ns/dcat#Dataset
no node is typed http://www.w3.org/ns/dcat#Distribution
http://www.w3.org/ns/dcat/Dataset"
else
  echo "skip break wrong-namespace: $src has no dcat.jsonld"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
