#!/usr/bin/env bash
# The drill email proven with a consumer that is not cfready's (run by .ci/run): Python's
# standard `email` package (policy.default, the RFC 5322/MIME parser) reads `cfready drill
# --print`, finds a multipart/alternative of a text and an HTML part, and the HTML part's
# <script type="application/json" id="incident-data"> holds every field Atlassian documents,
# of its JSON type; the subject and both parts say DRILL. The same parser reads the test
# emails of `slo --atlassian` (tests/fixtures/emails), so that they are real MIME too.
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary .ci/run built once ($CFREADY), or a debug build.
# shellcheck source=scripts/binary.sh
source scripts/binary.sh
cfready=$(cfready_binary debug)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$cfready" drill examples/acme-timesheets.yaml --print --time 2026-12-03T08:35:00Z >"$work/drill.eml"
python3 - "$work/drill.eml" tests/fixtures/emails <<'PY'
import email, json, pathlib, re, sys
from email import policy

SCRIPT = re.compile(r'<script type="application/json" id="incident-data">(.*?)</script>', re.S)
TYPES = {"appKey": str, "incidentId": str, "incidentStatus": str, "time": str,
         "metricName": str, "metricUnit": str, "measurementDurationSeconds": int,
         "sliValue": float, "sloValue": float}

def incident_data(message):
    html = message.get_body(preferencelist=("html",))
    match = SCRIPT.search(html.get_content()) if html else None
    return json.loads(match.group(1)) if match else None

def check(data, where):
    for key, kind in TYPES.items():
        assert isinstance(data[key], kind) and not isinstance(data[key], bool), (where, key, data[key])
    assert isinstance(data["appDetails"]["name"], str) and isinstance(data["appDetails"]["partnerName"], str), where
    assert data["metricUnit"] == "PERCENT", where

drill = email.message_from_bytes(pathlib.Path(sys.argv[1]).read_bytes(), policy=policy.default)
assert drill.get_content_type() == "multipart/alternative", drill.get_content_type()
assert [p.get_content_type() for p in drill.iter_parts()] == ["text/plain", "text/html"]
assert drill["Subject"].startswith("[DRILL] "), drill["Subject"]
assert drill["Date"].datetime is not None and drill["Message-ID"]
assert drill.get_body(preferencelist=("plain",)).get_content().startswith("DRILL: ")
data = incident_data(drill)
check(data, "drill")
assert data["incidentId"].startswith("DRILL-") and data["time"] == "2026-12-03T08:35:00Z"
assert set(data) == set(TYPES) | {"appDetails"}, sorted(data)
print("drill incident-data, as Python's email package reads it:")
print(json.dumps(data, indent=2))

read = 0
for path in sorted(pathlib.Path(sys.argv[2]).glob("*.eml")):
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert not message.defects, (path, message.defects)
    try:
        data = incident_data(message)
    except json.JSONDecodeError:
        data = "malformed"
    if isinstance(data, dict):
        check(data, path.name)
    read += 1
    print(f"{path.name}: {message.get_content_type()}, incident-data "
          f"{'present' if isinstance(data, dict) else data or 'absent'}")
assert read >= 3, read
PY
echo "ok: the drill email and the test emails parse in Python's email package"
