#!/usr/bin/env bash
# Fuzzes the parsers of client input (request bodies, strict JSON, Origin, X-Forwarded-For, header fields through the
# framing rules, error rendering) with libFuzzer and AddressSanitizer, for a bounded time.
# Usage: scripts/fuzz.sh [seconds, default 60]
# Findings (crash-*, leak-*) land in .build-fuzz/findings; reproduce one with `swift run IDVBFFFuzz <file>` (the same
# entry without libFuzzer replays the files it is given).
# The corpus grows in .build-fuzz/corpus, seeded from Fuzz/corpus (commit inputs worth keeping there).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
# shellcheck source=scripts/instrumented-build.sh
source scripts/instrumented-build.sh
fuzzer="$(instrumented_build IDVBFFFuzz)"
mkdir -p .build-fuzz/corpus .build-fuzz/findings
cp -n Fuzz/corpus/* .build-fuzz/corpus/ 2>/dev/null || true
"$fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=10 -print_final_stats=1 \
  -artifact_prefix=.build-fuzz/findings/ .build-fuzz/corpus
