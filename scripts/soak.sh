#!/usr/bin/env bash
# Soak: drives mixed traffic (mints, validation errors, ClientLoop errors, rate-limited clients) through the release
# build against the fake ClientLoop over TLS, in three equal phases, and reports the server's resident memory and
# open descriptors after each, then stops it with SIGTERM. Fails when the three readings differ by more than 10 %,
# or when the server does not exit 0 or reports a sanitizer finding.
# Usage: scripts/soak.sh [seconds per phase, default 15] [connections, default 32]
# IDV_BFF_BINARY=path soaks that build. Traffic stays on 127.0.0.1; every phase is bounded by its duration.
# IDV_BFF_SANITIZED=1 (scripts/sanitize.sh) skips the memory check: AddressSanitizer's quarantine keeps freed memory.
set -euo pipefail
cd "$(dirname "$0")/.."
phase_seconds="${1:-15}"
connections="${2:-32}"
fake_api_key=soak-key
# shellcheck source=scripts/loopback-fixture.sh
source scripts/loopback-fixture.sh

# Clients are told apart by X-Forwarded-For from the trusted loopback proxy: a thousand ordinary ones stay under
# the limit, one noisy one is over it nearly all the time.
CLIENTLOOP_API_KEY=soak-key CLIENTLOOP_ORG_ID=soak-org CLIENTLOOP_GRAPH_URL="https://localhost:$fake_port/" \
  CLIENTLOOP_CA_FILE="$work/cert.pem" HTTP_HOST=127.0.0.1 HTTP_PORT=0 LOG_LEVEL=info CONTACT_POLICY=body \
  SHUTDOWN_DELAY_SECONDS=0 PROXY_TRUSTED_CIDRS=127.0.0.1/32 RATE_LIMIT_PER_MINUTE=6000 RATE_LIMIT_BURST=100 CLIENTLOOP_MAX_IN_FLIGHT=100000 \
  "$binary" 2>"$work/server.log" &
server_pid=$!
port="$(wait_for_port "$work/server.log")"

cat >"$work/mixed.lua" <<'LUA'
-- One request in ten of each kind but mints, which are six in ten.
local counter = 0
request = function()
  counter = counter + 1
  local kind = counter % 10
  local client = "10.1." .. math.floor(counter % 1000 / 250) .. "." .. (counter % 250)
  local body = '{}'
  if kind == 6 then body = '{"contactId":' end                       -- 400 invalid_json
  if kind == 7 then body = '{"contactId":"fail-server-error"}' end   -- 502 upstream_error
  if kind >= 8 then client = "192.0.2.1" end                          -- mostly 429 rate_limited
  return wrk.format("POST", "/idv-session",
    {["Content-Type"] = "application/json", ["X-Forwarded-For"] = client}, body)
end
LUA

reading() {  # resident memory in KiB and open descriptors of the server
  echo "$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status") $(ls "/proc/$server_pid/fd" | wc -l)"
}

echo "idv-bff $("$binary" --version), $(nproc) cores, 3 phases of ${phase_seconds}s, $connections connections"
read -r rss fds <<<"$(reading)"
echo "idle: RSS ${rss} KiB, ${fds} descriptors"
total=0
readings=()
for phase in 1 2 3; do
  out="$(wrk -t2 -c"$connections" -d"${phase_seconds}s" -s "$work/mixed.lua" "http://127.0.0.1:$port/idv-session")"
  requests="$(echo "$out" | awk '/requests in/ {print $1}')"
  total=$((total + requests))
  read -r rss fds <<<"$(reading)"
  readings+=("$rss")
  echo "phase $phase: $requests requests ($(echo "$out" | awk '/Non-2xx/ {print $5}') non-2xx), RSS ${rss} KiB, ${fds} descriptors"
done
echo "total: $total requests"
curl -sk "https://127.0.0.1:$fake_port/__stats"; echo

# A clean stop: exit status 0, and (under the sanitizers) no report, which LeakSanitizer writes at exit.
kill -TERM "$server_pid"
status=0; wait "$server_pid" || status=$?
if grep -q "Sanitizer" "$work/server.log"; then
  grep -v '^{' "$work/server.log" >&2
  echo "sanitizer findings (above)" >&2
  exit 1
fi
[ "$status" -eq 0 ] || { echo "the server exited $status after SIGTERM" >&2; exit 1; }
echo "stopped with SIGTERM: exit 0${IDV_BFF_SANITIZED:+, no AddressSanitizer or LeakSanitizer report}"
[ -n "${IDV_BFF_SANITIZED:-}" ] && exit 0

# Start (after the first phase has warmed the pools and tables), middle and end must agree within 10 %.
lowest="$(printf '%s\n' "${readings[@]}" | sort -n | head -1)"; highest="$(printf '%s\n' "${readings[@]}" | sort -n | tail -1)"
if [ $((highest * 100)) -gt $((lowest * 110)) ]; then
  echo "RSS not flat: ${readings[*]} KiB" >&2
  exit 1
fi
echo "RSS flat within 10 % over the three phases: ${readings[*]} KiB"
