#!/usr/bin/env bash
# `fairlabel aggregate` as a whole process on the 1,000,000-answer crowd (200,000 items, 2,000
# workers, 5 classes, seed 2024; the engine table's crowd), against crowd-kit 1.4.1 on the same
# file, with wall time, CPU time (user + system: what a busy machine distorts least) and peak
# memory from GNU time. Prints the best and the median of RUNS.
#   bench/aggregate-cli.sh [METHOD] [RUNS]      (default ds 5)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
method=${1:-ds}
runs=${2:-5}
work=$(mktemp -d /tmp/fl-aggregate-XXXX)
trap 'rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null

dotnet build "$root/src/Fairlabel" -c Release -v q -nologo >/dev/null
dotnet run -c Release --project "$root/bench/Fairlabel.Quality.Bench" -- crowd-csv "$work/answers.csv" >/dev/null
ls -l "$work/answers.csv" >&2

# The executable as a user runs it, without the server's runtime.env settings.
for run in $(seq "$runs"); do
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.$run" \
    dotnet "$root/src/Fairlabel/bin/Release/net10.0/fairlabel.dll" aggregate --method "$method" \
      --input "$work/answers.csv" --output "$work/labels.csv"
done
[ "$(wc -l <"$work/labels.csv")" -eq 200001 ] || { echo "expected 200,000 labels" >&2; exit 1; }

# crowd-kit 1.4.1 with pandas reading the same file (DawidSkene(n_iter=100).fit_predict), as
# measured on a 2-core machine of this kind; run live when crowd-kit is installed.
crowdkit_seconds=28 crowdkit_mb=551 crowdkit_source="recorded (crowd-kit 1.4.1, Python, 2-core machine of this kind)"
if [ "$method" = ds ] && python3 -c 'import crowdkit' 2>/dev/null; then
  /usr/bin/time -f "%e %M" -o "$work/time.ck" python3 -c "
import sys, pandas as pd
from crowdkit.aggregation import DawidSkene
df = pd.read_csv(sys.argv[1]).rename(columns={'item': 'task', 'answer': 'label'})
DawidSkene(n_iter=100).fit_predict(df).to_csv(sys.argv[2])" "$work/answers.csv" "$work/ck.csv"
  read -r crowdkit_seconds kb <"$work/time.ck"; crowdkit_mb=$((kb / 1024)) crowdkit_source="measured now"
fi

cat "$work"/time.[0-9]* | sort -n | awk -v runs="$runs" -v method="$method" -v cks="$crowdkit_seconds" -v ckm="$crowdkit_mb" -v src="$crowdkit_source" '
  { s[NR] = $1; m[NR] = $2 / 1024; cpu[NR] = $3 + $4 }
  END {
    mid = int((NR + 1) / 2); peak = 0; best_cpu = cpu[1]
    for (i = 1; i <= NR; i++) { if (m[i] > peak) peak = m[i]; if (cpu[i] < best_cpu) best_cpu = cpu[i] }
    printf "fairlabel aggregate --method %s, 1,000,000 answers, %d runs: wall best %.2f s, median %.2f s; CPU best %.2f s; peak RSS %.0f MB (highest of the runs)\n", method, runs, s[1], s[mid], best_cpu, peak
    printf "crowd-kit 1.4.1 DawidSkene, same file: %.1f s, %d MB (%s)\n", cks, ckm, src
    printf "speed-up: %.0fx (best), %.0fx (median); memory: %.1fx less\n", cks / s[1], cks / s[mid], ckm / peak
  }'
