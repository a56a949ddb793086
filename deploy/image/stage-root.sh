#!/bin/sh
# Lays out the root of Ward's image: stage-root.sh SERVER_BINARY SITE_DIR OUT_DIR
#
#   OUT/ward/server      the binary (must be statically linked: the image has no libc)
#   OUT/ward/site        the built site (WASM, JS, CSS)
#   OUT/data             the SQLite volume, owned by the ward user (10001)
#   OUT/tmp              scratch space (1777)
#   OUT/etc/passwd,group the ward user and group, so the process has a name
#   OUT/etc/ssl/certs    the CA bundle, for TLS to the identity provider and LLM providers
#
# Used by the Containerfile's build stage and by deploy/image/build-local.sh alike.
set -eu
bin=$1
site=$2
out=$3
if ldd "$bin" >/dev/null 2>&1; then
  echo "stage-root.sh: $bin is dynamically linked; the image has no libc for it" >&2
  exit 1
fi
[ -f "$site/pkg/ward.wasm" ] || { echo "stage-root.sh: $site has no pkg/ward.wasm" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/ward" "$out/data" "$out/tmp" "$out/etc/ssl/certs"
cp "$bin" "$out/ward/server"
cp -R "$site" "$out/ward/site"
cp /etc/ssl/certs/ca-certificates.crt "$out/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/sbin/nologin\nward:x:10001:10001:Ward:/data:/sbin/nologin\n' >"$out/etc/passwd"
printf 'root:x:0:\nward:x:10001:\n' >"$out/etc/group"
chmod 0755 "$out/ward/server"
chmod 1777 "$out/tmp"
chown -R 10001:10001 "$out/data"
