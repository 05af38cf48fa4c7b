#!/usr/bin/env bash
# Prints the binary name of every Lambda function of template.yaml, one a
# line, in template order: each `AWS::Serverless::Function` resource's
# `Metadata.BuildProperties.Binary` (its crate is functions/<binary>). The
# template is the one list of functions; the scripts read it here, with awk
# so that they need no build (the local stack reads it with
# infra/src/template.rs, and a unit test there checks both agree).
# Usage: ./infra/functions.sh [template.yaml]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
template="${1:-$root/template.yaml}"
[ -r "$template" ] || { echo "functions.sh: $template cannot be read" >&2; exit 1; }
# Block-style YAML as the template is written: a resource is a key one level
# under `Resources:`; its `Type:` and `Binary:` may come in any order.
awk '
  function value(line) {
    sub(/^[^:]*:[ \t]*/, "", line); sub(/[ \t]+#.*$/, "", line); sub(/[ \t]+$/, "", line)
    gsub(/^["\047]|["\047]$/, "", line)
    return line
  }
  function flush() {
    if (type == "AWS::Serverless::Function") {
      if (binary == "") { printf "template.yaml: %s has no Metadata.BuildProperties.Binary\n", id > "/dev/stderr"; failed = 1 }
      else print binary
    }
    id = ""; type = ""; binary = ""
  }
  /^[ \t]*(#.*)?$/ { next }
  /^[^ \t]/ { flush(); in_resources = ($0 ~ /^Resources:[ \t]*(#.*)?$/); indent = 0; next }
  !in_resources { next }
  {
    match($0, /^ */); depth = RLENGTH
    if (indent == 0) indent = depth
    if (depth == indent) { flush(); id = $0; sub(/^ */, "", id); sub(/:.*$/, "", id); next }
    if (depth == 2 * indent && $0 ~ /^ *Type:/) type = value($0)
    else if ($0 ~ /^ *Binary:/) binary = value($0)
  }
  END { flush(); exit failed }
' "$template"
