#!/usr/bin/env bash
# Instructions per proxied POST /idv-session, counted by valgrind's callgrind: exact and repeatable (within about
# 1 % from run to run), unlike req/s on a noisy machine, and needing no hardware counters (perf stat's
# instructions:u, which virtual machines often lack). The release binary runs under callgrind without its debug
# info (valgrind 3.19 cannot read Swift 6.3's DWARF 5; the symbol table stays, for profiles) against the nginx mock
# of scripts/https-mock.sh; after a warm-up the counters are zeroed, wrk runs, and the counters are dumped, so that
# start-up and shutdown are left out. Prints one line per setting (c=64, c=1, LOG_LEVEL=info, and with the
# protections on as bench.sh has them): requests, instructions, instructions per request.
#
# Usage: scripts/instructions.sh [seconds per setting, default 8]
#   IDV_BFF_BINARY=path   count that build (default: scripts/release-build.sh's)
#   PROFILE_DIR=dir       keep each setting's callgrind file there (callgrind.c64, .c1, .info, .limits, .guarded; read them with
#                         callgrind_annotate)
# Needs (Debian): valgrind nginx libnginx-mod-http-echo wrk openssl python3, and swift to build.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-8}"
# shellcheck source=scripts/loopback-fixture.sh
source scripts/loopback-fixture.sh
# shellcheck source=scripts/https-mock.sh
source scripts/https-mock.sh
strip -g -o "$work/idv-bff" "$binary"

# The lean setting of bench.sh (warnings only, no rate limit, no in-flight cap: the warm-up's last calls may still
# hold slots when the counted run starts).
# The request headers of the setting being counted (the protected ones send an Origin and a token).
headers=()
count() {  # count NAME LABEL CONNECTIONS ENV...: one setting under callgrind
  local name="$1" label="$2" connections="$3" port pid requests total; shift 3
  port="$(free_port)"
  env -u SSL_CERT_FILE -u SSL_CERT_DIR CLIENTLOOP_API_KEY=bench-key CLIENTLOOP_ORG_ID=bench-org \
    CLIENTLOOP_GRAPH_URL="https://localhost:$mock_port/" CLIENTLOOP_CA_FILE="$work/cert.pem" HTTP_HOST=127.0.0.1 \
    HTTP_PORT="$port" LOG_LEVEL=warning RATE_LIMIT_PER_MINUTE=0 CLIENTLOOP_MAX_IN_FLIGHT=100000 "$@" \
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$work/idv-bff" 2>"$work/valgrind.log" \
    >/dev/null &
  pid=$!
  server_pids+=("$pid")
  for _ in $(seq 600); do curl -fs -o /dev/null "http://127.0.0.1:$port/readyz" && break; sleep 0.1; done
  curl -fs -o /dev/null "http://127.0.0.1:$port/readyz" || { cat "$work/valgrind.log" >&2; exit 1; }
  # The warm-up opens the upstream connections and fills the caches the steady state runs with.
  wrk -t1 -c"$connections" -d2s -s "$work/post.lua" "${headers[@]}" "http://127.0.0.1:$port/idv-session" >/dev/null
  callgrind_control --zero "$pid" >/dev/null 2>&1
  wrk -t1 -c"$connections" -d"${duration}s" -s "$work/post.lua" "${headers[@]}" "http://127.0.0.1:$port/idv-session" \
    >"$work/wrk.out"
  callgrind_control --dump "$pid" >/dev/null 2>&1
  kill -TERM "$pid"
  wait "$pid" || true
  if grep -qE "Non-2xx|Socket errors" "$work/wrk.out"; then
    echo "$label: failed requests under callgrind:" >&2
    cat "$work/wrk.out" >&2
    exit 1
  fi
  requests="$(awk '/requests in/ {print $1}' "$work/wrk.out")"
  # The dump is the file with the part number (.1); the plain name holds what ran after it, to the exit.
  total="$(awk '/^summary:/ {print $2}' "$work/callgrind.out".*)"
  printf '%-40s%8d requests %14d instructions %9d per request\n' "$label" "$requests" "$total" $((total / requests))
  if [ -n "${PROFILE_DIR:-}" ]; then
    mkdir -p "$PROFILE_DIR"
    cp "$work/callgrind.out".* "$PROFILE_DIR/callgrind.$name"
  fi
  rm -f "$work/callgrind.out"*
}

count c64 "instructions, c=64:" 64
count c1 "instructions, c=1:" 1
count info "instructions, LOG_LEVEL=info, c=64:" 64 LOG_LEVEL=info
# The protections as bench.sh measures them: rate limit and CORS, then JWT-bound contacts too.
limits=(RATE_LIMIT_PER_MINUTE=1000000 RATE_LIMIT_BURST=1000000 CORS_ALLOWED_ORIGINS=https://app.example.com)
headers=(-H "Origin: https://app.example.com")
count limits "  with rate limit and CORS, c=64:" 64 "${limits[@]}"
token="$(python3 scripts/bench_probe.py jwt "$work")"
headers+=(-H "Authorization: Bearer $token")
count guarded "  with rate limit, CORS and JWT, c=64:" 64 "${limits[@]}" CONTACT_POLICY=jwt \
  JWT_JWKS_FILE="$work/jwks.json" JWT_ISSUER=bench JWT_AUDIENCE=idv-bff JWT_ALLOW_NEW_CONTACTS=true
