#!/usr/bin/env bash
# Builds the release Lambda artifacts for arm64 (provided.al2023) with
# cargo-lambda, cross-linking with zig: target/lambda/<function>/bootstrap.
# This is the build `sam build --beta-features` runs for each function
# (template.yaml: BuildMethod rust-cargolambda, Binary: <function>).
# cargo-lambda and ziglang come from PyPI into ./.venv-lambda (once).
# Usage: ./infra/build-lambdas.sh [function ...]   (default: every function)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="$root/.venv-lambda"
if [ ! -x "$venv/bin/cargo-lambda" ] || [ ! -x "$venv/bin/python-zig" ]; then
  echo "Installing cargo-lambda and ziglang from PyPI into $venv …"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check cargo-lambda==1.9.2 ziglang==0.17.1
fi
if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx aarch64-unknown-linux-gnu; then
  rustup target add aarch64-unknown-linux-gnu
fi
export PATH="$venv/bin:$PATH"
functions=("$@")
if [ ${#functions[@]} -eq 0 ]; then
  functions=(admin-api submit-response import-contacts send-distribution notify-thresholds generate-report)
fi
args=()
for f in "${functions[@]}"; do args+=(--bin "$f"); done
cargo lambda build --release --arm64 --locked "${args[@]}"
for f in "${functions[@]}"; do
  ls -l "target/lambda/$f/bootstrap"
done
