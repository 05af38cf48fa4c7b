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
    # `init` starts the functions' own native release binaries (target/release/<name>)
    cargo build --release --locked -p admin-api -p submit-response -p import-contacts \
      -p send-distribution -p notify-thresholds -p generate-report
    ;;
esac
exec target/release/pulse-bench "${@:-all}"
