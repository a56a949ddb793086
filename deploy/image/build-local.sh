#!/usr/bin/env bash
# Builds Ward's image on a machine that cannot pull base images (CI here): the
# Containerfile's final stage exactly as written, with the image root laid out from a
# local build instead of the Containerfile's builder stage.
#
#   deploy/image/build-local.sh [TAG]      (default ward:local; needs podman, run as root)
#
# Then it runs the image's root filesystem as the image's user, in a chroot (podman cannot
# start containers on this machine: crun's setrlimit is refused, "OCI permission
# denied"), checks that `server healthcheck` says healthy while Ward serves on it and
# unhealthy once Ward has stopped.
#
# The binary is the debug build the tests already made, linked again statically
# (glibc, `-C target-feature=+crt-static`, only the binary crate is compiled again) and
# stripped; the site is target/site from `cargo leptos build` (or WARD_SITE_DIR). The registry-connected
# build (Containerfile) makes a release build for musl instead: smaller, and its host-name
# lookups need no glibc NSS modules (a static glibc binary resolves names only through
# the modules of the glibc it was built with, which the empty image lacks: use IP
# addresses or the musl image for anything but checking the image builds and runs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tag="${1:-ward:local}"
cd "$root"
work="$(mktemp -d)"
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  mountpoint -q "$work/rootfs/dev" 2>/dev/null && umount "$work/rootfs/dev"
  rm -rf "$work"
}
trap cleanup EXIT

cargo rustc -q -p server --bin server -- -C target-feature=+crt-static
strip -o "$work/server" target/debug/server
deploy/image/stage-root.sh "$work/server" "${WARD_SITE_DIR:-target/site}" "$work/image"
rm "$work/server"

# The final stage, from its marker to the end, with the builder's output replaced by ours.
sed -n '/^# --- final stage/,$p' Containerfile \
  | sed -e 's|--from=build ||' -e 's| /image/| image/|' >"$work/Containerfile"
grep -q '^COPY image/root/ /$' "$work/Containerfile" || { echo "Containerfile: final stage not found" >&2; exit 1; }
! grep -q -- '--from=' "$work/Containerfile" || { echo "Containerfile: the final stage copies from elsewhere" >&2; exit 1; }

# The previous image of this tag goes (vfs keeps a full copy of every layer).
podman --storage-driver vfs rmi -f "$tag" >/dev/null 2>&1 || true
podman --storage-driver vfs build --format docker --pull=never -q -t "$tag" -f "$work/Containerfile" "$work" >/dev/null
podman --storage-driver vfs image inspect "$tag" --format \
  'image {{.RepoTags}}: {{.Size}} bytes, user {{.Config.User}}, volumes {{.Config.Volumes}}, entrypoint {{.Config.Entrypoint}} {{.Config.Cmd}}, healthcheck {{.Config.Healthcheck.Test}}'

# Run it: the image's files only, as its user (10001), with the runtime's /dev.
mnt="$(podman --storage-driver vfs image mount "$tag")"
cp -a "$mnt" "$work/rootfs"
podman --storage-driver vfs image unmount "$tag" >/dev/null
mkdir "$work/rootfs/dev"
mount --bind /dev "$work/rootfs/dev"
port="${WARD_IMAGE_CHECK_PORT:-3490}"
in_image() {
  # The image's environment (ENV), with the address moved to a loopback port. Called in a
  # subshell, which it becomes (exec), so `$!` is Ward's process.
  exec env -i $(podman --storage-driver vfs image inspect "$tag" --format '{{range .Config.Env}}{{.}} {{end}}') \
    WARD_ENV=demo LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    chroot --userspec=10001:10001 "$work/rootfs" /ward/server "$@"
}
(in_image serve) >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  (in_image healthcheck) 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; echo "Ward stopped in the image" >&2; exit 1; }
  sleep 0.3
done
(in_image healthcheck)
echo "the image serves: /healthz is healthy as user $(stat -c %u "$work/rootfs/data/ward.db")"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
if (in_image healthcheck) 2>/dev/null; then echo "healthcheck says healthy with Ward stopped" >&2; exit 1; fi
echo "healthcheck says unhealthy once Ward has stopped"
