#!/usr/bin/env bash
# The HTML SLO report (`cfready slo --format html`) looked at in a real browser, Debian's
# headless Chromium driven by playwright-core (run by .ci/run):
#   - histories are generated and rendered: three base URLs over seven days (an outage, a
#     slow spell, alerts), and histories of 1 minute, 10 minutes (every 10 s, two URLs),
#     1 hour, 1 day and 28 days, so that every chart scale is drawn;
#   - each page loads from a file with no request of any kind, and no console error;
#   - every chart is drawn at its size (880 x 180 units, scaled to the page's width), every
#     point of every series lies inside the chart's plot area, and every series shows (a line
#     of two points or more, or a dot); the alert markers are where the history says;
#   - a full-page screenshot of each is written (target/html-proofs/*.png) and must not be
#     blank.
# CFREADY_SCREENSHOT=path copies the week's screenshot there (the README's docs/slo-report.png),
# CFREADY_SCREENSHOT_SHORT=path the 10 minutes' (docs/slo-report-10m.png).
# CFREADY=path uses that binary instead of building a release one.
# Needs: chromium (apt-get install chromium), node and npm (playwright-core is installed into
# target/npm-tools), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/chromium.sh
source scripts/chromium.sh html-proofs

python3 - "$out" <<'PY'
import datetime, json, random, sys
random.seed(20261125)
out = sys.argv[1]

def line(at, base, failed, failure, status, ms):
    return json.dumps({
        "version": 1, "at": at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "url": base + "/healthcheck", "base_url": base, "success": not failed,
        "failure": failure if failed else None, "status": status, "total_ms": ms,
    }, separators=(",", ":")) + "\n"

# A week of three base URLs: an outage, blips, a slow spell.
start = datetime.datetime(2026, 11, 18, 0, 0, tzinfo=datetime.timezone.utc)
urls = ["https://timesheets.acme.example", "https://eu.timesheets.acme.example",
        "https://au.timesheets.acme.example"]
with open(f"{out}/history.jsonl", "w") as f:
    for minute in range(7 * 24 * 60):
        at = start + datetime.timedelta(minutes=minute)
        for index, base in enumerate(urls):
            outage = index == 1 and 4000 <= minute < 4008          # 8 minutes down
            blips = index == 2 and minute in (2000, 2010, 7000)     # three failures, two alerts
            slow = index == 0 and 8000 <= minute < 8120             # two slow hours
            ms = max(20, int(random.gauss(180 + 40 * index, 25)))
            if slow:
                ms += 1500
            failed = outage or blips
            f.write(line(at, base, failed, "timeout-before-headers" if outage else "status",
                         None if outage else (503 if blips else 200), None if outage else ms))

# Short and long histories as a monitor writes them (rounds a few milliseconds late): name,
# rounds, seconds between rounds, URLs, the failing (URL, round) pairs.
spans = [
    ("1m", 1, 60, 1, set()),
    ("10m", 60, 10, 2, {(1, 20), (1, 21), (1, 24)}),
    ("1h", 60, 60, 1, {(0, 30)}),
    ("1d", 1440, 60, 1, {(0, 600), (0, 1200)}),
    ("28d", 28 * 1440, 60, 1, {(0, r) for r in range(1000, 28 * 1440, 1500)}),
]
begin = datetime.datetime(2026, 11, 25, 10, 23, 5, 412000, tzinfo=datetime.timezone.utc)
for name, rounds, every, count, failing in spans:
    with open(f"{out}/history-{name}.jsonl", "w") as f:
        for r in range(rounds):
            at = begin + datetime.timedelta(seconds=every * r, milliseconds=random.randint(0, 40))
            for index, base in enumerate(urls[:count]):
                failed = (index, r) in failing
                ms = max(20, int(random.gauss(180 + 40 * index, 25)))
                f.write(line(at, base, failed, "status", 503 if failed else 200, ms))
PY
# slo judges the window that ends now; these histories end in the past, so each report is
# asked for at the end of its history (just after its last observation).
end_of() {
  python3 -c 'import datetime, json, sys
at = json.loads(open(sys.argv[1]).readlines()[-1])["at"]
t = datetime.datetime.fromisoformat(at.replace("Z", "+00:00")) + datetime.timedelta(milliseconds=1)
print(t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z")' "$1"
}
"$cfready" slo "$out/history.jsonl" --at "$(end_of "$out/history.jsonl")" --format html -o "$out/slo.html" >/dev/null
for span in 1m 10m 1h 1d 28d; do
  "$cfready" slo "$out/history-$span.jsonl" --at "$(end_of "$out/history-$span.jsonl")" \
    --format html -o "$out/slo-$span.html" >/dev/null
done

cat >"$out/check.cjs" <<'JS'
const { chromium } = require(process.env.PLAYWRIGHT);
const fs = require("fs");
// The plot area of every chart, in SVG units (src/report/slo_html.rs: LEFT, RIGHT, TOP, BOTTOM).
const AREA = { left: 58, right: 880 - 12, top: 12, bottom: 180 - 26 };
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
    const lines = [...svg.querySelectorAll("polyline")].map((p) => {
      const points = [...Array(p.points.numberOfItems).keys()].map((i) => p.points.getItem(i));
      const drawn = p.getBBox();
      return { count: points.length, points: points.map((q) => [q.x, q.y]), width: drawn.width };
    });
    const dots = [...svg.querySelectorAll("circle")].map((c) => [c.cx.baseVal.value, c.cy.baseVal.value]);
    const alerts = [...svg.querySelectorAll("line.alert")].map((l) => l.x1.baseVal.value);
    return { width: box.width, height: box.height, lines, dots, alerts };
  }));
  const urls = Number(process.env.URLS);
  if (charts.length !== 3 * urls) problems.push(`${charts.length} charts, not 3 per URL (${urls})`);
  const inside = ([x, y]) => x >= AREA.left - 0.05 && x <= AREA.right + 0.05 && y >= AREA.top - 0.05 && y <= AREA.bottom + 0.05;
  let points = 0;
  for (const [i, c] of charts.entries()) {
    if (c.width < 600 || Math.abs(c.width / c.height - 880 / 180) > 0.05) problems.push(`chart ${i}: ${c.width} x ${c.height}`);
    if (c.lines.length === 0) problems.push(`chart ${i}: no series`);
    for (const line of c.lines) {
      points += line.count;
      const outside = line.points.filter((p) => !inside(p));
      if (outside.length) problems.push(`chart ${i}: ${outside.length} points outside the chart, such as ${outside[0]}`);
      // A series shows: a line across at least 4 units, or a dot.
      if (line.count < 2 || (line.width < 4 && c.dots.length === 0)) problems.push(`chart ${i}: a series that draws nothing visible (${line.count} points, ${line.width} wide)`);
    }
    for (const dot of c.dots) if (!inside(dot)) problems.push(`chart ${i}: a dot outside the chart at ${dot}`);
    for (const x of c.alerts) if (!inside([x, AREA.top])) problems.push(`chart ${i}: an alert outside the chart at x ${x}`);
  }
  const alerts = charts.map((c) => c.alerts.length).filter((n) => n > 0);
  if (JSON.stringify(alerts) !== process.env.ALERTS) problems.push(`alert markers ${JSON.stringify(alerts)}, expected ${process.env.ALERTS}`);
  const verdicts = await page.$$eval(".verdict", (all) => all.map((v) => v.textContent));
  if (verdicts.length !== urls) problems.push(`verdicts ${verdicts}`);
  await page.screenshot({ path: process.env.SHOT, fullPage: true });
  await browser.close();
  const size = fs.statSync(process.env.SHOT).size;
  if (size < 40000) problems.push(`screenshot of ${size} bytes: blank?`);
  if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
  console.log(`ok ${process.env.NAME}: ${charts.length} charts drawn at ${Math.round(charts[0].width)} x ${Math.round(charts[0].height)} px, ${points} points all inside, verdicts ${verdicts.join(", ")}, alerts ${JSON.stringify(alerts)}, no request, no console error; screenshot ${size} bytes`);
})().catch((e) => { console.error(e); process.exit(1); });
JS
check() { # name page urls alerts screenshot
  NAME="$1" PLAYWRIGHT="$tools/node_modules/playwright-core" CHROMIUM="$chromium" PAGE="$2" \
    URLS="$3" ALERTS="$4" SHOT="$5" node "$out/check.cjs"
}
check week "$out/slo.html" 3 '[2,1]' "$out/slo.png"
check 1m "$out/slo-1m.html" 1 '[]' "$out/slo-1m.png"
check 10m "$out/slo-10m.html" 2 '[1]' "$out/slo-10m.png"
check 1h "$out/slo-1h.html" 1 '[1]' "$out/slo-1h.png"
check 1d "$out/slo-1d.html" 1 '[2]' "$out/slo-1d.png"
check 28d "$out/slo-28d.html" 1 '[27]' "$out/slo-28d.png"

# A blank page must fail the same check: the proof is not vacuous.
printf '<!doctype html><html><body></body></html>\n' >"$out/blank.html"
if check blank "$out/blank.html" 1 '[]' "$out/blank.png" 2>/dev/null; then
  echo "html-proofs: a blank page passed the check" >&2
  exit 1
fi
echo "ok: a blank page fails the check"
if [ -n "${CFREADY_SCREENSHOT:-}" ]; then
  cp "$out/slo.png" "$CFREADY_SCREENSHOT"
fi
if [ -n "${CFREADY_SCREENSHOT_SHORT:-}" ]; then
  cp "$out/slo-10m.png" "$CFREADY_SCREENSHOT_SHORT"
fi
