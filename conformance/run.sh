#!/usr/bin/env bash
# conformance/run.sh DIR...: read published folders with the tools our users use, and check them.
#
# DIR is a release folder (output/releases/vX.Y.Z/, with datapackage.json and maybe dcat.jsonld) or a
# build folder (parquet/, csv/, json/ only). For each DIR:
#   duckdb.mjs             DuckDB (@duckdb/node-api): files, types, row counts, keys, Parquet = CSV = JSON
#   pandas_check.py        pandas: every CSV with the schema's dtypes, equal to the JSON
#   csvkit                 csvclean (csvkit 2.x): no structural errors in any CSV
#   gocheck                Frictionless v1 profiles and resource contract, bytes/hash, parquet-go = arrow-go
#   frictionless_check.py  frictionless-py: `frictionless validate` with the data, and the rows it cannot read
#   parquet_check.py       pyarrow (types, metadata, row groups, statistics), pandas, polars, fastparquet
#                          read every Parquet file to the JSON copy's values
#   shacl_check.py         dcat.jsonld against DCAT-AP 3.0.1 and DCAT-AP-NL 3.0 with rdf-validate-shacl
#                          (tools/shacl/validate.mjs) and pyshacl, same verdict; rdflib reads the graph
#                          jsonld.js reads (only if dcat.jsonld)
# then once:
#   daff_check.py          daff, by primary key, between each release and its previous one among the
#                          DIRs: the rows added, removed and modified are those of its changes.json
#   readme.mjs             the README's "### Load the data" snippets (unless --no-readme; when
#                          output/latest exists)
#   browser.mjs            the release pages in Debian's Chromium (playwright-core, axe-core): every DIR
#                          that has index.html, output/index.html, and an XSS test release built from
#                          conformance/xss/raw (unless --no-browser, as break_test.sh runs it);
#                          screenshots to $STANDPUNTEN_SCREENSHOTS (default conformance/.cache/screenshots)
#
# Setup is idempotent and cached: npm ci (only when a package-lock.json changed), and the Python venv
# of conformance/venv.sh (conformance/requirements.txt, pinned with hashes, in a cache shared by the
# machine's clones; rebuilt when requirements.txt changes).
# Every check prints `ok …` or `FAIL …` (details indented); the last line is `N passed, M failed`.
# Exit status: 0 when nothing failed, 1 otherwise, 2 on a usage or setup error.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cache="$here/.cache"

readme=true
browser=true
while [ $# -gt 0 ]; do
  case "$1" in
    --no-readme) readme=false ;;
    --no-browser) browser=false ;; # break_test.sh: its cases damage files, not pages
    *) break ;;
  esac
  shift
done
if [ $# -eq 0 ]; then
  echo "usage: conformance/run.sh [--no-readme] [--no-browser] DIR..." >&2
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
venv_bin=$("$here/venv.sh") || exit 2
PYTHON="$venv_bin/python"
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

# csvkit DIR: csvclean (csvkit 2.x, from the venv) on every CSV file, in a scratch folder so that
# nothing is left behind. csvclean 2.x checks nothing unless asked: `csvclean --length-mismatch FILE`
# (rows longer or shorter than the header) writes the CSV to stdout (discarded) and, when it finds
# errors, a CSV report with a line_number,msg,… header on stderr, and exits 1. A non-zero exit or
# such a report is a failure. Another major version is a failure too, so that an unknown csvclean
# never passes silently (1.x's `-n` dry run is gone in 2.x).
csvkit_check() {
  local dir=$1 tmp n=0 bad=0 f out status details="" version
  version=$("$venv_bin/csvclean" --version 2>&1 | head -1)
  if ! printf '%s\n' "$version" | grep -qE '^csvclean 2\.'; then
    echo "FAIL csvkit: cannot check with this csvclean (\`csvclean --version\` says \"$version\"); conformance/requirements.txt pins csvkit 2.x"
    return
  fi
  tmp=$(mktemp -d)
  for f in "$dir"/csv/*.csv; do
    [ -e "$f" ] || continue
    n=$((n + 1))
    out=$(cd "$tmp" && "$venv_bin/csvclean" --length-mismatch "$f" 2>&1 >/dev/null)
    status=$?
    if [ $status -ne 0 ] || printf '%s\n' "$out" | grep -qE '^(label,)?line_number,msg'; then
      bad=$((bad + 1))
      details+="  csv/$(basename "$f"): $version exit $status: $(printf '%s' "$out" | head -5 | tr '\n' '|')"$'\n'
    fi
    rm -f "$tmp"/*
  done
  rm -rf "$tmp"
  if [ $n -eq 0 ]; then
    echo "FAIL csvkit: no CSV files in $dir/csv"
  elif [ $bad -eq 0 ]; then
    echo "ok csvkit: $n CSV files, $version --length-mismatch finds no structural errors"
  else
    echo "FAIL csvkit: $bad of $n CSV files have structural errors ($version)"
    printf '%s' "$details"
  fi
}

schemas_dir="$root/schemas"
vocab="$root/../shared/vocab"
for d in "${dirs[@]}"; do
  echo "== $d"
  out=$(cd "$root" && node "$here/duckdb.mjs" --schemas "$schemas_dir" "$d" 2>&1); tally duckdb $? "$out"
  out=$(cd "$root" && "$PYTHON" "$here/pandas_check.py" --schemas "$schemas_dir" "$d" 2>&1); tally pandas $? "$out"
  out=$(csvkit_check "$d"); tally csvkit 0 "$out"
  out=$(cd "$root" && "$cache/gocheck" -vocab "$vocab" "$d" 2>&1); tally gocheck $? "$out"
  out=$(cd "$root" && "$PYTHON" "$here/frictionless_check.py" --schemas "$schemas_dir" "$d" 2>&1); tally frictionless $? "$out"
  out=$(cd "$root" && "$PYTHON" "$here/parquet_check.py" --schemas "$schemas_dir" "$d" 2>&1); tally parquet $? "$out"
  if [ -f "$d/dcat.jsonld" ]; then
    out=$(cd "$root" && "$PYTHON" "$here/shacl_check.py" --vocab "$vocab" "$d/dcat.jsonld" 2>&1); tally dcat $? "$out"
  else
    echo "skip dcat, pyshacl, rdflib: no dcat.jsonld"
  fi
done

echo "== releases"
out=$(cd "$root" && "$PYTHON" "$here/daff_check.py" "${dirs[@]}" 2>&1); tally daff $? "$out"

# The release pages in a browser: Debian's Chromium (installed here when missing, as root) driven by
# playwright-core. Each DIR that has index.html, and the XSS test release: conformance/xss/raw released
# into a scratch folder, whose texts hold markup that the pages must show as text and never run.
if $browser; then
echo "== release pages"
browser_dirs=()
for d in "${dirs[@]}"; do [ -f "$d/index.html" ] && browser_dirs+=("$d"); done
chromium_ok=true
if [ ! -x /usr/bin/chromium ]; then
  echo "setup: apt-get install chromium" >&2
  if [ "$(id -u)" -ne 0 ] || ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; } >&2 </dev/null; then
    echo "FAIL browser: /usr/bin/chromium is missing and could not be installed (as root: apt-get install chromium)"
    failed=$((failed + 1))
    chromium_ok=false
  fi
fi
if $chromium_ok; then
  xss=$(mktemp -d)
  cp -r "$here/xss/raw" "$xss/raw"
  xss_release="$xss/output/releases/v1.0.0"
  if ! out=$(cd "$root" && go run ./cmd/standpunten release --raw "$xss/raw" --out "$xss/output" --date 2026-12-01 2>&1); then
    echo "FAIL browser: the XSS test release (conformance/xss/raw) did not build"
    printf '%s\n' "$out" | tail -20 | sed 's/^/  /'
    failed=$((failed + 1))
  elif [ ! -f "$xss_release/index.html" ]; then
    echo "FAIL browser: the XSS test release has no index.html"
    failed=$((failed + 1))
  else
    shots=${STANDPUNTEN_SCREENSHOTS:-$cache/screenshots}
    index=()
    [ -f "$root/output/index.html" ] && index=(--index "$root/output/index.html")
    out=$(cd "$root" && node "$here/browser.mjs" --screenshots "$shots" --xss "$xss_release" "${index[@]}" "${browser_dirs[@]}" 2>&1); tally browser $? "$out"
    echo "screenshots: $shots"
  fi
  rm -rf "$xss"
fi
fi # $browser

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
