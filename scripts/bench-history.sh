#!/usr/bin/env bash
# The monitor's history at the scale of a year (issue 29): a year of 10 base URLs at 60 s
# (5,256,000 observations) as v1 JSONL and as the store, with each query's wall time and
# peak memory; then a monitor of many loopback URLs and its CPU per observation.
#   bash scripts/bench-history.sh [URLS] [DAYS] [MONITOR_URLS]
# (docs/history-store.md holds its figures; scripts/bench-history-segments.py measures the layout
# the store was weighed against.)
# Figures vary with the machine: run it on an idle one. Everything it writes is under
# target/bench-history/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/binary.sh
cfready=$(cfready_binary dist)
urls=${1:-10} days=${2:-365} monitor_urls=${3:-300}
dir=target/bench-history
mkdir -p "$dir"
end=2026-12-01T00:00:00Z
jsonl=$dir/year-$urls-$days.jsonl store=$dir/year-$urls-$days.db

# `measure NAME COMMAND...`: wall seconds and peak RSS (MiB) of one run, cache warm.
measure() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/stderr.txt" || true
  read -r seconds kib <"$dir/time.txt"
  printf '%-52s %8s s %8.1f MiB\n' "$name" "$seconds" "$(echo "$kib / 1024" | bc -l)"
}

if [ ! -s "$jsonl" ]; then
  echo "writing $jsonl ($urls URLs x $days days at 60 s)"
  python3 scripts/bench-history.py "$urls" "$days" "$end" >"$jsonl"
fi
lines=$(wc -l <"$jsonl")
echo "history: $lines observations, JSONL $(du -m "$jsonl" | cut -f1) MB"
cat "$jsonl" >/dev/null
measure "slo FILE.jsonl (v1, streamed; 28 days to --at)" "$cfready" slo "$jsonl" --at "$end"
measure "slo FILE.jsonl --format json" "$cfready" slo "$jsonl" --at "$end" --format json
rm -f "$store" "$store-wal" "$store-shm"
measure "history import (into a new store)" "$cfready" history import "$jsonl" --into "$store" -q
bytes=$(stat -c %s "$store")
echo "store: $((bytes / 1024 / 1024)) MiB, $(echo "$bytes / $urls / ($days / 365) / 1000000" | bc -l | cut -c1-5) MB per base URL-year"
measure "slo STORE (the 28 days to --at)" "$cfready" slo "$store" --at "$end"
measure "slo STORE --format json" "$cfready" slo "$store" --at "$end" --format json
measure "slo STORE --format html" "$cfready" slo "$store" --at "$end" --format html
measure "slo STORE --since 365d (the whole year)" "$cfready" slo "$store" --at "$end" --since 365d
measure "slo STORE --year (13 windows of 28 days)" "$cfready" slo "$store" --at "$end" --year --format json
measure "history verify" "$cfready" history verify "$store"
measure "history export --format jsonl" "$cfready" history export "$store"
"$cfready" slo "$store" --at "$end" --since 365d --format json >"$dir/year.json" || true
python3 - "$dir/year.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
breaches = [(u["url"], b["emailed_at"]) for u in report["urls"] for b in u["past_breaches"]]
print(f"verdict now: {report['verdict']}; past breaches: {breaches}")
PY

# A monitor of many URLs on loopback: CPU (user + sys) per observation.
if [ "$monitor_urls" -gt 0 ]; then
  port_file=$dir/port
  python3 - "$port_file" <<'PY' &
import http.server, socketserver, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *args): pass
class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 1024
server = Server(("127.0.0.1", 0), Handler)
open(sys.argv[1], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
  server=$!
  trap 'kill $server 2>/dev/null' EXIT
  for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
  port=$(cat "$port_file")
  args=()
  for i in $(seq "$monitor_urls"); do args+=(--url "http://127.0.0.1:$port/app$i/health"); done
  rm -f "$dir/monitor.db"*
  rounds=10
  /usr/bin/time -f "%U %S %M" -o "$dir/time.txt" "$cfready" monitor "${args[@]}" --allow-private \
    --every 2s --for "$((rounds * 2))s" --store "$dir/monitor.db" -q >/dev/null 2>"$dir/stderr.txt" || true
  read -r user sys kib <"$dir/time.txt"
  observed=$("$cfready" history verify "$dir/monitor.db" | head -1 | sed -E 's/.* ([0-9]+) observations.*/\1/')
  echo "monitor: $monitor_urls URLs, $observed observations, CPU $(echo "($user + $sys) * 1000 / $observed" | bc -l | cut -c1-6) ms per observation, peak RSS $((kib / 1024)) MiB"
fi
