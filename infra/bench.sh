#!/usr/bin/env bash
# Pulse's benchmark command: builds the benchmark in release mode and prints
# this machine's figures (see BENCHMARKS.md for the recorded ones and the
# targets). Usage:
#   ./infra/bench.sh [all|import|send|report|sizes|init|submit|calls]
#   ./infra/bench.sh partition [factor] [submissions] [respondents] [shards]
#       one project's ceiling under DynamoDB's per-partition limits (the
#       emulator's partition model at 1/factor against the model off), with
#       one write shard and with `shards` (default 16)
#   ./infra/bench.sh scale [factor] [seconds] [multiple]
#       one project's anonymous link offered `multiple` (default 20) times its
#       unsharded ceiling for `seconds` (default 60) under the partition
#       model at 1/factor (default 20): a baseline, unsharded, spread; each
#       run's budget runs out inside it; exactly once checked
#   ./infra/bench.sh import-e2e [factor] [rows] [unspread rows]
#       a contact file imported through the local stack under the partition
#       model at 1/factor (default 20): `rows` (50,000: a 1,000,000-row file
#       at DynamoDB's limits) spread over the directory's partition keys,
#       `unspread rows` (5,000) with one key for contacts and one for the list
#   --partitions F (before the benchmark's name), or PULSE_PARTITION_FACTOR=F:
#       every emulator the benchmark starts has the partition model on at 1/F
#   PULSE_BENCH_PROFILE=dev: a debug build, to check that a scenario runs
#       (its figures are not the ones to record)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--partitions" ]; then
  export PULSE_PARTITION_FACTOR="${2:?--partitions takes a factor, e.g. 20}"
  shift 2
fi
profile="${PULSE_BENCH_PROFILE:-release}"
target="${CARGO_TARGET_DIR:-target}"
if [ "$profile" = dev ]; then
  cargo build --locked -p pulse-local --bin pulse-bench
  exec "$target/debug/pulse-bench" "${@:-all}"
fi
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
exec "$target/release/pulse-bench" "${@:-all}"
