#!/usr/bin/env bash
# Runs every check: installs what is missing (Python tools, Chromium), lints
# the template (cfn-lint) and checks its security settings (checkov, with
# the reviewed skips of infra/checkov.yaml), then runs the unit tests of
# every crate, the end-to-end tests (each starts its own emulator) and the
# browser tests (screenshots in target/test-artifacts/). Ends with one
# summary line: "tests: N passed, M failed".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/infra/setup.sh" --browser
cd "$root"
export PULSE_PYTHON="$root/.venv/bin/python"

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
set -e
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
