# shellcheck shell=bash
# Sourced by the proofs that look at a page in a browser (html-proofs.sh, year-proofs.sh):
# sets `chromium` to Debian's Chromium and installs playwright-core into `$tools` (set by the
# caller) when it is not there yet. `$1` names the proof in the error.
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$chromium" ] || { echo "$1: chromium is not installed (apt-get install chromium)" >&2; exit 1; }
: "${tools:?set tools before sourcing chromium.sh}"
if [ ! -f "$tools/node_modules/playwright-core/package.json" ]; then
  mkdir -p "$tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" playwright-core@1.65.1 >/dev/null
fi
