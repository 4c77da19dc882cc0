"""Write a v1 JSONL monitor history for the history benchmark: URLS base URLs observed every
60 s for DAYS days ending at END, all good but for known outages (a 45-minute one in February
on the first URL, the breach the benchmark looks for, and one failed minute a week on each)."""
import sys
from datetime import datetime, timedelta, timezone

urls, days, end = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
end = datetime.fromisoformat(end.replace("Z", "+00:00"))
start = end - timedelta(days=days)
breach = datetime(end.year, 2, 10, 3, 0, tzinfo=timezone.utc)
if breach > end:
    breach = breach.replace(year=end.year - 1)
ok = '{"version":1,"at":"%s","url":"https://app%d.example/health","base_url":"https://app%d.example","success":true,"failure":null,"status":200,"total_ms":%d}\n'
bad = '{"version":1,"at":"%s","url":"https://app%d.example/health","base_url":"https://app%d.example","success":false,"failure":"status","status":503,"total_ms":%d}\n'
out = sys.stdout
minutes = days * 1440
breach_minute = int((breach - start).total_seconds() // 60)
for minute in range(minutes):
    at = (start + timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    lines = []
    for u in range(urls):
        failed = (u == 0 and breach_minute <= minute < breach_minute + 45) or (
            minute % 10080 == 1000 + u
        )
        lines.append((bad if failed else ok) % (at, u, u, 100 + (minute * 7 + u) % 400))
    out.write("".join(lines))
