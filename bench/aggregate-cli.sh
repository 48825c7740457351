#!/usr/bin/env bash
# `fairlabel aggregate` as a whole process on the 1,000,000-answer crowd (200,000 items, 2,000
# workers, 5 classes, seed 2024; the engine table's crowd), against crowd-kit 1.4.1 on the same
# file. Per run: wall time, CPU time (user + system: what a busy machine distorts least), peak
# memory and minor page faults from GNU time, and the 1-minute load average as the run starts.
# Prints the best and the median of RUNS and the ratio to crowd-kit's time.
#   bench/aggregate-cli.sh [METHOD] [RUNS]      (default ds 5)
# Other builds, alternated run by run with this tree's (A, B, A, B, ...) so they share the load:
#   FLBENCH_AGAINST=DIR          a build output folder holding fairlabel.dll (e.g. another worktree's
#                                src/Fairlabel/bin/Release/net10.0, copied before it is rebuilt)
#   FLBENCH_READY_TO_RUN=1       this tree published with ReadyToRun (precompiled) code
# Every build's labels must be byte-for-byte the same.
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

builds=(this)
declare -A dll=([this]="$root/src/Fairlabel/bin/Release/net10.0/fairlabel.dll")
if [ -n "${FLBENCH_AGAINST:-}" ]; then
  builds+=(against)
  dll[against]="$FLBENCH_AGAINST/fairlabel.dll"
  [ -f "${dll[against]}" ] || { echo "no fairlabel.dll in $FLBENCH_AGAINST" >&2; exit 1; }
fi
if [ "${FLBENCH_READY_TO_RUN:-}" = 1 ]; then
  builds+=(r2r)
  dotnet publish "$root/src/Fairlabel" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$work/r2r" -v q -nologo >/dev/null
  dll[r2r]="$work/r2r/fairlabel.dll"
fi

# The executable as a user runs it (`./fairlabel aggregate ...` runs this same dll).
for run in $(seq "$runs"); do
  for build in "${builds[@]}"; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f "%e %M %U %S %R $load" -o "$work/time.$build.$run" \
      dotnet "${dll[$build]}" aggregate --method "$method" --input "$work/answers.csv" --output "$work/labels.$build.csv"
  done
done
[ "$(wc -l <"$work/labels.this.csv")" -eq 200001 ] || { echo "expected 200,000 labels" >&2; exit 1; }
for build in "${builds[@]}"; do
  cmp -s "$work/labels.this.csv" "$work/labels.$build.csv" || { echo "build '$build' wrote other labels than this tree's" >&2; exit 1; }
done

# crowd-kit 1.4.1 with pandas reading the same file (DawidSkene(n_iter=100).fit_predict), as
# measured on a 2-core machine of this kind; run live when crowd-kit is installed (it is not on
# these machines: they reach no Python package index).
crowdkit_seconds=28 crowdkit_mb=551
crowdkit_source="recorded earlier on a 2-core machine of this kind; crowd-kit cannot be installed here (no Python package index), so it was not run now"
if [ "$method" = ds ] && python3 -c 'import crowdkit' 2>/dev/null; then
  /usr/bin/time -f "%e %M" -o "$work/time.ck" python3 -c "
import sys, pandas as pd
from crowdkit.aggregation import DawidSkene
df = pd.read_csv(sys.argv[1]).rename(columns={'item': 'task', 'answer': 'label'})
DawidSkene(n_iter=100).fit_predict(df).to_csv(sys.argv[2])" "$work/answers.csv" "$work/ck.csv"
  read -r crowdkit_seconds kb <"$work/time.ck"; crowdkit_mb=$((kb / 1024)) crowdkit_source="measured now"
fi

echo "fairlabel aggregate --method $method, 1,000,000 answers, $runs runs per build$( [ ${#builds[@]} -gt 1 ] && echo ", builds alternated: ${builds[*]}")"
for build in "${builds[@]}"; do
  cat "$work"/time."$build".* | awk -v build="$build" -v cks="$crowdkit_seconds" '
    { wall[NR] = $1; rss[NR] = $2 / 1024; cpu[NR] = $3 + $4; faults[NR] = $5; load[NR] = $6 }
    function sort(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t } }
    END {
      n = NR; mid = int((n + 1) / 2); peak = 0
      for (i = 1; i <= n; i++) if (rss[i] > peak) peak = rss[i]
      sort(wall, n); sort(cpu, n); sort(load, n); sort(faults, n)
      printf "  %-8s CPU best %.2f s, median %.2f s (%.2f–%.2f); wall best %.2f s, median %.2f s (%.2f–%.2f); peak RSS %.0f MB; minor faults median %d; load average %.1f–%.1f\n", build, cpu[1], cpu[mid], cpu[1], cpu[n], wall[1], wall[mid], wall[1], wall[n], peak, faults[mid], load[1], load[n]
      printf "  %-8s vs crowd-kit %.0f s: %.0fx by best CPU, %.0fx by median CPU; %.0fx by best wall, %.0fx by median wall\n", build, cks, cks / cpu[1], cks / cpu[mid], cks / wall[1], cks / wall[mid]
    }'
done
echo "crowd-kit 1.4.1 DawidSkene, same file: ${crowdkit_seconds} s, ${crowdkit_mb} MB ($crowdkit_source)"
