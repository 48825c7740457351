#!/usr/bin/env bash
# Import of a 1,000,000-item JSONL file and export of the same project, on SQLite, through the
# `fairlabel` command line, with peak memory from GNU time.
#   bench/import-export.sh [ITEMS]     (default 1000000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
items=${1:-1000000}
work=$(mktemp -d /tmp/fl-bench-XXXX)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null

dotnet build "$root/Fairlabel.slnx" -c Release -v q -nologo >/dev/null
fl=(dotnet "$root/src/Fairlabel/bin/Release/net10.0/fairlabel.dll")

echo "generating $items items…" >&2
awk -v n="$items" 'BEGIN { for (i = 1; i <= n; i++)
  printf "{\"id\":\"item-%d\",\"data\":{\"text\":\"Customer message number %d: the export to CSV fails with a blank page since the last update.\",\"channel\":\"email\"},\"provenance\":{\"source\":\"bench\",\"licence\":\"CC-BY-4.0\",\"consentBasis\":\"synthetic\",\"personalData\":false,\"minors\":false}}\n", i, i }' >"$work/items.jsonl"
ls -l "$work/items.jsonl" >&2

"${fl[@]}" migrate --data "$work/data" >/dev/null
"${fl[@]}" users add --data "$work/data" --email bench@example.org --password bench-password --role requester --new-organisation Bench >/dev/null
"${fl[@]}" serve --data "$work/data" --urls http://127.0.0.1:5099 >/dev/null 2>&1 & server=$!
until curl -sf http://127.0.0.1:5099/health/live >/dev/null; do sleep 0.2; done
curl -sf -c "$work/jar" -H 'Content-Type: application/json' -d '{"email":"bench@example.org","password":"bench-password"}' \
  http://127.0.0.1:5099/api/auth/login >/dev/null
xsrf=$(awk '$6 == "XSRF-TOKEN" { print $7 }' "$work/jar")
curl -sf -b "$work/jar" -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' http://127.0.0.1:5099/api/projects -d '{
  "name": "Bench", "overlap": 3, "payPerTask": 0.1, "currency": "USD", "estimatedSeconds": 20,
  "template": {"fields": [{"id": "text", "type": "text", "source": "text"}],
               "questions": [{"id": "category", "type": "single_choice", "prompt": "Category",
                              "options": ["billing", "bug", "feature_request", "other"]}]}}' >/dev/null
kill $server; wait $server 2>/dev/null || true

echo "== import ==" >&2
/usr/bin/time -f "peak RSS %M KB, %e s wall" "${fl[@]}" import --data "$work/data" --project 1 "$work/items.jsonl"
echo "== export ==" >&2
/usr/bin/time -f "peak RSS %M KB, %e s wall" "${fl[@]}" export --data "$work/data" --project 1 --format jsonl --output "$work/export.jsonl"
wc -l "$work/export.jsonl"
