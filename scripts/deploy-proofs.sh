#!/usr/bin/env bash
# examples/deploy/cfready-monitor.service, the per-team template cfready-monitor@.service and
# the per-app Forge poller cfready-forge-monitor@.service
# proven with systemd's own tools (run by .ci/run;
# Debian package systemd):
#   1. systemd-analyze verify: the unit parses, every directive is known, the command exists
#      (on a copy whose ExecStart is the binary just built: /usr/local/bin/cfready is where
#      the README installs it, not where CI builds it);
#   2. systemd-analyze security --offline: the hardening holds, an exposure of at most 2.0
#      ("OK" is below 4.0; a plain service is 9.6);
#   3. every option of its ExecStart is one `cfready monitor` knows.
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary .ci/run built once ($CFREADY), or a release build.
# shellcheck source=scripts/binary.sh
source scripts/binary.sh
cfready=$(cfready_binary release)
if ! command -v systemd-analyze >/dev/null; then
  echo "deploy-proofs: install the Debian package systemd (systemd-analyze)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
help=$("$cfready" monitor --help)

# One unit: a copy run through the three checks. $2 is the name systemd sees (a template is
# verified as an instance of it).
prove() {
  local unit=$1 name=$2
  sed "s|/usr/local/bin/cfready|$cfready|" "$unit" >"$work/$name"
  echo "== $unit: 1. systemd-analyze verify"
  systemd-analyze verify "$work/$name"
  echo "== $unit: 2. systemd-analyze security --offline"
  systemd-analyze security --offline=yes --threshold=20 "$work/$name" | tail -n 1
  echo "== $unit: 3. the command line is cfready's"
  local options option
  options=$(sed -n '/^ExecStart=/,/^[A-Z]/p' "$unit" | grep -o -- '--[a-z][a-z-]*' | sort -u)
  for option in $options; do
    grep -q -- "$option" <<<"$help" || {
      echo "deploy-proofs: $unit uses $option, which cfready monitor does not know" >&2
      exit 1
    }
  done
  echo "ExecStart options known: $(echo "$options" | tr '\n' ' ')"
}

prove examples/deploy/cfready-monitor.service cfready-monitor.service
prove examples/deploy/cfready-monitor@.service cfready-monitor@payments.service
prove examples/deploy/cfready-forge-monitor@.service cfready-forge-monitor@glossaria.service
echo "deploy-proofs: ok"
