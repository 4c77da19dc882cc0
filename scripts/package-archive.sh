#!/usr/bin/env bash
# Write the release archive of one cfready binary, and its SHA-256 sum:
#
#   scripts/package-archive.sh TARGET BINARY OUTDIR
#
# OUTDIR receives cfready-TARGET.tar.gz (cfready-TARGET.zip for Windows targets) holding
# cfready-TARGET/ with the binary, the README and the licenses, and cfready-TARGET.<ext>.sha256
# in `sha256sum` format. The names are the ones Cargo.toml's [package.metadata.binstall]
# points at, so that `cargo binstall cfready` finds them on the GitHub release.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: scripts/package-archive.sh TARGET BINARY OUTDIR" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
target=$1
binary=$2
outdir=$3
[ -f "$binary" ] || { echo "package-archive: no such binary: $binary" >&2; exit 2; }
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

name="cfready-$target"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
case "$target" in
  *windows*) executable=cfready.exe; archive="$name.zip" ;;
  *) executable=cfready; archive="$name.tar.gz" ;;
esac
cp "$binary" "$stage/$name/$executable"
chmod 755 "$stage/$name/$executable"
cp "$root/README.md" "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$stage/$name/"

rm -f "$outdir/$archive"
case "$archive" in
  *.zip) (cd "$stage" && 7z a -tzip -bso0 "$outdir/$archive" "$name") ;;
  *) tar -C "$stage" -czf "$outdir/$archive" "$name" ;;
esac
if command -v sha256sum >/dev/null; then
  (cd "$outdir" && sha256sum "$archive" >"$archive.sha256")
else
  (cd "$outdir" && shasum -a 256 "$archive" >"$archive.sha256")
fi
echo "$outdir/$archive"
