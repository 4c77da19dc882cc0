#!/usr/bin/env bash
# The year's page (`cfready slo --year --format html`) looked at in Debian's headless Chromium
# driven by playwright-core, as scripts/html-proofs.sh looks at the 28-day report:
#   - a store of two apps and three base URLs over 364 days (every 10 minutes) is written,
#     breaching in known windows (4 and 13 of a, 9 of eu.a; b clean), and rendered;
#   - the page loads from a file with no request of any kind and no console error;
#   - there is one calendar (364 days) and one chart of 13 bars per URL, each drawn at its size
#     with every cell, bar, line and label inside its viewBox; the breached bars are the known
#     windows, and the breach line lies at 100 %;
#   - in print media at A4 (the page's own @page: 210 mm less 12 mm margins), nothing is wider
#     than the page (no chart or table cut at the right edge), every chart is shorter than a
#     page and may not be split (break-inside: avoid), so Chromium moves it whole to the next
#     page; the A4 PDF is written (target/year-proofs/year.pdf) and a screenshot of the page.
# CFREADY=path uses that binary instead of building a release one.
# Needs: chromium, node and npm (playwright-core into target/npm-tools), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/chromium.sh
source scripts/chromium.sh year-proofs

python3 - "$out/year.jsonl" <<'PY'
import datetime, json, sys
end = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)
start = end - datetime.timedelta(days=364)
window = datetime.timedelta(days=28)
# (app, base URL, [(window index from 0, minutes into it, failed observations)])
series = [
    ("com.acme.a", "https://a.example", [(3, 5000, 6), (12, 900, 5), (7, 100, 2)]),
    ("com.acme.a", "https://eu.a.example", [(8, 20000, 9)]),
    ("com.acme.b", "https://b.example", [(5, 3000, 1)]),
]
with open(sys.argv[1], "w") as f:
    for app, base, outages in series:
        failing = set()
        for index, minutes, count in outages:
            first = start + index * window + datetime.timedelta(minutes=minutes)
            failing |= {first + datetime.timedelta(minutes=10 * i) for i in range(count)}
        at = start
        while at < end:
            failed = at in failing
            f.write(json.dumps({
                "version": 1, "app": app, "at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "url": base + "/healthcheck", "base_url": base, "success": not failed,
                "failure": "status" if failed else None, "status": 503 if failed else 200,
                "total_ms": 150}, separators=(",", ":")) + "\n")
            at += datetime.timedelta(minutes=10)
PY
rm -f "$out/year.db" "$out/year.db-wal" "$out/year.db-shm"
"$cfready" history import "$out/year.jsonl" --into "$out/year.db" -q
"$cfready" slo "$out/year.db" --year --at 2026-12-01T00:00:00Z --format html -o "$out/year.html" || [ $? = 1 ]

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
    const view = svg.viewBox.baseVal;
    const outside = [...svg.querySelectorAll("rect, line, text")].filter((e) => {
      const b = e.getBBox();
      return b.x < -0.5 || b.y < -0.5 || b.x + b.width > view.width + 0.5 || b.y + b.height > view.height + 0.5;
    }).map((e) => e.outerHTML.slice(0, 80));
    const bars = [...svg.querySelectorAll("rect.window")].map((r) => r.getAttribute("fill") === "#c9372c");
    const breach = svg.querySelector("line.breach");
    return {
      kind: svg.getAttribute("class"), width: box.width, height: box.height, ratio: view.width / view.height,
      days: svg.querySelectorAll("rect.day").length, bars, outside,
      breachY: breach ? breach.y1.baseVal.value : null,
    };
  }));
  const urls = Number(process.env.URLS);
  const calendars = charts.filter((c) => c.kind === "calendar");
  const barCharts = charts.filter((c) => c.kind === "bars");
  if (calendars.length !== urls || barCharts.length !== urls) problems.push(`${calendars.length} calendars and ${barCharts.length} bar charts for ${urls} URLs`);
  for (const [i, c] of charts.entries()) {
    if (c.width < 600 || Math.abs(c.width / c.height - c.ratio) > 0.05) problems.push(`chart ${i} (${c.kind}): ${c.width} x ${c.height}`);
    if (c.outside.length) problems.push(`chart ${i} (${c.kind}): ${c.outside.length} elements outside, such as ${c.outside[0]}`);
  }
  for (const c of calendars) if (c.days !== 364) problems.push(`a calendar of ${c.days} days`);
  const breached = barCharts.map((c) => c.bars.map((b, i) => (b ? i + 1 : 0)).filter((i) => i));
  if (JSON.stringify(breached) !== process.env.BREACHED) problems.push(`breached windows ${JSON.stringify(breached)}, expected ${process.env.BREACHED}`);
  await page.screenshot({ path: process.env.SHOT, fullPage: true });

  // Print: A4 less the page's 12 mm margins, in CSS pixels (96 per inch).
  const mm = 96 / 25.4;
  const content = { width: (210 - 24) * mm, height: (297 - 24) * mm };
  await page.setViewportSize({ width: Math.floor(content.width), height: Math.floor(content.height) });
  await page.emulateMedia({ media: "print" });
  const print = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    figures: [...document.querySelectorAll("figure")].map((f) => {
      const b = f.getBoundingClientRect();
      return { width: b.width, right: b.right, height: b.height, avoid: getComputedStyle(f).breakInside };
    }),
    wide: [...document.querySelectorAll("main *")].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).map((e) => e.tagName + "." + e.className).slice(0, 5),
  }));
  if (print.scrollWidth > Math.floor(content.width) + 1 || print.wide.length) problems.push(`printed, the page is ${print.scrollWidth} px wide for ${Math.floor(content.width)}: ${print.wide.join(", ")}`);
  if (print.figures.length !== 2 * urls) problems.push(`${print.figures.length} figures in print`);
  for (const [i, f] of print.figures.entries()) {
    if (f.avoid !== "avoid") problems.push(`figure ${i}: break-inside ${f.avoid}, so a page break may cut it`);
    if (f.height > content.height) problems.push(`figure ${i}: ${f.height} px, taller than an A4 page (${content.height})`);
    if (f.right > content.width + 0.5) problems.push(`figure ${i}: ends at ${f.right} px, past the page's ${content.width}`);
  }
  await page.pdf({ path: process.env.PDF, preferCSSPageSize: true, printBackground: true });
  await browser.close();
  const pdf = fs.readFileSync(process.env.PDF, "latin1");
  const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length;
  // A4 is 595.28 x 841.89 pt; Chromium writes it to its own rounding (594.96 x 841.92).
  const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
  const a4 = boxes.length > 0 && boxes.every(([w, h]) => Math.abs(w - 595.28) < 1 && Math.abs(h - 841.89) < 1);
  if (!a4) problems.push("the PDF's pages are not A4 (595 x 842 pt)");
  if (pages < 2) problems.push(`a PDF of ${pages} pages`);
  const size = fs.statSync(process.env.SHOT).size;
  if (size < 40000) problems.push(`screenshot of ${size} bytes: blank?`);
  if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
  const tallest = Math.max(...print.figures.map((f) => f.height));
  console.log(`ok ${process.env.NAME}: ${calendars.length} calendars of 364 days and ${barCharts.length} charts of 13 bars drawn at ${Math.round(charts[0].width)} px, every element inside; breached windows ${JSON.stringify(breached)}; no request, no console error; printed at A4 ${Math.round(content.width)} px wide with nothing wider, ${print.figures.length} figures unbreakable and at most ${Math.round(tallest)} of ${Math.round(content.height)} px tall; PDF of ${pages} A4 pages; screenshot ${size} bytes`);
})().catch((e) => { console.error(e); process.exit(1); });
JS
check() { # name page urls breached
  NAME="$1" PLAYWRIGHT="$tools/node_modules/playwright-core" CHROMIUM="$chromium" PAGE="$2" \
    URLS="$3" BREACHED="$4" SHOT="$out/$1.png" PDF="$out/$1.pdf" node "$out/check.cjs"
}
check year "$out/year.html" 3 '[[4,13],[9],[]]'

# A blank page must fail the same check: the proof is not vacuous.
printf '<!doctype html><html><body></body></html>\n' >"$out/blank.html"
if check blank "$out/blank.html" 3 '[]' 2>/dev/null; then
  echo "year-proofs: a blank page passed the check" >&2
  exit 1
fi
echo "ok: a blank page fails the check"
