#!/usr/bin/env bash
# conformance/run.sh DIR...: read published folders with the tools our users use, and check them.
#
# DIR is a release folder (output/releases/vX.Y.Z/, with datapackage.json and maybe dcat.jsonld) or a
# build folder (parquet/, csv/, json/ only). For each DIR:
#   duckdb.mjs        DuckDB (@duckdb/node-api): files, types, row counts, keys, Parquet = CSV = JSON
#   pandas_check.py   pandas (Debian python3): every CSV with the schema's dtypes, equal to the JSON
#   csvkit            csvclean (csvkit 1.x or 2.x): no structural errors in any CSV
#   gocheck           Frictionless v1 profiles and resource contract, bytes/hash, parquet-go = arrow-go
#   dcat              tools/shacl/validate.mjs against DCAT-AP 3.0.1 and DCAT-AP-NL 3.0 (if dcat.jsonld)
# and once (unless --no-readme): readme.mjs runs the README's "### Load the data" snippets (when
# output/latest exists).
#
# Setup is idempotent and cached: npm ci (only when a package-lock.json changed), and Debian's
# python3-pandas and csvkit via apt-get only when missing (needs root; CI runs as root).
# Every check prints `ok …` or `FAIL …` (details indented); the last line is `N passed, M failed`.
# Exit status: 0 when nothing failed, 1 otherwise, 2 on a usage or setup error.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
PYTHON=/usr/bin/python3
cache="$here/.cache"

readme=true
if [ "${1:-}" = "--no-readme" ]; then
  readme=false
  shift
fi
if [ $# -eq 0 ]; then
  echo "usage: conformance/run.sh [--no-readme] DIR..." >&2
  exit 2
fi
dirs=()
for d in "$@"; do
  if [ ! -d "$d" ]; then
    echo "conformance: $d is not a folder" >&2
    exit 2
  fi
  dirs+=("$(cd "$d" && pwd)")
done
need_dcat=false
for d in "${dirs[@]}"; do [ -f "$d/dcat.jsonld" ] && need_dcat=true; done

# --- setup -------------------------------------------------------------------------------------
mkdir -p "$cache"
# npm_ci PREFIX: npm ci unless node_modules was installed from this very package-lock.json.
npm_ci() {
  local prefix=$1 stamp sum
  stamp="$cache/npm-$(echo "$prefix" | tr '/' '_').sha256"
  sum=$(sha256sum "$root/$prefix/package-lock.json" | cut -d' ' -f1) || return 1
  if [ -d "$root/$prefix/node_modules" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then
    return 0
  fi
  echo "setup: npm ci --prefix $prefix" >&2
  (cd "$root" && npm ci --prefix "$prefix" --no-audit --no-fund --loglevel=error >&2) || return 1
  echo "$sum" >"$stamp"
}
if ! npm_ci conformance; then
  echo "conformance: setup failed: npm ci --prefix conformance (needs network access to the npm registry)" >&2
  exit 2
fi
if ! dpkg -s python3-pandas >/dev/null 2>&1 || ! command -v csvclean >/dev/null 2>&1; then
  echo "setup: apt-get install python3-pandas csvkit" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "conformance: python3-pandas and csvkit are missing; install them (as root): apt-get install python3-pandas csvkit" >&2
    exit 2
  fi
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-pandas csvkit; } >&2 </dev/null; then
    echo "conformance: setup failed: apt-get install python3-pandas csvkit" >&2
    exit 2
  fi
fi
if $need_dcat && [ -f "$root/tools/shacl/package-lock.json" ]; then
  if ! npm_ci tools/shacl; then
    echo "conformance: setup failed: npm ci --prefix tools/shacl" >&2
    exit 2
  fi
fi
if ! (cd "$root" && go build -o "$cache/gocheck" ./conformance/gocheck); then
  echo "conformance: setup failed: go build ./conformance/gocheck" >&2
  exit 2
fi

# --- checks ------------------------------------------------------------------------------------
passed=0
failed=0
# tally NAME STATUS OUTPUT: print a checker's output and count its ok/FAIL lines; a checker that
# failed without a FAIL line (a crash) counts as one failure.
tally() {
  local name=$1 status=$2 out=$3 ok fail
  [ -n "$out" ] && printf '%s\n' "$out"
  ok=$(printf '%s\n' "$out" | grep -c '^ok ')
  fail=$(printf '%s\n' "$out" | grep -c '^FAIL ')
  if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then
    echo "FAIL $name: exited with status $status without a result (see the messages above)"
    fail=1
  fi
  passed=$((passed + ok))
  failed=$((failed + fail))
}

# csvkit DIR: csvclean on every CSV file, in a scratch folder so that nothing is left behind. The
# check depends on the installed csvkit major version (`csvclean --version`):
#   1.x (Debian 12 ships 1.0.7): `csvclean -n` (dry run) prints "No errors." or one "Line N: …" per
#        structural error, and exits 0 either way; anything but "No errors.", a non-zero exit or a
#        *_err.csv file left behind is a failure.
#   2.x (newer Debian, pip): -n/--dry-run is gone and csvclean checks nothing unless asked. We run
#        `csvclean --length-mismatch FILE` (rows longer or shorter than the header, 1.x's check): it
#        writes the CSV to stdout (discarded) and, when it finds errors, a CSV report with a
#        line_number,msg header on stderr, and exits 1. A non-zero exit or such a report is a failure.
#        (Written from csvkit 2's documentation and changelog; only 1.x could be run here.)
#   other versions: a failure, so that an unknown csvclean never passes silently.
csvkit_check() {
  local dir=$1 tmp n=0 bad=0 f out status fail details="" version major
  version=$(csvclean --version 2>&1 | head -1)
  major=$(printf '%s\n' "$version" | sed -nE 's/^csvclean ([0-9]+)\..*/\1/p')
  case "$major" in
    1 | 2) ;;
    *)
      echo "FAIL csvkit: cannot check with this csvclean (\`csvclean --version\` says \"$version\"); install csvkit 1.x or 2.x"
      return
      ;;
  esac
  tmp=$(mktemp -d)
  for f in "$dir"/csv/*.csv; do
    [ -e "$f" ] || continue
    n=$((n + 1))
    fail=false
    if [ "$major" = 1 ]; then
      out=$(cd "$tmp" && csvclean -n "$f" 2>&1)
      status=$?
      if [ $status -ne 0 ] || [ "$out" != "No errors." ] || compgen -G "$tmp/*_err.csv" >/dev/null; then
        fail=true
      fi
    else
      out=$(cd "$tmp" && csvclean --length-mismatch "$f" 2>&1 >/dev/null)
      status=$?
      if [ $status -ne 0 ] || printf '%s\n' "$out" | grep -qE '^(label,)?line_number,msg'; then
        fail=true
      fi
    fi
    if $fail; then
      bad=$((bad + 1))
      details+="  csv/$(basename "$f"): $version exit $status: $(printf '%s' "$out" | head -5 | tr '\n' '|')"$'\n'
    fi
    rm -f "$tmp"/*
  done
  rm -rf "$tmp"
  if [ $n -eq 0 ]; then
    echo "FAIL csvkit: no CSV files in $dir/csv"
  elif [ $bad -eq 0 ]; then
    echo "ok csvkit: $n CSV files, $version finds no structural errors"
  else
    echo "FAIL csvkit: $bad of $n CSV files have structural errors ($version)"
    printf '%s' "$details"
  fi
}

# dcat DIR: the SHACL validator of tools/shacl against both profiles.
dcat_check() {
  local dir=$1 profile out status
  if [ ! -f "$root/tools/shacl/validate.mjs" ]; then
    echo "FAIL dcat: $dir has dcat.jsonld but tools/shacl/validate.mjs is missing"
    return
  fi
  for profile in dcat-ap-3 dcat-ap-nl-3; do
    out=$(cd "$root" && node tools/shacl/validate.mjs --profile "$profile" "$dir/dcat.jsonld" 2>&1)
    status=$?
    if [ $status -eq 0 ]; then
      echo "ok dcat $profile: dcat.jsonld has no SHACL violations ($(printf '%s\n' "$out" | tail -1))"
    else
      echo "FAIL dcat $profile: dcat.jsonld: tools/shacl/validate.mjs exited $status"
      printf '%s\n' "$out" | grep -v '^$' | head -40 | sed 's/^/  /'
    fi
  done
}

schemas_dir="$root/schemas"
for d in "${dirs[@]}"; do
  echo "== $d"
  out=$(cd "$root" && node "$here/duckdb.mjs" --schemas "$schemas_dir" "$d" 2>&1); tally duckdb $? "$out"
  out=$(cd "$root" && "$PYTHON" "$here/pandas_check.py" --schemas "$schemas_dir" "$d" 2>&1); tally pandas $? "$out"
  out=$(csvkit_check "$d"); tally csvkit 0 "$out"
  out=$(cd "$root" && "$cache/gocheck" -vocab "$root/../shared/vocab" "$d" 2>&1); tally gocheck $? "$out"
  if [ -f "$d/dcat.jsonld" ]; then
    out=$(dcat_check "$d"); tally dcat 0 "$out"
  else
    echo "skip dcat: no dcat.jsonld"
  fi
done

if ! $readme; then
  :
elif [ -e "$root/output/latest" ]; then
  echo "== README.md"
  out=$(cd "$root" && node "$here/readme.mjs" --python "$PYTHON" README.md 2>&1); tally readme $? "$out"
else
  echo "skip readme: output/latest does not exist yet (the snippets read it)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
