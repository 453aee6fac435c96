#!/usr/bin/env bash
# Regenerates Sources/idv-bff/link-order.txt, the order in which the release link (Package.swift) lays out code:
# the functions the server runs from exec through start-up and a proxied load (access log, rate limit, CORS, JWT,
# probes, metrics, and the lean setting), roughly in the order they were first run. Packed together they share
# pages; spread over the 26 MB of code they would each bring 64 KiB or more of neighbours into the process (the
# kernel maps file pages around every fault). scripts/release-build.sh puts every function of the packages in a
# section of its own, so the list moves single functions; the toolchain's and the system's archives (the Swift
# runtime and standard library, Foundation, libevent, OpenSSL) move by the section their objects were compiled into.
#
# First, exactly: a build instrumented with AddressSanitizer's coverage of every function entry (in .build-order)
# goes through the load, and every function of the packages it ran is listed. Then by rounds, for the archives'
# code, which has no coverage: the release binary goes through the load under `perf record -e page-faults -d`, the
# functions holding the faulting addresses are added, and it is relinked. A fault maps its neighbourhood, hiding the
# code beside it until that is moved, so rounds go on until one adds fewer than 10 functions or the round limit is
# reached. Entries the code no longer has are dropped; a function that is not listed still works, it only sits with
# the cold code.
#
# Usage: scripts/link-order.sh [max rounds, default 12] [--fresh: start from an empty list]
# Needs (Debian): linux-perf (run as root), binutils, wrk, nginx libnginx-mod-http-echo, python3, openssl; the
# instrumented build takes about as long as a release build from scratch.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-12}"
order="$PWD/Sources/idv-bff/link-order.txt"
[ "${2:-}" = "--fresh" ] && : >"$order"
unset IDV_BFF_BINARY  # the list belongs to the release binary this package links
# shellcheck source=scripts/loopback-fixture.sh
source scripts/loopback-fixture.sh
# shellcheck source=scripts/https-mock.sh
source scripts/https-mock.sh
binary="$(readlink -f "$binary")"  # as perf names the mapping
token="$(python3 scripts/bench_probe.py jwt "$work")"
helper="python3 scripts/link_order.py"

guarded=(RATE_LIMIT_PER_MINUTE=1000000 RATE_LIMIT_BURST=1000000 CORS_ALLOWED_ORIGINS=https://app.example.com
  CONTACT_POLICY=jwt JWT_JWKS_FILE="$work/jwks.json" JWT_ISSUER=bench JWT_AUDIENCE=idv-bff JWT_ALLOW_NEW_CONTACTS=true)
lean=(LOG_LEVEL=warning RATE_LIMIT_PER_MINUTE=0)
# exercise guarded|lean COMMAND...: one server (COMMAND, which runs the binary) with those settings, through the
# load; it exits on SIGTERM, as the coverage is written at exit.
exercise() {
  local name="$1"; local -n settings="$1"; shift
  env -u SSL_CERT_FILE -u SSL_CERT_DIR CLIENTLOOP_API_KEY=order-key CLIENTLOOP_ORG_ID=order-org \
    CLIENTLOOP_GRAPH_URL="https://localhost:$mock_port/" CLIENTLOOP_CA_FILE="$work/cert.pem" HTTP_HOST=127.0.0.1 \
    HTTP_PORT=0 "${settings[@]}" "$@" >/dev/null 2>"$work/server.log" &
  local runner=$! port="" server
  # perf runs the server as its child; env execs it in place.
  for _ in $(seq 200); do
    server="$(pgrep -P "$runner" || echo "$runner")"
    port="$(listening_port "$server")"
    [ -n "$port" ] && curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "server did not start: $(cat "$work/server.log")" >&2; exit 1; }
  local url="http://127.0.0.1:$port" headers=()
  [ "$name" = guarded ] && headers=(-H "Origin: https://app.example.com" -H "Authorization: Bearer $token")
  wrk -t1 -c1 -d1s -s "$work/post.lua" "${headers[@]}" "$url/idv-session" >/dev/null
  wrk -t1 -c64 -d2s -s "$work/post.lua" "${headers[@]}" "$url/idv-session" >/dev/null
  curl -s -X OPTIONS -H "Origin: https://app.example.com" -H "Access-Control-Request-Method: POST" \
    "$url/idv-session" >/dev/null
  curl -s -X POST -d '{' "$url/idv-session" >/dev/null  # the error path
  for path in readyz healthz metrics; do curl -s "$url/$path" >/dev/null; done
  kill -TERM "$server"
  wait "$runner" || true
}

echo "coverage: instrumented build"
instrumented="$(scripts/release-build.sh .build-order -Xswiftc -sanitize=address \
  -Xswiftc -sanitize-coverage=func,trace-pc-guard -Xcc -fsanitize=address -Xcc -fsanitize-coverage=func,trace-pc-guard)"
mkdir -p "$work/coverage"
for setting in guarded lean; do
  exercise "$setting" env ASAN_OPTIONS="coverage=1:coverage_dir=$work/coverage:detect_leaks=0" "$instrumented"
done
$helper covered "$instrumented" "$work/coverage" >"$work/covered.txt"
echo "coverage: $(wc -l <"$work/covered.txt") functions ran, $($helper merge "$order" "$binary" "$work/covered.txt") added"
rm -f "$binary"
binary="$(readlink -f "$(scripts/release-build.sh)")"

for round in $(seq "$rounds"); do
  : >"$work/faulted.txt"
  for setting in guarded lean; do
    exercise "$setting" perf record --quiet --no-buildid-cache -e page-faults -c 1 -d -o "$work/faults.data" -- "$binary"
    $helper faulted "$work/faults.data" "$binary" >>"$work/faulted.txt"
  done
  added="$($helper merge "$order" "$binary" "$work/faulted.txt")"
  echo "round $round: $added functions added, $(wc -l <"$order") listed"
  if [ "$added" -gt 0 ]; then
    rm -f "$binary"  # relink with the longer list
    scripts/release-build.sh >/dev/null
  fi
  if [ "$added" -lt 10 ]; then break; fi  # (as `[ ] && break`, the last round would end the script with 1)
done
