#!/usr/bin/env bash
# Measures idv-bff on loopback with wrk: GET /healthz, and POST /idv-session through the fake ClientLoop over TLS.
# Usage: scripts/bench.sh [seconds per run, default 10] [connections, default 64]
# Needs: swift, wrk, openssl, curl. Traffic stays on 127.0.0.1; every run is bounded by its duration.
# IDV_BFF_BINARY=path measures that build instead of building this tree (to compare two revisions).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
connections="${2:-64}"
fake_api_key=bench-key
# shellcheck source=scripts/loopback-fixture.sh
source scripts/loopback-fixture.sh

# One client hammering one endpoint is what the abuse limits exist to stop: lift them, or the run measures 429s.
CLIENTLOOP_API_KEY=bench-key CLIENTLOOP_ORG_ID=bench-org CLIENTLOOP_GRAPH_URL="https://localhost:$fake_port/" \
  CLIENTLOOP_CA_FILE="$work/cert.pem" HTTP_HOST=127.0.0.1 HTTP_PORT=0 LOG_LEVEL=info \
  RATE_LIMIT_PER_MINUTE=0 CLIENTLOOP_MAX_IN_FLIGHT=100000 \
  "$binary" 2>"$work/server.log" &  # info level: the access log is part of the cost
port="$(wait_for_port "$work/server.log")"

cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{}'  -- a new contact: what the default contact policy serves
wrk.headers["Content-Type"] = "application/json"
LUA

echo "idv-bff $("$binary" --version), $(nproc) cores, ${duration}s per run, $connections connections"
echo "== GET /healthz"
wrk -t2 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$port/healthz" | grep -E 'Requests/sec|Latency |99%|Non-2xx|errors'
echo "== POST /idv-session (through the fake ClientLoop over TLS)"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/idv-session" | grep -E 'Requests/sec|Latency |99%|Non-2xx|errors'
echo "== fake ClientLoop counters (handshakes show connection reuse)"
curl -sk "https://127.0.0.1:$fake_port/__stats"; echo
