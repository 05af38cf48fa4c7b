#!/usr/bin/env bash
# Installs what the local stack and the tests need and is missing: a Python
# virtual environment in ./.venv with moto server and cfn-lint (pinned in
# infra/requirements.txt), checkov in .venv/checkov (pinned in
# infra/requirements-checkov.txt), and, with --browser, Debian's chromium and
# chromium-driver for the browser tests. Re-running it is cheap: it installs
# only what is missing or changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
req="$root/infra/requirements.txt"
stamp="$venv/.requirements.sha256"

command -v cargo >/dev/null || { echo "cargo is missing: install Rust from https://rustup.rs" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is missing: install Python 3.11+" >&2; exit 1; }

if [ "${1:-}" = "--browser" ] && ! { command -v chromium >/dev/null && command -v chromedriver >/dev/null; }; then
  echo "Installing Debian's chromium and chromium-driver for the browser tests …"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if ! command -v apt-get >/dev/null || { [ -n "$sudo" ] && ! command -v sudo >/dev/null; }; then
    echo "Please install chromium and chromedriver (Debian: apt-get install chromium chromium-driver)." >&2
    exit 1
  fi
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver
fi

# axe-core (npm registry) for the accessibility checks of the browser tests,
# into target/axe (the tests inject axe.min.js into each page they visit).
if [ "${1:-}" = "--browser" ] && [ ! -f "$root/target/axe/node_modules/axe-core/axe.min.js" ]; then
  if ! command -v npm >/dev/null; then
    echo "Installing Debian's nodejs and npm for axe-core …"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
  fi
  echo "Installing axe-core into target/axe …"
  mkdir -p "$root/target/axe"
  npm install --silent --no-audit --no-fund --prefix "$root/target/axe" axe-core@4.10 >/dev/null
fi

want="$(sha256sum "$req" | cut -d' ' -f1)"
if ! { [ -x "$venv/bin/moto_server" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; }; then
  echo "Installing the local stack's Python tools into $venv …"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
  echo "$want" > "$stamp"
fi

# checkov in a virtual environment of its own inside .venv (its pins of
# boto3 and networkx conflict with moto's and cfn-lint's), run as
# .venv/bin/checkov like the other tools.
checkov_venv="$venv/checkov"
checkov_req="$root/infra/requirements-checkov.txt"
checkov_stamp="$checkov_venv/.requirements.sha256"
want="$(sha256sum "$checkov_req" | cut -d' ' -f1)"
if ! { [ -x "$checkov_venv/bin/checkov" ] && [ -f "$checkov_stamp" ] && [ "$(cat "$checkov_stamp")" = "$want" ]; }; then
  echo "Installing checkov into $checkov_venv …"
  python3 -m venv "$checkov_venv"
  "$checkov_venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
  "$checkov_venv/bin/pip" install --quiet --disable-pip-version-check -r "$checkov_req"
  echo "$want" > "$checkov_stamp"
fi
ln -sfn ../checkov/bin/checkov "$venv/bin/checkov"
