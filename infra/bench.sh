#!/usr/bin/env bash
# Pulse's benchmark command: builds the benchmark in release mode and prints
# this machine's figures (see BENCHMARKS.md for the recorded ones and the
# targets). Usage:
#   ./infra/bench.sh [all|import|send|report|sizes|init|submit|calls]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p pulse-local --bin pulse-bench
case "${1:-all}" in
  all | init)
    # `init` starts the functions' own native release binaries (target/release/<name>),
    # each function of template.yaml (its crate is functions/<name>)
    listed="$(./infra/functions.sh)"
    packages=()
    while read -r f; do packages+=(-p "$f"); done <<<"$listed"
    cargo build --release --locked "${packages[@]}"
    ;;
esac
exec target/release/pulse-bench "${@:-all}"
