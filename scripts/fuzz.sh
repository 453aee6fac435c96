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
# The C shim is instrumented too (coverage and AddressSanitizer), not only the Swift code.
flags=(--scratch-path .build-fuzz --product IDVBFFFuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
  -Xcc -fsanitize=fuzzer-no-link,address)
swift build "${flags[@]}" 2>&1 | grep -v "Cannot export local symbol" | grep -E "error|warning: [^C]" || true
fuzzer="$(swift build "${flags[@]}" --show-bin-path)/IDVBFFFuzz"
mkdir -p .build-fuzz/corpus .build-fuzz/findings
cp -n Fuzz/corpus/* .build-fuzz/corpus/ 2>/dev/null || true
"$fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=10 -print_final_stats=1 \
  -artifact_prefix=.build-fuzz/findings/ .build-fuzz/corpus
