#!/usr/bin/env bash
# Package the VS Code extension (editors/vscode) with vsce:
#
#   scripts/package-vscode.sh OUTDIR
#
# writes OUTDIR/cfready-VERSION.vsix, VERSION being Cargo.toml's, and prints its path. The
# extension is staged in a folder of its own under the target dir (extension.js, package.json
# with the version set, README, licences, package-lock.json), `npm ci --ignore-scripts`
# installs what the lock file pins (vscode-languageclient, and @vscode/vsce and ovsx as
# devDependencies: no install script runs), and the staged vsce packs it; .vscodeignore keeps
# the test, the lock file and the devDependencies out. Nothing but the npm registry is reached,
# and only by `npm ci`. The staged folder stays, with vsce and ovsx in it, for publishing:
# scripts/vscode-proofs.sh and the release workflow use it.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: scripts/package-vscode.sh OUTDIR" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
outdir=$(cd "$1" && pwd)
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)
[ -n "$version" ] || { echo "package-vscode: no version in Cargo.toml" >&2; exit 1; }

stage="${CARGO_TARGET_DIR:-$root/target}/vscode-extension"
rm -rf "$stage"
mkdir -p "$stage"
(cd "$root/editors/vscode" && cp -R extension.js package.json package-lock.json README.md LICENSE .vscodeignore "$stage/")
cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$stage/"
(cd "$stage" && npm ci --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null)
# The version is set after `npm ci`, which compares package.json with the lock file.
node -e '
  const [file, version] = process.argv.slice(1);
  const manifest = JSON.parse(require("fs").readFileSync(file, "utf8"));
  manifest.version = version;
  require("fs").writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");
' "$stage/package.json" "$version"
vsix="$outdir/cfready-$version.vsix"
(cd "$stage" && node_modules/.bin/vsce package --out "$vsix" </dev/null >&2)
echo "$vsix"
