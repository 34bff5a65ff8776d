#!/bin/bash
# Runs Microsoft's parser (kql-check, see /work/shared/tools/kql-check) over
# every case: valid cases must pass --syntax-only; invalid ones must fail
# (syntax-only, or else full analysis against the MDE schema).
# usage: check.sh /path/to/kql-check/check.js /path/to/mde-tables.json
set -u
check=$1; schema=$2; dir=$(dirname "$0"); tmp=$(mktemp -d)
split() { awk -v out="$tmp/$2" 'BEGIN{n=-1} /^\/\/ ==== /{n++; f=sprintf("%s_%03d.kql", out, n); next} n>=0{print > f}' "$1"; }
split "$dir/valid.kql" valid; split "$dir/invalid.kql" invalid
ok=0; bad=0; rej=0; acc=0
for f in "$tmp"/valid_*.kql; do
  if node "$check" --syntax-only "$f" >/dev/null; then ok=$((ok+1)); else bad=$((bad+1)); echo "kql-check rejects valid case $f"; fi
done
for f in "$tmp"/invalid_*.kql; do
  if node "$check" --syntax-only "$f" >/dev/null && node "$check" --schema "$schema" "$f" >/dev/null; then
    acc=$((acc+1)); echo "kql-check accepts invalid case $f"
  else rej=$((rej+1)); fi
done
echo "valid: $ok accepted, $bad rejected; invalid: $rej rejected, $acc accepted"
rm -rf "$tmp"
