#!/usr/bin/env bash
# Write the npm tarballs for the platform of one cfready binary:
#
#   scripts/package-npm.sh BINARY OUTDIR [glibc|musl]
#
# OUTDIR receives `cfready-VERSION.tgz` (the launcher package) and
# `cfready-cli-<os>-<cpu>[-musl]-VERSION.tgz` (the platform package with the binary), VERSION
# being Cargo.toml's. `npm install OUTDIR/*.tgz` in an empty folder then gives a working
# `npx cfready`, offline. The platform is read from the binary's header; a static Linux binary
# is packaged as musl unless `glibc` is given (the release packages each static Linux binary
# both ways).
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: scripts/package-npm.sh BINARY OUTDIR [glibc|musl]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
binary=$1
outdir=$2
libc=${3:-}
[ -f "$binary" ] || { echo "package-npm: no such binary: $binary" >&2; exit 2; }

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)
[ -n "$version" ] || { echo "package-npm: no version in Cargo.toml" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
platform=$(node "$root/scripts/package-npm.mjs" "$binary" "$stage" "$version" ${libc:+"$libc"})

mkdir -p "$outdir"
for package in cfready "$platform"; do
  npm pack --silent --pack-destination "$outdir" "$stage/$package" >/dev/null
done
ls "$outdir"/cfready-"$version".tgz "$outdir"/cfready-cli-"$platform"-"$version".tgz
