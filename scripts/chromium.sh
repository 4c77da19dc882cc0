# shellcheck shell=bash
# Sourced, from the repository's root, by the proofs that look at a page in a browser
# (html-proofs.sh, year-proofs.sh). `$1` names the proof. Sets `root`, `target`, `tools`
# (npm tools under the target dir), `out` (`$target/$1`, created), `cfready` (the binary
# .ci/run built, or a release build) and `chromium` (Debian's Chromium), and installs
# playwright-core into `$tools` when it is not there yet.
root=$(pwd)
target="${CARGO_TARGET_DIR:-$root/target}"
tools="$target/npm-tools"
out="$target/$1"
mkdir -p "$out"
# shellcheck source=scripts/binary.sh
source scripts/binary.sh
# shellcheck disable=SC2034 # used by the proof that sources this file
cfready=$(cfready_binary release)
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$chromium" ] || { echo "$1: chromium is not installed (apt-get install chromium)" >&2; exit 1; }
if [ ! -f "$tools/node_modules/playwright-core/package.json" ]; then
  mkdir -p "$tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" playwright-core@1.65.1 >/dev/null
fi
