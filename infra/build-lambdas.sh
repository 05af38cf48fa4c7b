#!/usr/bin/env bash
# Builds the release Lambda artifacts for arm64 (provided.al2023) with
# cargo-lambda, cross-linking with zig: target/lambda/<function>/bootstrap.
# This is the build `sam build --beta-features` runs for each function
# (template.yaml: BuildMethod rust-cargolambda, Binary: <function>).
# cargo-lambda and ziglang come from PyPI into ./.venv-lambda (once).
# The functions are those of template.yaml (infra/functions.sh lists them).
# Usage: ./infra/build-lambdas.sh [--list | --help | function ...]
#        (default: every function of the template)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
listed="$("$root/infra/functions.sh")"
mapfile -t all <<<"$listed"
case "${1:-}" in
  -h | --help)
    echo "Usage: ./infra/build-lambdas.sh [--list | function ...]"
    echo "Builds target/lambda/<function>/bootstrap (arm64, release) for the given functions of"
    echo "template.yaml, or for all of them: ${all[*]}"
    echo "  --list   prints the functions it would build, one a line, and builds nothing"
    exit 0
    ;;
  --list)
    printf '%s\n' "${all[@]}"
    exit 0
    ;;
esac
for f in "$@"; do
  if ! printf '%s\n' "${all[@]}" | grep -qxF -- "$f"; then
    echo "build-lambdas.sh: $f is not a function of template.yaml (its functions: ${all[*]})" >&2
    exit 2
  fi
done
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
  functions=("${all[@]}")
fi
args=()
for f in "${functions[@]}"; do args+=(--bin "$f"); done
cargo lambda build --release --arm64 --locked "${args[@]}"
for f in "${functions[@]}"; do
  ls -l "target/lambda/$f/bootstrap"
done
