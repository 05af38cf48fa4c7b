#!/usr/bin/env bash
# Runs every check: installs what is missing (Python tools, Chromium), lints
# the template (cfn-lint) and checks its security settings (checkov, with
# the reviewed skips of infra/checkov.yaml), then runs the unit tests of
# every crate, the end-to-end tests (each starts its own emulator) and the
# browser tests (screenshots in target/test-artifacts/), then scans the logs
# every test process wrote (target/test-artifacts/logs/, emptied first) for
# unmasked email addresses. Ends with one summary line: "tests: N passed, M failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/infra/setup.sh" --browser
cd "$root"
export PULSE_PYTHON="$root/.venv/bin/python"
# every test process (and a stack a test starts as a program) logs to a file
# of its own here; only this run's logs are scanned
export PULSE_LOG_DIR="$root/target/test-artifacts/logs"
rm -rf "$PULSE_LOG_DIR"
mkdir -p "$PULSE_LOG_DIR"

echo "Linting template.yaml with cfn-lint …"
"$root/.venv/bin/cfn-lint" template.yaml
echo "cfn-lint: no errors"

echo "Checking template.yaml with checkov (reviewed skips in infra/checkov.yaml) …"
"$root/.venv/bin/checkov" --config-file infra/checkov.yaml -f template.yaml
echo "checkov: no findings"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
cargo test --workspace --locked "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
echo "Scanning the tests' logs in $PULSE_LOG_DIR for unmasked email addresses …"
cargo test -p pulse-tests --test logscan --locked -- --ignored 2>&1 | tee -a "$log"
scan=${PIPESTATUS[0]}
[ "$status" -ne 0 ] || status=$scan
set -e
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
