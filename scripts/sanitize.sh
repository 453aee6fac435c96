#!/usr/bin/env bash
# The soak's mixed traffic through a build instrumented with AddressSanitizer and LeakSanitizer (Swift code and the
# C shim), then a SIGTERM stop, at which LeakSanitizer checks the heap. Fails on any report or a non-zero exit.
# (valgrind 3.19 cannot read the DWARF 5 debug information of Swift 6.3 binaries, hence the sanitizers.)
# Usage: scripts/sanitize.sh [seconds per phase, default 10] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/instrumented-build.sh
source scripts/instrumented-build.sh
IDV_BFF_BINARY="$(instrumented_build idv-bff)"
export IDV_BFF_BINARY IDV_BFF_SANITIZED=1
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=1"
exec bash scripts/soak.sh "${1:-10}" "${2:-16}"
