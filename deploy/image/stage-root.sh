#!/bin/sh
# Lays out the root of Ward's image: stage-root.sh SERVER_BINARY SITE_DIR OUT_DIR
#
#   OUT/root/ward/server      the binary (must be statically linked: the image has no libc)
#   OUT/root/ward/site        the built site (WASM, JS, CSS)
#   OUT/root/tmp              scratch space (1777)
#   OUT/root/etc/passwd,group the ward user (10001) and group, so the process has a name
#   OUT/root/etc/ssl/certs    the CA bundle, for TLS to the identity provider and providers
#   OUT/volume/data           the SQLite volume (the Containerfile copies it as the ward
#                             user's: COPY makes everything else root's)
#
# Used by the Containerfile's build stage and by deploy/image/build-local.sh alike.
set -eu
bin=$1
site=$2
out=$3
if ldd "$bin" 2>&1 | grep -q '=>'; then
  echo "stage-root.sh: $bin is dynamically linked; the image has no libc for it" >&2
  exit 1
fi
[ -f "$site/pkg/ward.wasm" ] || { echo "stage-root.sh: $site has no pkg/ward.wasm" >&2; exit 1; }
rm -rf "$out"
root=$out/root
mkdir -p "$root/ward" "$root/tmp" "$root/etc/ssl/certs" "$out/volume/data"
cp "$bin" "$root/ward/server"
cp -R "$site" "$root/ward/site"
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/sbin/nologin\nward:x:10001:10001:Ward:/data:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nward:x:10001:\n' >"$root/etc/group"
chmod 0755 "$root/ward/server"
chmod 1777 "$root/tmp"
chmod 0750 "$out/volume/data"
