# Sourced by the scripts: create or refresh ./.venv from pyproject.toml (needs only python3).
# The venv is rebuilt when pyproject.toml changes (a hash stamp lives inside .venv).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"
stamp_now="$(cd "$ROOT" && "$PY" -c 'import hashlib,sys;print(hashlib.sha256(open("pyproject.toml","rb").read()).hexdigest())')"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.mapper-stamp" 2>/dev/null)" != "$stamp_now" ]; then
  echo "setting up $VENV (first run or pyproject.toml changed)..." >&2
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT[dev]" >&2
  echo "$stamp_now" > "$VENV/.mapper-stamp"
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
