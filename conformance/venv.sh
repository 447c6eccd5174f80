#!/usr/bin/env bash
# conformance/venv.sh: make sure the suite's Python virtual environment is installed; print its bin/.
#
# The venv is made with the machine's /usr/bin/python3 (Debian's; `apt-get install python3-venv` first
# when its venv module cannot bootstrap pip, which needs root) and holds exactly
# conformance/requirements.txt, installed with `pip install --require-hashes --only-binary :all:`.
# It lives in a cache shared by every clone on the machine:
#   ${STANDPUNTEN_CONFORMANCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/standpunten-conformance}/venv-KEY
# (conformance/.cache/standpunten-conformance when neither XDG_CACHE_HOME nor HOME is set)
# where KEY is a hash of requirements.txt and the Python version, so a changed requirements.txt (or
# Python) gets a new venv; the others are then removed. A venv counts only once its install finished
# (the .complete file); a lock keeps two runs from building one at the same time. Setup messages go to
# stderr; exit status 0 and the bin/ folder on stdout, or 2 when setup failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
PYTHON=/usr/bin/python3
requirements="$here/requirements.txt"
user_cache=${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}}
cache=${STANDPUNTEN_CONFORMANCE_CACHE:-${user_cache:-$here/.cache}/standpunten-conformance}

fail() {
  echo "conformance: setup failed: $*" >&2
  exit 2
}

# apt_install PKG...: install Debian packages (needs root), non-interactively.
apt_install() {
  echo "setup: apt-get install $*" >&2
  [ "$(id -u)" -eq 0 ] || fail "$* missing; install them (as root): apt-get install $*"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"; } >&2 </dev/null ||
    fail "apt-get install $*"
}

if [ ! -x "$PYTHON" ] || ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
  apt_install python3 python3-venv
fi
[ -f "$requirements" ] || fail "$requirements is missing"
key=$({ "$PYTHON" -VV && cat "$requirements"; } | sha256sum | cut -c1-16)
venv="$cache/venv-$key"
mkdir -p "$cache" || fail "cannot create $cache"
(
  flock 9 || exit 2
  [ -f "$venv/.complete" ] && exit 0
  echo "setup: python venv $venv from conformance/requirements.txt" >&2
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv" >&2 || exit 2
  "$venv/bin/pip" install --disable-pip-version-check --no-input --quiet --progress-bar off \
    --require-hashes --only-binary :all: -r "$requirements" >&2 || exit 2
  touch "$venv/.complete"
  for old in "$cache"/venv-*; do
    [ "$old" = "$venv" ] || rm -rf "$old"
  done
) 9>"$cache/lock" || fail "pip install -r conformance/requirements.txt into $venv (needs network access to PyPI)"
echo "$venv/bin"
