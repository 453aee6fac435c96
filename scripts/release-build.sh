#!/usr/bin/env bash
# The release build the image ships and the benchmarks measure: one static PIE. The Swift runtime, Foundation,
# libevent, OpenSSL, libstdc++ and the C library are all linked in (--static-swift-stdlib, Package.swift's release
# link, and -static-pie here), so no shared library is loaded or relocated at start and only the C library code the
# server calls is mapped; being position-independent, it is still loaded at a random address. glibc refuses a
# static PIE with a run path (SwiftPM adds $ORIGIN), hence --disable-local-rpath. AddressSanitizer cannot run in a
# static executable, so a build with -sanitize= among its arguments (link-order.sh's coverage) keeps the shared C
# library. Every function of every package, C and Swift, is compiled into a section of its own, so that the link
# order (Sources/idv-bff/link-order.txt, recorded by scripts/link-order.sh) places each function the server runs
# instead of the whole file it came from. A package can set these flags only for its own targets; its dependencies
# take them from the command line, hence this script.
# SwiftPM does not recompile what a scratch path already holds when only these flags change: after editing them,
# remove the scratch path.
# Usage: scripts/release-build.sh [scratch path, default .build-static] [more swift build arguments]
# Prints the path of the executable.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${1:-.build-static}"
[ $# -gt 0 ] && shift
flags=(-c release --static-swift-stdlib --disable-local-rpath --scratch-path "$scratch"
  -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections "$@")
[[ " $* " == *" -sanitize="* ]] || flags+=(-Xswiftc -Xclang-linker -Xswiftc -static-pie)
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# A failed build fails the script (an executable left by an earlier build must not pass for this one's).
if ! swift build "${flags[@]}" --product idv-bff >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
# The driver always passes -pie, which -static-pie makes redundant.
grep -E "error|warning: " "$log" | grep -v -e mktemp -e "unused during compilation: '-pie'" >&2 || true
echo "$(swift build "${flags[@]}" --show-bin-path)/idv-bff"
