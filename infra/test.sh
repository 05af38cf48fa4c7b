#!/usr/bin/env bash
# Runs every test: installs what is missing, then the unit tests of every
# crate and the end-to-end tests (each starts its own emulator), then lints
# the template.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/infra/setup.sh"
cd "$root"
export MOTO_SERVER="$root/.venv/bin/moto_server"
cargo test --workspace --locked "$@"
echo "Linting template.yaml with cfn-lint …"
"$root/.venv/bin/cfn-lint" template.yaml
echo "cfn-lint: no errors"
