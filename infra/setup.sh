#!/usr/bin/env bash
# Installs what the local stack and the tests need and is missing: a Python
# virtual environment in ./.venv with moto server and cfn-lint (pinned in
# infra/requirements.txt), checkov in .venv/checkov (pinned in
# infra/requirements-checkov.txt), and, with --browser, Debian's chromium and
# chromium-driver, axe-core and Lighthouse for the browser tests.
# Re-running it is cheap: it installs
# only what is missing or changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
req="$root/infra/requirements.txt"

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
# need_npm: Debian's nodejs and npm, installed when missing.
need_npm() {
  if ! command -v npm >/dev/null; then
    echo "Installing Debian's nodejs and npm for axe-core and Lighthouse …"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
  fi
}
if [ "${1:-}" = "--browser" ] && [ ! -f "$root/target/axe/node_modules/axe-core/axe.min.js" ]; then
  need_npm
  echo "Installing axe-core into target/axe …"
  mkdir -p "$root/target/axe"
  npm install --silent --no-audit --no-fund --prefix "$root/target/axe" axe-core@4.10 >/dev/null
fi

# Lighthouse (npm registry, pinned; 12.x runs on the Node.js 18+ Debian
# ships) for the survey page's phone audit, into target/lighthouse; it
# drives Debian's chromium (CHROME_PATH), nothing downloaded besides.
lighthouse_version="12.8.2"
if [ "${1:-}" = "--browser" ] && ! grep -qs "\"version\": \"$lighthouse_version\"" "$root/target/lighthouse/node_modules/lighthouse/package.json"; then
  need_npm
  echo "Installing Lighthouse $lighthouse_version into target/lighthouse …"
  mkdir -p "$root/target/lighthouse"
  npm install --silent --no-audit --no-fund --prefix "$root/target/lighthouse" "lighthouse@$lighthouse_version" >/dev/null
fi

# venv_with DIR REQUIREMENTS PROBE WHAT: a virtual environment at DIR with
# the pinned REQUIREMENTS, made again only when they change (a stamp holds
# their hash) or its PROBE program is missing.
venv_with() {
  local dir="$1" reqs="$2" probe="$3" what="$4" want
  want="$(sha256sum "$reqs" | cut -d' ' -f1)"
  if ! { [ -x "$dir/bin/$probe" ] && [ -f "$dir/.requirements.sha256" ] && [ "$(cat "$dir/.requirements.sha256")" = "$want" ]; }; then
    echo "Installing $what into $dir …"
    python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
    "$dir/bin/pip" install --quiet --disable-pip-version-check -r "$reqs"
    echo "$want" > "$dir/.requirements.sha256"
  fi
}

venv_with "$venv" "$req" moto_server "the local stack's Python tools"

# checkov in a virtual environment of its own inside .venv (its pins of
# boto3 and networkx conflict with moto's and cfn-lint's), run as
# .venv/bin/checkov like the other tools.
venv_with "$venv/checkov" "$root/infra/requirements-checkov.txt" checkov checkov
ln -sfn ../checkov/bin/checkov "$venv/bin/checkov"
