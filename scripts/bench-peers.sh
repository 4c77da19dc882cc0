#!/usr/bin/env bash
# cfready against the schema validators people would otherwise use, whole process, with
# hyperfine: check-jsonschema (PyPI) and ajv-cli (npm), installed into a temporary folder.
# cfready runs its full lint (schema + readiness rules); the others validate the schema only.
#
#   scripts/bench-peers.sh        # prints a Markdown table: median wall time, peak RSS
#
# ajv runs with --strict=false: its strict mode rejects the schema's `x-` annotation keywords.
# Needs: cargo, python3 (venv, pip), npm, hyperfine (apt-get install hyperfine), GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# What is shipped (the dist profile), not the quick-to-build release profile.
cargo build --profile dist --quiet
cfready="${CARGO_TARGET_DIR:-$root/target}/dist/cfready"
schema="$root/schemas/questionnaire.schema.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The example with its one date quoted: ajv-cli reads YAML 1.1 (js-yaml), where an unquoted
# 2026-10-01 is a timestamp, not the string the schema asks for. All three tools get this file.
example="$work/acme-timesheets.yaml"
sed 's/last_tested: \(.*\)$/last_tested: "\1"/' "$root/examples/acme-timesheets.yaml" >"$example"

echo "installing check-jsonschema and ajv-cli into $work ..." >&2
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet check-jsonschema
npm install --silent --prefix "$work/npm" ajv-cli ajv-formats >/dev/null
checkjs="$work/venv/bin/check-jsonschema"
ajv="$work/npm/node_modules/.bin/ajv"

# 1,000 copies of the example.
mkdir "$work/many"
for i in $(seq -w 1 1000); do cp "$example" "$work/many/q$i.yaml"; done

# Each tool must accept the example before it is timed.
"$cfready" lint "$example" >/dev/null
"$checkjs" --schemafile "$schema" "$example" >/dev/null
"$ajv" validate --spec=draft2020 --strict=false -c ajv-formats -s "$schema" -d "$example" >/dev/null 2>&1

declare -A one=(
  [cfready]="$cfready lint $example"
  [check-jsonschema]="$checkjs --schemafile $schema $example"
  [ajv-cli]="$ajv validate --spec=draft2020 --strict=false -c ajv-formats -s $schema -d $example"
)
declare -A many=(
  [cfready]="$cfready lint $work/many/*.yaml"
  [check-jsonschema]="$checkjs --schemafile $schema $work/many/*.yaml"
  [ajv-cli]="$ajv validate --spec=draft2020 --strict=false -c ajv-formats -s $schema -d '$work/many/*.yaml'"
)

median_ms() { # command -> median wall time in ms
  hyperfine --shell=bash --warmup "$2" --runs "$3" --export-json "$work/h.json" "$1" >/dev/null 2>&1
  python3 -c "import json,sys; print('%.1f' % (json.load(open(sys.argv[1]))['results'][0]['median']*1000))" "$work/h.json"
}
peak_mib() { # command -> peak RSS in MiB
  /usr/bin/time -f %M bash -c "$1 >/dev/null 2>&1" 2>&1 | tail -n 1 | awk '{printf "%.1f", $1/1024}'
}

echo "| tool | one file: median | one file: peak RSS | 1,000 files: median | 1,000 files: peak RSS |"
echo "|---|---|---|---|---|"
for tool in cfready check-jsonschema ajv-cli; do
  echo "| $tool | $(median_ms "${one[$tool]}" 5 30) ms | $(peak_mib "${one[$tool]}") MiB | $(median_ms "${many[$tool]}" 1 5) ms | $(peak_mib "${many[$tool]}") MiB |"
done
echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -sr)"
