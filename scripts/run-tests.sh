#!/usr/bin/env bash
# Runs the fast tests, then the cluster tests, and prints one closing line with the totals of both.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$repo/.state/test-results"

# An older librdkafka for the test that puts one on the library path (Debian's librdkafka1, which
# 'apt-get install kcat' brings): downloaded and unpacked under .cache, never installed.
old_rdkafka="$repo/.cache/librdkafka1"
if [ ! -f "$old_rdkafka/librdkafka.so.1" ] && command -v apt-get >/dev/null; then
  mkdir -p "$old_rdkafka" && (cd "$old_rdkafka" && { apt-get download -qq librdkafka1 >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get download -qq librdkafka1 >/dev/null 2>&1; }; } \
    && dpkg-deb -x librdkafka1_*.deb unpacked && cp unpacked/usr/lib/*/librdkafka.so.1 . && ln -sf librdkafka.so.1 librdkafka.so \
    && rm -rf unpacked librdkafka1_*.deb) || echo "run-tests: could not fetch Debian's librdkafka1; the test that loads it will say so" >&2
fi
export KAFKA_CHAOS_TEST_OLD_LIBRDKAFKA="$old_rdkafka"
# No test may ask a registry: a test that needs an image the engine lacks is skipped, and the tool itself
# never pulls while the tests run.
export KAFKA_CHAOS_PULL=never
rm -rf "$results" && mkdir -p "$results"

status=0
for project in KafkaChaos.Tests KafkaChaos.ClusterTests; do
  echo "== $project"
  # The soak (an hour) runs in the nightly workflow and with 'make soak', never here.
  dotnet test "$repo/tests/$project" -c Release --no-build --nologo --filter "TestCategory!=Soak&TestCategory!=Shrink" \
    --logger "trx;LogFileName=$project.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" || status=1
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  # NUnit's ignored tests are in total but not executed (notExecuted stays 0).
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(( ${t:-0} - ${e:-0} ))
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
# The failures again, last, so that the tail of a CI log names them.
if [ "$failed" -gt 0 ]; then
  echo "failed tests:"
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    python3 - "$trx" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") != "Failed":
        continue
    message = r.find("t:Output/t:ErrorInfo/t:Message", ns)
    text = " ".join((message.text or "").split()) if message is not None else ""
    if len(text) > 1500:  # the start says what was asserted, the end what the program said last
        text = text[:700] + " [...] " + text[-800:]
    print(f"  {r.get('testName')} ({r.get('duration')}): {text}")
PY
  done
fi
if [ "$passed" -eq 0 ]; then
  echo "no test passed" >&2
  status=1
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
