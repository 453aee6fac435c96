# Sourced by bench.sh, compare.sh and soak.sh: the release binary (or IDV_BFF_BINARY) and a throw-away certificate
# in work (a temporary folder, removed on exit); and, when the caller set fake_api_key (the key it demands), the fake
# ClientLoop over TLS on loopback, on fake_port.
work="$(mktemp -d)"
# Servers started in a command substitution are not this shell's jobs: their callers list them in server_pids.
server_pids=()
trap 'kill "${server_pids[@]}" $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

if [ -n "${IDV_BFF_BINARY:-}" ]; then
  binary="$IDV_BFF_BINARY"
else
  # The binary the image ships (as in the Dockerfile).
  binary="$(scripts/release-build.sh)"
fi

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

wait_for_port() {  # the port from a server's "listening" log line
  for _ in $(seq 100); do
    port="$(grep -o '"message":"listening"[^}]*"port":[0-9]*' "$1" 2>/dev/null | grep -o '[0-9]*$' | head -1 || true)"
    [ -n "$port" ] && { echo "$port"; return; }
    sleep 0.1
  done
  echo "server did not start: $(cat "$1")" >&2; exit 1
}

listening_port() {  # listening_port PID: the port PID listens on, from the kernel (LOG_LEVEL=warning hides the log
  # line); empty if it listens on none yet
  ss -ltnpH 2>/dev/null | awk -v pid="pid=$1," '$0 ~ pid {split($4, a, ":"); print a[2]; exit}'
}

if [ -n "${fake_api_key:-}" ]; then
  "$binary" fake-clientloop --host 127.0.0.1 --port 0 --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" \
    --api-key "$fake_api_key" 2>"$work/fake.log" &
  fake_port="$(wait_for_port "$work/fake.log")"
fi
