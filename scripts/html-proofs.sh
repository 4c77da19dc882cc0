#!/usr/bin/env bash
# The HTML SLO report (`cfready slo --format html`) looked at in a real browser, Debian's
# headless Chromium driven by playwright-core (run by .ci/run):
#   - a history of three base URLs over seven days (an outage, a slow spell, alerts) is
#     generated and rendered;
#   - the page loads from a file with no request of any kind, and no console error;
#   - every chart is drawn at its size (880 x 180 units, scaled to the page's width) with its
#     series in it; the alert markers are where the history says;
#   - a full-page screenshot is written (target/html-proofs/slo.png) and must not be blank.
# CFREADY_SCREENSHOT=path copies the screenshot there (the README's docs/slo-report.png).
# Needs: chromium (apt-get install chromium), node and npm (playwright-core is installed into
# target/npm-tools), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target="${CARGO_TARGET_DIR:-$root/target}"
tools="$target/npm-tools"
out="$target/html-proofs"
mkdir -p "$out"
cargo build --release --quiet
cfready="$target/release/cfready"
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$chromium" ] || { echo "html-proofs: chromium is not installed (apt-get install chromium)" >&2; exit 1; }
if [ ! -f "$tools/node_modules/playwright-core/package.json" ]; then
  mkdir -p "$tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" playwright-core@1.65.1 >/dev/null
fi

python3 - "$out/history.jsonl" <<'PY'
import datetime, json, random, sys
random.seed(20261125)
start = datetime.datetime(2026, 11, 18, 0, 0, tzinfo=datetime.timezone.utc)
urls = ["https://timesheets.acme.example", "https://eu.timesheets.acme.example",
        "https://au.timesheets.acme.example"]
with open(sys.argv[1], "w") as f:
    for minute in range(7 * 24 * 60):
        at = (start + datetime.timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        for index, base in enumerate(urls):
            outage = index == 1 and 4000 <= minute < 4008          # 8 minutes down
            blips = index == 2 and minute in (2000, 2010, 7000)     # three failures, two alerts
            slow = index == 0 and 8000 <= minute < 8120             # two slow hours
            ms = max(20, int(random.gauss(180 + 40 * index, 25)))
            if slow:
                ms += 1500
            failed = outage or blips
            f.write(json.dumps({
                "version": 1, "at": at, "url": base + "/healthcheck", "base_url": base,
                "success": not failed,
                "failure": ("timeout-before-headers" if outage else "status") if failed else None,
                "status": None if outage else (503 if blips else 200),
                "total_ms": None if outage else ms,
            }, separators=(",", ":")) + "\n")
PY
"$cfready" slo "$out/history.jsonl" --format html -o "$out/slo.html" >/dev/null

cat >"$out/check.cjs" <<'JS'
const { chromium } = require(process.env.PLAYWRIGHT);
const fs = require("fs");
(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e}`));
  page.on("request", (r) => { if (!r.url().startsWith("file:")) problems.push(`request: ${r.url()}`); });
  await page.goto("file://" + process.env.PAGE, { waitUntil: "load" });
  const charts = await page.$$eval("svg", (all) => all.map((svg) => {
    const box = svg.getBoundingClientRect();
    const lines = [...svg.querySelectorAll("polyline")].map((p) => p.points.numberOfItems);
    return { width: box.width, height: box.height, lines, alerts: svg.querySelectorAll("line.alert").length };
  }));
  if (charts.length !== 9) problems.push(`${charts.length} charts, not 3 per URL`);
  for (const [i, c] of charts.entries()) {
    if (c.width < 600 || Math.abs(c.width / c.height - 880 / 180) > 0.05) problems.push(`chart ${i}: ${c.width} x ${c.height}`);
    if (c.lines.length === 0 || c.lines.some((n) => n < 2)) problems.push(`chart ${i}: empty series ${c.lines}`);
  }
  const alerts = charts.map((c) => c.alerts).filter((n) => n > 0);
  if (JSON.stringify(alerts) !== JSON.stringify([2, 1])) problems.push(`alert markers ${alerts}, expected [2, 1]`);
  const verdicts = await page.$$eval(".verdict", (all) => all.map((v) => v.textContent));
  if (verdicts.length !== 3) problems.push(`verdicts ${verdicts}`);
  await page.screenshot({ path: process.env.SHOT, fullPage: true });
  await browser.close();
  const size = fs.statSync(process.env.SHOT).size;
  if (size < 40000) problems.push(`screenshot of ${size} bytes: blank?`);
  if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
  console.log(`ok: ${charts.length} charts drawn at ${Math.round(charts[0].width)} x ${Math.round(charts[0].height)} px, alerts ${alerts}, no request, no console error; screenshot ${size} bytes`);
})().catch((e) => { console.error(e); process.exit(1); });
JS
PLAYWRIGHT="$tools/node_modules/playwright-core" CHROMIUM="$chromium" PAGE="$out/slo.html" \
  SHOT="$out/slo.png" node "$out/check.cjs"

# A blank page must fail the same check: the proof is not vacuous.
printf '<!doctype html><html><body></body></html>\n' >"$out/blank.html"
if PLAYWRIGHT="$tools/node_modules/playwright-core" CHROMIUM="$chromium" PAGE="$out/blank.html" \
  SHOT="$out/blank.png" node "$out/check.cjs" 2>/dev/null; then
  echo "html-proofs: a blank page passed the check" >&2
  exit 1
fi
echo "ok: a blank page fails the check"
if [ -n "${CFREADY_SCREENSHOT:-}" ]; then
  cp "$out/slo.png" "$CFREADY_SCREENSHOT"
fi
