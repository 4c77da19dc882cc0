#!/usr/bin/env bash
# `cfready export prometheus` proven with the real tools (run by .ci/run; Debian packages
# prometheus and prometheus-blackbox-exporter):
#   1. promtool check config (a minimal prometheus.yml with the exported job and rules),
#      promtool check rules, and promtool test rules on both exported test files; the same
#      with `--objective 99.95` (the team's rules and tests beside the program's);
#   2. the export is byte-identical when run twice, and refuses a Forge app with no base URL
#      without writing anything;
#   3. end to end: the real blackbox_exporter with the exported blackbox.yml, against a local
#      health server with the behaviours cfready probe is tested against; its probe_success
#      must agree with `cfready probe --allow-private` on every URL, and it loads the module
#      without a deprecation warning.
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary .ci/run built once ($CFREADY), or a release build.
# shellcheck source=scripts/binary.sh
source scripts/binary.sh
cfready=$(cfready_binary release)
blackbox=$(command -v prometheus-blackbox-exporter || command -v blackbox_exporter || true)
if ! command -v promtool >/dev/null || [ -z "$blackbox" ]; then
  echo "prometheus-proofs: install the Debian packages prometheus and prometheus-blackbox-exporter" >&2
  exit 1
fi
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "== 1. promtool"
"$cfready" export prometheus examples/acme-timesheets.yaml -o "$work/export"
{
  printf 'global:\n  scrape_interval: 60s\nrule_files: [rules.yml]\n'
  sed -n '/^scrape_configs:/,$p' "$work/export/prometheus.yml"
} >"$work/export/main.yml"
(cd "$work/export" && promtool check config main.yml && promtool check rules rules.yml &&
  promtool test rules rules.test.yml rules.slo.test.yml)
echo "== 1b. promtool, with the team's objective beside the program's"
"$cfready" export prometheus examples/acme-timesheets.yaml -o "$work/objective" --objective 99.95
(cd "$work/objective" && promtool check rules rules.yml &&
  promtool test rules rules.test.yml rules.slo.test.yml)
for alert in CloudFortifiedSLOBreached CloudFortifiedObjectiveBreached \
  CloudFortifiedErrorBudgetBurnFast CloudFortifiedObjectiveErrorBudgetBurnFast; do
  grep -q "alert: $alert\$" "$work/objective/rules.yml" || { echo "no $alert" >&2; exit 1; }
done
diff <(sed -n '/The team.s own objective/q;p' "$work/objective/rules.yml") "$work/export/rules.yml" ||
  { echo "prometheus-proofs: --objective changed the program's rules" >&2; exit 1; }
echo "ok: the program's rules unchanged, the objective's beside them, every test passing"

echo "== 2. stable output, no half-written export"
"$cfready" export prometheus examples/acme-timesheets.yaml -o "$work/again" 2>/dev/null
diff -r "$work/export" "$work/again" --exclude=main.yml
sed 's/framework: connect/framework: forge/; /^  base_urls:/,/^  health_check:/{/^  health_check:/!d}' \
  examples/acme-timesheets.yaml >"$work/forge.yaml"
if "$cfready" export prometheus "$work/forge.yaml" -o "$work/forge-export" >"$work/forge.out" 2>&1; then
  echo "prometheus-proofs: a questionnaire with nothing to probe was exported" >&2
  exit 1
fi
[ ! -e "$work/forge-export" ] || { echo "prometheus-proofs: files were written" >&2; exit 1; }
grep -q "CF715" "$work/forge.out" || { cat "$work/forge.out"; exit 1; }
echo "ok: identical twice; a questionnaire with nothing to probe writes nothing (CF715, a Forge app without a remote)"

echo "== 3. blackbox_exporter against cfready probe"
cat >"$work/server.py" <<'PY'
import http.server, socketserver, sys, time
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def send(self, status, body=b'{"status":"ok"}', headers=()):
        self.send_response(status)
        for name, value in headers: self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        return body
    def do_GET(self):
        path = self.path
        if path == "/ok": self.wfile.write(self.send(200))
        elif path == "/redirect": self.wfile.write(self.send(302, b"", [("Location", "/ok")]))
        elif path == "/created": self.wfile.write(self.send(201))
        elif path == "/slow": time.sleep(3.5); self.wfile.write(self.send(200))
        elif path == "/stalled-body":
            body = self.send(200, b'{"status":"ok","padding":"' + b"x" * 64 + b'"}')
            self.wfile.write(body[:10]); self.wfile.flush(); time.sleep(2); self.wfile.write(body[10:])
        elif path == "/closed": self.connection.close()
        else: self.wfile.write(self.send(404))
class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    def handle_error(self, request, client_address): pass  # clients that gave up (the 3 s limit)
Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
port=18181
python3 "$work/server.py" "$port" &
pids+=($!)
"$blackbox" --config.file="$work/export/blackbox.yml" --web.listen-address=127.0.0.1:19115 \
  >"$work/blackbox.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  curl -sf http://127.0.0.1:19115/metrics >/dev/null && curl -s "http://127.0.0.1:$port/ok" >/dev/null && break
  sleep 0.2
done
disagreements=0
echo "| behaviour | blackbox_exporter probe_success | cfready probe |"
echo "|---|---|---|"
for behaviour in ok redirect created slow stalled-body closed; do
  url="http://127.0.0.1:$port/$behaviour"
  success=$(curl -s "http://127.0.0.1:19115/probe?module=cloud_fortified_http&target=$url" |
    sed -n 's/^probe_success \(.*\)$/\1/p')
  if "$cfready" probe --allow-private --url "$url" >/dev/null 2>&1; then verdict=pass; else verdict=fail; fi
  echo "| $behaviour | $success | $verdict |"
  if { [ "$success" = 1 ] && [ "$verdict" = fail ]; } || { [ "$success" != 1 ] && [ "$verdict" = pass ]; }; then
    echo "DISAGREE: $url blackbox probe_success=$success, cfready $verdict" >&2
    disagreements=$((disagreements + 1))
  fi
done
[ "$disagreements" -eq 0 ] || exit 1
echo "ok: blackbox_exporter and cfready agree on every behaviour"
# The module uses the current keys: blackbox_exporter warns about deprecated ones at load
# (0.23.0 about `no_follow_redirects`).
version=$("$blackbox" --version 2>&1 | sed -n '1s/.*version \([^ ]*\).*/\1/p')
if grep -i "deprecated" "$work/blackbox.log"; then
  echo "prometheus-proofs: blackbox_exporter $version warns about the exported module" >&2
  exit 1
fi
echo "ok: blackbox_exporter $version loads the module without a deprecation warning"
