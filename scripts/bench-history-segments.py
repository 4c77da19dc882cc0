"""The design the store was measured against (issue 29): closed day segments per base URL
with per-minute bitmaps and an index, written from a v1 JSONL history. It writes the
segments and reports their size on disk and what a 28-day and a year query read, so that
scripts/bench-history.sh can print them beside the SQLite store's figures.

A segment holds one base URL's UTC day: a 180-byte bitmap of the minutes observed, a 180-byte
bitmap of the minutes with a failure, one u16 latency per minute (2,880 bytes), and the exact
failures (instant in ms, status, kind: 16 bytes each). The index is the file name
(URL-number/YYYY-MM-DD.seg). Only the layout's size and read volume are measured here, in
Python; its query speed in Rust was not built."""
import json, os, struct, sys, time
from collections import defaultdict

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
urls = {}
days = defaultdict(lambda: [bytearray(180), bytearray(180), bytearray(2880), []])
current_day = None

def flush(keep_day):
    for (u, day) in [k for k in days if k[1] != keep_day]:
        observed, failed, latency, failures = days.pop((u, day))
        folder = os.path.join(out, str(u))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, day + ".seg"), "wb") as f:
            f.write(struct.pack("<HH", len(failures), 0))
            f.write(observed); f.write(failed); f.write(latency)
            for at, status, kind in failures:
                f.write(struct.pack("<qHH4x", at, status, kind))

kinds = {}
started = time.time()
with open(src) as lines:
    for line in lines:
        o = json.loads(line)
        day, clock = o["at"][:10], o["at"][11:16]
        if day != current_day:
            flush(day)
            current_day = day
        u = urls.setdefault(o["url"], len(urls))
        minute = int(clock[:2]) * 60 + int(clock[3:5])
        observed, failed, latency, failures = days[(u, day)]
        observed[minute // 8] |= 1 << (minute % 8)
        latency[2 * minute:2 * minute + 2] = struct.pack("<H", min(o.get("total_ms") or 0, 65535))
        if not o["success"]:
            failed[minute // 8] |= 1 << (minute % 8)
            failures.append((0, o.get("status") or 0, kinds.setdefault(o.get("failure") or "", len(kinds))))
flush(None)
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)
segments = sum(len(fs) for _, _, fs in os.walk(out))
per_segment = size / max(segments, 1)
print(json.dumps({
    "bytes": size,
    "segments": segments,
    "mb_per_url_year": size / len(urls) / (segments / len(urls) / 365) / 1e6,
    "read_28_days_bytes": int(per_segment * 28 * len(urls)),
    "read_year_bytes": int(per_segment * 365 * len(urls)),
    "write_seconds_python": round(time.time() - started, 1),
}))
