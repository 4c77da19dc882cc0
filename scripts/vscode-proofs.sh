#!/usr/bin/env bash
# The VS Code extension (editors/vscode) packaged and checked as far as this machine allows
# (run by .ci/run) without a VS Code; scripts/code-server-proofs.sh activates it in a real one
# (code-server, in headless Chromium). What is proven here:
#   1. scripts/package-vscode.sh builds the .vsix with the real @vscode/vsce from npm packages
#      (`npm ci` of the extension's lock file into target/vscode-extension); then vsce packs it
#      a second time with no network at all (a new network namespace), to the same entries;
#   2. the .vsix holds extension.js, package.json (Cargo.toml's version), the README, the
#      licences and node_modules/vscode-languageclient with its dependencies, and nothing else:
#      no test, no lock file, no vsce or ovsx, no source maps or type declarations;
#   3. the packaged extension.js is the source's, and it loads in Node from the unpacked .vsix
#      with only `vscode` faked: its vscode-languageclient comes from the .vsix itself;
#   4. node's test runner runs editors/vscode/test with fakes for `vscode` and the client: the
#      order in which cfready is looked for (cfready.path, the npm platform binary in the
#      workspace's node_modules, PATH), the message with the install commands when there is
#      none, and what the client is started with (`cfready server`, initializationOptions,
#      workspace/didChangeConfiguration).
# It prints the .vsix's size. Needs node and npm, unzip (or else Python's zipfile), and unshare
# for the offline re-pack (skipped, and said so, where a network namespace cannot be made).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target="${CARGO_TARGET_DIR:-$root/target}"
out="$target/vscode-proofs"
rm -rf "$out"
mkdir -p "$out"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
# The names in a zip, one a line, and a zip unpacked into a folder.
entries() {
  if command -v unzip >/dev/null; then unzip -Z1 "$1"; else python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"; fi
}
unpack() {
  if command -v unzip >/dev/null; then unzip -q "$1" -d "$2"; else python3 -m zipfile -e "$1" "$2"; fi
}

echo "== 1. vsce package, from npm packages"
vsix=$(scripts/package-vscode.sh "$out" 2>"$out/package.log") || { cat "$out/package.log"; exit 1; }
[ "$vsix" = "$out/cfready-$version.vsix" ] || { echo "FAIL: packaged $vsix, expected $out/cfready-$version.vsix" >&2; exit 1; }
grep -F "DONE" "$out/package.log"
entries "$vsix" | sort >"$out/entries"
stage="$target/vscode-extension"
if unshare -rn true 2>/dev/null; then
  (cd "$stage" && unshare -rn node_modules/.bin/vsce package --out "$out/offline.vsix" </dev/null >"$out/offline.log" 2>&1) \
    || { cat "$out/offline.log"; echo "FAIL: vsce package needs the network" >&2; exit 1; }
  entries "$out/offline.vsix" | sort | diff "$out/entries" - >/dev/null \
    || { echo "FAIL: the offline package holds other files" >&2; exit 1; }
  echo "ok: vsce packs the same $(wc -l <"$out/entries") entries with no network (unshare -rn)"
else
  echo "skipped: no network namespace here (unshare -rn), so the offline re-pack was not tried"
fi

echo "== 2. what the .vsix holds"
required=(
  extension.vsixmanifest
  extension/extension.js
  extension/package.json
  extension/readme.md
  extension/LICENSE.txt
  extension/LICENSE-MIT
  extension/LICENSE-APACHE
  extension/node_modules/vscode-languageclient/package.json
  extension/node_modules/vscode-languageclient/node.js
  extension/node_modules/vscode-languageclient/lib/node/main.js
  extension/node_modules/vscode-languageclient/lib/node/terminateProcess.sh
  extension/node_modules/vscode-languageserver-protocol/package.json
  extension/node_modules/vscode-jsonrpc/package.json
)
for entry in "${required[@]}"; do
  grep -qxF "$entry" "$out/entries" || { echo "FAIL: the .vsix lacks $entry" >&2; exit 1; }
done
# Outside node_modules, exactly these; inside, the client's dependency tree and nothing of the
# publishing tools, and no test, source map, type declaration or lock file anywhere.
stray=$(grep -v '^extension/node_modules/' "$out/entries" \
  | grep -vxE '\[Content_Types\]\.xml|extension\.vsixmanifest|extension/(extension\.js|package\.json|readme\.md|LICENSE\.txt|LICENSE-MIT|LICENSE-APACHE)' || true)
[ -z "$stray" ] || { echo "FAIL: stray files in the .vsix:"; echo "$stray"; exit 1; } >&2
packages=$(grep -oE '^extension/node_modules/(@[^/]+/)?[^/]+/' "$out/entries" | sort -u | sed 's#^extension/node_modules/##; s#/$##' | tr '\n' ' ')
[ "$packages" = "semver vscode-jsonrpc vscode-languageclient vscode-languageserver-protocol vscode-languageserver-types " ] \
  || { echo "FAIL: the .vsix's node_modules holds: $packages" >&2; exit 1; }
unwanted=$(grep -E '(^|/)(test|tests|__tests__)/|\.(d\.ts|map)$|package-lock\.json$|\.vscodeignore$|node_modules/(@vscode/vsce|ovsx)/' "$out/entries" || true)
[ -z "$unwanted" ] || { echo "FAIL: the .vsix holds files it should not:"; echo "$unwanted"; exit 1; } >&2
while read -r package; do
  dir=${package%package.json}
  grep -qiE "^${dir//./\\.}licen[cs]e" "$out/entries" || { echo "FAIL: no licence for ${dir#extension/}" >&2; exit 1; }
done < <(grep -oE '^extension/node_modules/((@[^/]+/)?[^/]+/node_modules/)*(@[^/]+/)?[^/]+/package\.json$' "$out/entries")
echo "ok: extension.js, package.json, readme, licences, and node_modules of $packages(the client's tree, each package with its licence)"
bytes=$(wc -c <"$vsix")
echo "$(basename "$vsix"): $bytes bytes ($(((bytes + 1023) / 1024)) KiB), $(wc -l <"$out/entries") entries"

echo "== 3. the packaged extension loads with its own node_modules"
unpack "$vsix" "$out/unpacked"
cmp editors/vscode/extension.js "$out/unpacked/extension/extension.js"
node - "$out/unpacked/extension" "$version" <<'JS'
// Only `vscode` is faked (a stand-in for every name): vscode-languageclient is the packaged one.
const [dir, version] = process.argv.slice(2);
const path = require("node:path");
const Module = require("node:module");
const load = Module._load;
const vscode = new Proxy({}, { get: () => class {} });
Module._load = function (request, ...rest) {
  return request === "vscode" ? vscode : load.call(this, request, ...rest);
};
const extension = require(path.join(dir, "extension.js"));
const client = require.resolve("vscode-languageclient/node", { paths: [dir] });
if (!client.startsWith(path.join(dir, "node_modules") + path.sep)) {
  console.error(`FAIL: vscode-languageclient came from ${client}, not from the .vsix`);
  process.exit(1);
}
for (const name of ["activate", "deactivate", "findCfready"]) {
  if (typeof extension[name] !== "function") {
    console.error(`FAIL: the packaged extension.js exports no ${name}`);
    process.exit(1);
  }
}
const manifest = require(path.join(dir, "package.json"));
if (manifest.version !== version || manifest.main !== "./extension.js") {
  console.error(`FAIL: the packaged package.json: version ${manifest.version}, main ${manifest.main}`);
  process.exit(1);
}
console.log(`ok: the packaged extension.js loads, with vscode-languageclient from the .vsix; version ${manifest.version}`);
JS

echo "== 4. the extension's tests (fakes for vscode and the client)"
node --test editors/vscode/test/
