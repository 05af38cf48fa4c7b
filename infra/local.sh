#!/usr/bin/env bash
# Starts the whole Pulse stack on this machine: installs what is missing,
# builds, starts moto server, creates the template's resources on it and
# serves the routes on http://127.0.0.1:${PULSE_PORT:-3000}. Ctrl-C stops it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/infra/setup.sh"
cd "$root"
export PULSE_PYTHON="$root/.venv/bin/python"
exec cargo run --quiet -p pulse-local --bin pulse-local
