#!/usr/bin/env bash
# Installs what the local stack and the tests need and is missing: a Python
# virtual environment in ./.venv with moto server and cfn-lint (pinned in
# infra/requirements.txt). Re-running it is cheap: it reinstalls only when
# the requirements change.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
req="$root/infra/requirements.txt"
stamp="$venv/.requirements.sha256"

command -v cargo >/dev/null || { echo "cargo is missing: install Rust from https://rustup.rs" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is missing: install Python 3.11+" >&2; exit 1; }

want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ -x "$venv/bin/moto_server" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "Installing the local stack's Python tools into $venv …"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
echo "$want" > "$stamp"
