#!/usr/bin/env bash
# Runs the Python tools' tests, each tool in its own pinned virtual environment. An environment
# is (re)built when it is missing or when its requirements file changed since it was built.
set -euo pipefail
cd "$(dirname "$0")"

ensure_venv() {
  local venv=$1 requirements=$2
  local stamp="$venv/.requirements.sha256"
  local want
  want=$(sha256sum "$requirements" | cut -d' ' -f1)
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "tools: installing $requirements into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: \
      -r "$requirements"
    echo "$want" >"$stamp"
  fi
}

ensure_venv .venv jetsim/requirements.lock
.venv/bin/python -m pytest jetsim/tests -q -p no:cacheprovider
# tools/pretrain's image builder needs only numpy; torch stays out of CI.
.venv/bin/python -m pytest pretrain/test_jet_images.py -q -p no:cacheprovider
