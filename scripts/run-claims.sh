#!/usr/bin/env bash
# Runs every experiment in experiments/ (the claims table of experiments/README.md), one after another,
# and writes one combined report, claims.md, beside their run directories. Not part of 'make test'.
# Usage: run-claims.sh <kafka-chaos binary> <distribution> [experiment names...]; KAFKA_IMAGE=<image> runs them on that image instead,
# and SHARD=i/n runs only shard i of n of each file's cells (one CI matrix job each; 'kafka-chaos report merge' combines them).
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="$1"; dist="$2"; shift 2
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for file in "$repo"/experiments/*.yaml; do names+=("$(basename "$file" .yaml)"); done
fi

broker=(--dist "$dist")
[ -z "${KAFKA_IMAGE:-}" ] || broker=(--image "$KAFKA_IMAGE")
shard=()
[ -z "${SHARD:-}" ] || shard=(--shard "$SHARD")
out="$repo/runs/claims-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out"
report="$out/claims.md"
{
  echo "# Claims, measured $(date -u +%Y-%m-%d) on $(nproc) cores, broker: ${broker[*]}${SHARD:+, shard $SHARD}"
  echo
  echo "| experiment | exit | verdict line | run directory |"
  echo "|---|---|---|---|"
} > "$report"

status=0
details=""
for name in "${names[@]}"; do
  echo "claims: $name" >&2
  log="$out/$name.log"
  "$cli" run "$repo/experiments/$name.yaml" "${broker[@]}" "${shard[@]}" --runs-dir "$out/$name" > "$log" 2>&1
  code=$?
  [ $code -eq 0 ] || status=1
  run_dir="$(ls -d "$out/$name"/*/ 2>/dev/null | head -1)"
  verdict="$(grep -a 'verdict: ' "$log" | tail -1 | sed 's/|/\\|/g')"
  echo "| \`$name\` | $code | ${verdict:-no verdict (see $name.log)} | ${run_dir#"$out/"} |" >> "$report"
  if [ -n "$run_dir" ] && [ -f "$run_dir/summary.md" ]; then
    details+=$'\n'"## $name"$'\n\n'"$(cat "$run_dir/summary.md")"$'\n'
  fi
done

printf '%s\n' "$details" >> "$report"
echo "claims: $report" >&2
exit $status
