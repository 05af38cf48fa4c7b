#!/usr/bin/env bash
# Starts the whole Pulse stack on this machine: installs what is missing,
# builds, starts moto server, creates the template's resources on it and
# serves the routes on http://127.0.0.1:${PULSE_PORT:-3000}. Ctrl-C stops it, and
# so does `kill <pid>` (SIGTERM): cargo run execs pulse-local, so the pid of
# this script is the pid of pulse-local, which stops moto before it exits.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/infra/setup.sh"
cd "$root"
export PULSE_PYTHON="$root/.venv/bin/python"
exec cargo run --quiet -p pulse-local --bin pulse-local
