#!/usr/bin/env bash
# Run the cargo-fuzz (libFuzzer) targets, each for SECONDS (default 600), seeded from the
# examples and test fixtures.
#
#   cargo install cargo-fuzz         # once
#   scripts/fuzz.sh [SECONDS] [TARGET...]   # targets: lint, parse, server (default all)
#
# cargo fuzz needs nightly-only compiler flags (-Z sanitizer); on a stable toolchain,
# RUSTC_BOOTSTRAP=1 lets stable rustc accept them, which is what this script does.
# A crash is written to fuzz/artifacts/TARGET/; replay it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -O TARGET fuzz/artifacts/TARGET/crash-...
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-600}
shift || true
targets=("${@:-lint}")
[ $# -gt 0 ] || targets=(lint parse server)

mkdir -p corpus/lint corpus/parse corpus/server
# Seeds are named after their path: several folders hold a `duplicate-keys.yaml`.
for file in ../examples/*.yaml ../examples/invalid/*.yaml ../tests/fixtures/bad-input/*.yaml \
            ../tests/fixtures/render/*.yaml; do
  name=${file#../}
  cp "$file" "corpus/lint/${name//\//_}"
  # The server target reads its first 24 bytes as edits, the rest as the document.
  { printf '%s' 'AAAAAAAAAAAAAAAAAAAAAAAA'; cat "$file"; } > "corpus/server/${name//\//_}"
done
for seed in 15m 4h 35d 2w PT4H P1DT12H30M 500ms 1.5s https://a.example:8443/x \
            http://10.0.0.1/ 'a|b*c_d' '- item'; do
  printf '%s' "$seed" > "corpus/parse/seed-$(printf '%s' "$seed" | md5sum | cut -c1-8)"
done

export RUSTC_BOOTSTRAP=1
for target in "${targets[@]}"; do
  case $target in
    lint | server) max_len=65536 ;;
    *) max_len=4096 ;;
  esac
  cargo fuzz run -O "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 -print_final_stats=1
done
