#!/usr/bin/env bash
# Checks the Dockerfile's runtime stage without a Docker engine: builds the release binary as the build stage does
# (scripts/release-build.sh), makes a Debian bookworm root filesystem with debootstrap (minbase) plus exactly the
# packages and user the runtime stage installs, and inside it with chroot, as that user: the binary needs no library,
# the server starts in demo mode, `idv-bff healthcheck` passes, a demo session is minted, and SIGTERM exits 0.
# Prints the runtime's size (binary and packages). Needs root, debootstrap, curl and a Debian mirror
# (MIRROR, default http://deb.debian.org/debian). Usage: scripts/verify-image.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mirror="${MIRROR:-http://deb.debian.org/debian}"
rootfs="$(mktemp -d)"
chmod 0755 "$rootfs"  # the root directory of the image: every user must be able to enter it
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null || true
  for mount in proc dev; do umount "$rootfs/$mount" 2>/dev/null || true; done
  rm -rf "$rootfs"
}
trap cleanup EXIT

# What the runtime stage installs and runs as, read from the Dockerfile itself so the two cannot drift apart.
runtime_stage="$(sed -n '/^FROM debian:bookworm-slim/,$p' Dockerfile)"
packages="$(echo "$runtime_stage" | grep -o 'install -y --no-install-recommends [^&\\]*' | sed 's/.*recommends //')"
user_uid="$(echo "$runtime_stage" | sed -n 's/^USER \([0-9]*\):.*/\1/p')"
[ -n "$packages" ] && [ -n "$user_uid" ] || { echo "cannot read the runtime stage from the Dockerfile" >&2; exit 1; }

echo "== release build (scripts/release-build.sh)"
binary="$(scripts/release-build.sh)"

echo "== bookworm minbase root filesystem, then: $packages"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
chroot "$rootfs" sh -c "apt-get clean && rm -rf /var/lib/apt/lists/*"  # as in Debian's slim images: no package cache or lists
base_kib="$(du -skx "$rootfs" | cut -f1)"
mount -t proc proc "$rootfs/proc"
mount --bind /dev "$rootfs/dev"
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
# shellcheck disable=SC2086
chroot "$rootfs" sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $packages >/dev/null && apt-get clean && rm -rf /var/lib/apt/lists/*"
chroot "$rootfs" useradd --system --uid "$user_uid" --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin idv-bff
packages_kib=$(( $(du -skx "$rootfs" | cut -f1) - base_kib ))
install -m 0755 "$binary" "$rootfs/usr/local/bin/idv-bff"

echo "== libraries"
# None: the release build is a static PIE (scripts/release-build.sh), so the image needs no shared library and the
# loader relocates nothing at start. A binary that names one, or asks for a program interpreter, was linked some
# other way and would quietly cost the memory the static link saves.
needed="$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
[ -z "$needed" ] || { echo "the binary needs shared libraries it should have linked in: $needed" >&2; exit 1; }
if readelf -lW "$binary" | grep -q INTERP; then echo "the binary asks for a program interpreter" >&2; exit 1; fi
readelf -hW "$binary" | grep -q "DYN (Position-Independent" || { echo "the binary is not position-independent" >&2; exit 1; }
echo "none: a static PIE"

echo "== demo server as uid $user_uid"
port=18480
chroot --userspec="$user_uid:$user_uid" "$rootfs" env -i HTTP_HOST=127.0.0.1 HTTP_PORT=$port \
  /usr/local/bin/idv-bff --demo 2>"$rootfs/tmp/server.log" &
server_pid=$!
for _ in $(seq 100); do grep -q '"message":"listening"' "$rootfs/tmp/server.log" 2>/dev/null && break; sleep 0.1; done
grep -q '"message":"listening"' "$rootfs/tmp/server.log" || { echo "the server did not start: $(cat "$rootfs/tmp/server.log")" >&2; exit 1; }
[ "$(awk '/^Uid:/ {print $2}' "/proc/$server_pid/status")" = "$user_uid" ] || { echo "the server does not run as $user_uid" >&2; exit 1; }
chroot --userspec="$user_uid:$user_uid" "$rootfs" env -i HTTP_PORT=$port /usr/local/bin/idv-bff healthcheck
echo "healthcheck: exit 0"
session="$(curl -sS --fail -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$port/idv-session")"
echo "$session" | grep -q '"token":"' || { echo "no demo session: $session" >&2; exit 1; }
echo "demo session: ${session:0:60}..."
kill -TERM "$server_pid"
status=0; wait "$server_pid" || status=$?
server_pid=""
[ "$status" -eq 0 ] || { echo "exit $status after SIGTERM: $(cat "$rootfs/tmp/server.log")" >&2; exit 1; }
echo "SIGTERM: exit 0"

binary_kib="$(du -k "$rootfs/usr/local/bin/idv-bff" | cut -f1)"
echo "== runtime size: binary $((binary_kib / 1024)) MiB + packages $((packages_kib / 1024)) MiB over minbase = $(((binary_kib + packages_kib) / 1024)) MiB"
