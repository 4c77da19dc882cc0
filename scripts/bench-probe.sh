#!/usr/bin/env bash
# Probe overhead: `cfready probe --samples 200` against 200 `curl` runs, both requesting the
# same local health check. Needs python3, curl and hyperfine; builds the shipped (dist) binary.
#
#   scripts/bench-probe.sh   # hyperfine's tables: 200 requests (divide by 200), then one
set -euo pipefail
cd "$(dirname "$0")/.."
# What is shipped (the dist profile), not the quick-to-build release profile.
cargo build --profile dist --quiet
bin="${CARGO_TARGET_DIR:-target}/dist/cfready"

# A tiny health check: 200 "ok", no static-file headers, one thread per connection.
server=$(mktemp)
cat >"$server" <<'PY'
import http.server, sys
class Health(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = b'{"status":"ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
print(server.server_address[1], flush=True)
server.serve_forever()
PY
coproc SERVER { exec python3 "$server" 2>/dev/null; }
trap 'kill "$SERVER_PID" 2>/dev/null; rm -f "$server" "$server.md"' EXIT
read -r port <&"${SERVER[0]}"
url="http://127.0.0.1:$port/ok"

"$bin" probe --url "$url" --allow-private --samples 3 --quiet >/dev/null

hyperfine -N --warmup 3 --runs 10 --export-markdown "$server.md" \
  -n "cfready probe --samples 200" \
  "$bin probe --url $url --allow-private --samples 200 --interval 0 --quiet" \
  -n "200 x curl" \
  "bash -c 'for i in \$(seq 200); do curl -s -o /dev/null $url; done'"

# One request, one process: start-up included.
cat "$server.md"

hyperfine -N --warmup 10 --runs 100 --export-markdown "$server.md" \
  -n "cfready probe (1 request)" "$bin probe --url $url --allow-private --quiet" \
  -n "curl (1 request)" "curl -s -o /dev/null $url"
cat "$server.md"
