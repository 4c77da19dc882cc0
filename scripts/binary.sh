# shellcheck shell=bash
# Sourced by the proof scripts (run from the repository's root): `cfready_binary PROFILE`
# prints the path of the cfready binary a proof exercises. `$CFREADY` when it is set (.ci/run
# builds one release binary for every proof); otherwise cargo builds one with PROFILE
# (`debug` or `release`) first.
cfready_binary() {
  if [ -n "${CFREADY:-}" ]; then
    realpath "$CFREADY"
    return
  fi
  local profile=$1 flags=(--quiet)
  [ "$profile" = debug ] || flags+=(--profile "$profile")
  cargo build "${flags[@]}" >&2
  echo "${CARGO_TARGET_DIR:-$PWD/target}/$profile/cfready"
}
