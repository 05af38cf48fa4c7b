#!/usr/bin/env bash
# Pulse's benchmark command: builds the benchmark in release mode and prints
# this machine's figures (see BENCHMARKS.md for the recorded ones and the
# targets). Usage: ./infra/bench.sh [all|import|sizes]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p pulse-local --bin pulse-bench
exec target/release/pulse-bench "${@:-all}"
