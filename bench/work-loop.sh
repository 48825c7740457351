#!/usr/bin/env bash
# The work-loop benchmark of issue 3, end to end: builds Release, starts the server(s), runs the
# load generator (bench/Fairlabel.LoadGen), stops everything. Figures go to docs/benchmarks.md.
#
#   bench/work-loop.sh                  SQLite, one node (WAL, synchronous=FULL, as shipped)
#   bench/work-loop.sh --postgres       PostgreSQL (fsync and synchronous_commit on), two nodes
#
# Options (defaults are the issue's targets): --taskers 1000 --items 1000000 --overlap 3
#   --duration 30 --warmup 60 --think-ms 0 --markdown FILE --keep (leave the data directory, and the stopped cluster's)
#   The nodes start fresh for every run; the warm-up lets .NET's tiered compilation settle (20 s
#   after start it still took 44 % of a PostgreSQL node's CPU), so the figures are a running server's.
#   --timeline (print next-task latency per measured second: steady tail or bursts?)
#   --submit-and-next (one request per cycle: each tasker submits and takes its next task together)
#   --quiet-logs (serve with Microsoft.AspNetCore / EF Core logging at Warning; not as shipped)
#   --pg-socket (PostgreSQL: the nodes reach the database through its Unix socket, as nodes on the
#   database's own machine would, rather than over loopback TCP; the taskers still come over TCP)
# Environment: FLBENCH_DIR (default /tmp/flbench-sqlite or /tmp/flbench-pg),
#   FLBENCH_PG_PORT (default 55480): the cluster is separate from the tests' (scripts/test-postgres),
#   FLBENCH_NODE_ENV (VAR=value ... for the nodes alone, not the load generator; e.g. DOTNET_GCgen0size=0x4000000),
#   FLBENCH_LOADGEN (another build of fairlabel-loadgen.dll, to compare generators on the same server),
#   FLBENCH_LOADGEN_ENV (VAR=value ... for the generator; e.g. DOTNET_GCgen0size=0, the runtime's default GC budget),
#   FLBENCH_PG_NICE=N (renice the cluster's processes to N: the database's priority on the shared machine),
#   FLBENCH_LOADGEN_NICE=N (run the generator at nice N, e.g. -10: it stands in for browsers on machines of
#   their own, and a reply it reads late on the shared cores is counted as the server's latency),
#   FLBENCH_PG_STATEMENTS=1 (PostgreSQL: time, blocks and WAL per statement, via pg_stat_statements,
#   printed at the end and kept as pg-statements.txt, with how often each was planned; the figures include the import and warm-up).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

loadgen_extra=()
engine=sqlite taskers=1000 items=1000000 overlap=3 duration=30 warmup=60 think=0 markdown="" keep=0 quiet=0 pg_socket=0
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) engine=postgres ;;
    --sqlite) engine=sqlite ;;
    --taskers) taskers=$2; shift ;;
    --items) items=$2; shift ;;
    --overlap) overlap=$2; shift ;;
    --duration) duration=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --think-ms) think=$2; shift ;;
    --markdown) markdown=$2; shift ;;
    --keep) keep=1 ;;
    --quiet-logs) quiet=1 ;;
    --pg-socket) pg_socket=1 ;;
    --timeline) loadgen_extra+=(--timeline) ;;
    --submit-and-next) loadgen_extra+=(--submit-and-next) ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

dir=${FLBENCH_DIR:-/tmp/flbench-$engine}
pg_port=${FLBENCH_PG_PORT:-55480}
[ -n "$markdown" ] || markdown="$dir/result.md"
rm -rf "$dir"; mkdir -p "$dir"

echo "== build (Release)"
for project in src/Fairlabel.Migrations.Sqlite src/Fairlabel.Migrations.Postgres bench/Fairlabel.LoadGen; do
  dotnet build "$project" -c Release -v q -nologo >"$dir/build.log" 2>&1 || { cat "$dir/build.log" >&2; exit 1; }
done
server="$root/src/Fairlabel/bin/Release/net10.0/fairlabel.dll"
loadgen=${FLBENCH_LOADGEN:-"$root/bench/Fairlabel.LoadGen/bin/Release/net10.0/fairlabel-loadgen.dll"}
# The generator's first-generation GC budget of 64 MB: each of its collections stops every simulated
# tasker, and replies that arrive meanwhile are read late, inside the latencies it measures, while
# the taskers stand in for browsers on other machines.
loadgen_env="DOTNET_GCgen0size=0x4000000 ${FLBENCH_LOADGEN_ENV:-}"
loadgen_nice=${FLBENCH_LOADGEN_NICE:-0}

pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
  if [ "$engine" = postgres ]; then
    cp "$dir/pg/server.log" "$dir/postgres.log" 2>/dev/null || true
    # --keep keeps the cluster's data too, stopped: `scripts/test-postgres resume` with the same
    # FAIRLABEL_PG_DIR and FAIRLABEL_PG_PORT starts it again.
    FAIRLABEL_PG_DIR="$dir/pg" FAIRLABEL_PG_PORT=$pg_port scripts/test-postgres "$( [ "$keep" = 1 ] && echo halt || echo stop )"
  fi
  if [ "$keep" = 0 ]; then rm -rf "$dir/data" "$dir"/server-*.log; fi
}
trap stop_all EXIT

extra=()
if [ "$quiet" = 1 ]; then
  extra=(--Logging:LogLevel:Microsoft.AspNetCore=Warning --Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning)
fi

# start_node PORT [server options...]: serve in the background, wait until /health/live answers.
start_node() {
  local port=$1; shift
  env ${FLBENCH_NODE_ENV:-} dotnet "$server" serve --urls "http://127.0.0.1:$port" "$@" "${extra[@]}" >"$dir/server-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/health/live" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then tail -n 20 "$dir/server-$port.log" >&2; exit 1; fi
    sleep 0.5
  done
  echo "node on port $port did not answer /health/live" >&2; exit 1
}

{
  echo "machine: $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$( [ -n "$(git status --porcelain -- src 2>/dev/null)" ] && echo ' (with uncommitted changes in src/)')"
  echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  [ "$loadgen_nice" = 0 ] || echo "generator nice: $loadgen_nice"
} | tee "$dir/machine.txt"

if [ "$engine" = sqlite ]; then
  echo "== server: one node, SQLite in $dir/data"
  start_node 5080 --data "$dir/data" --Database:MigrateOnStart true
  nice -n "$loadgen_nice" env $loadgen_env dotnet "$loadgen" --url http://127.0.0.1:5080 --data "$dir/data" \
    --taskers "$taskers" --items "$items" --overlap "$overlap" --duration "$duration" --warmup "$warmup" \
    --think-ms "$think" --server-pid "${pids[0]}" --label "SQLite, one node" --markdown "$dir/loadgen.md" "${loadgen_extra[@]}" \
    | tee "$dir/loadgen.txt"
else
  echo "== PostgreSQL cluster (durable: fsync and synchronous_commit on) on port $pg_port"
  # Autovacuum runs and checkpoints are logged (kept as postgres.log) to line them up with the timeline.
  statements=${FLBENCH_PG_STATEMENTS:-0}
  [ "$statements" = 1 ] && FAIRLABEL_PG_EXTRA="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.track_planning=on ${FAIRLABEL_PG_EXTRA:-}"
  FAIRLABEL_PG_EXTRA="-c log_autovacuum_min_duration=0 -c log_checkpoints=on ${FAIRLABEL_PG_EXTRA:-}" \
    FAIRLABEL_PG_DIR="$dir/pg" FAIRLABEL_PG_PORT=$pg_port scripts/test-postgres start --durable >/dev/null
  # Scheduling priority of the database's processes (new backends inherit the postmaster's).
  if [ -n "${FLBENCH_PG_NICE:-}" ]; then renice -n "$FLBENCH_PG_NICE" -p $(pgrep -x postgres) >/dev/null; echo "postgres nice: $FLBENCH_PG_NICE" | tee -a "$dir/machine.txt"; fi
  createdb -h 127.0.0.1 -p "$pg_port" -U postgres fairlabel_bench
  [ "$statements" = 1 ] && psql -h 127.0.0.1 -p "$pg_port" -U postgres -d fairlabel_bench -qc "CREATE EXTENSION pg_stat_statements"
  settings=$(psql -h 127.0.0.1 -p "$pg_port" -U postgres -d fairlabel_bench -Atc \
    "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync','synchronous_commit','full_page_writes','wal_sync_method','shared_buffers','max_connections')")
  echo "postgres settings: $settings" | tee -a "$dir/machine.txt"
  pg_host=127.0.0.1
  if [ "$pg_socket" = 1 ]; then pg_host="$dir/pg"; echo "postgres reached through: its Unix socket" | tee -a "$dir/machine.txt"; fi
  cs="Host=$pg_host;Port=$pg_port;Username=postgres;Database=fairlabel_bench;Maximum Pool Size=${FLBENCH_PG_POOL:-100}"
  echo "== servers: two nodes on one database"
  start_node 5080 --Database:Provider postgres --ConnectionStrings:Fairlabel "$cs" --Database:MigrateOnStart true
  start_node 5081 --Database:Provider postgres --ConnectionStrings:Fairlabel "$cs"
  nice -n "$loadgen_nice" env $loadgen_env dotnet "$loadgen" --url http://127.0.0.1:5080 --url http://127.0.0.1:5081 \
    --Database:Provider postgres --ConnectionStrings:Fairlabel "$cs" \
    --taskers "$taskers" --items "$items" --overlap "$overlap" --duration "$duration" --warmup "$warmup" \
    --think-ms "$think" --server-pid "${pids[0]}" --server-pid "${pids[1]}" --db-process postgres \
    --label "PostgreSQL, two nodes" --markdown "$dir/loadgen.md" "${loadgen_extra[@]}" \
    | tee "$dir/loadgen.txt"
  # Where PostgreSQL's work went: updates that stayed on their page (HOT, no index writes) and
  # the autovacuum runs, per table.
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -d fairlabel_bench -P pager=off -c \
    "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_dead_tup, autovacuum_count, autoanalyze_count,
            last_autovacuum::time(0) AS last_autovacuum, last_autoanalyze::time(0) AS last_autoanalyze
       FROM pg_stat_user_tables WHERE relname IN ('items', 'assignments', 'answers', 'events') ORDER BY relname" \
    | tee "$dir/pg-tables.txt"
  if [ "$statements" = 1 ]; then
    psql -h 127.0.0.1 -p "$pg_port" -U postgres -d fairlabel_bench -P pager=off -c \
      "SELECT calls, round(total_exec_time::numeric) AS total_ms, round((1000 * total_exec_time / calls)::numeric) AS us_per_call,
              plans, round((1000 * total_plan_time / greatest(plans, 1))::numeric) AS us_per_plan,
              round(shared_blks_hit::numeric / calls, 1) AS blocks_per_call, round(wal_records::numeric / calls, 1) AS wal_records_per_call,
              round(wal_bytes / calls) AS wal_bytes_per_call, left(regexp_replace(query, '\s+', ' ', 'g'), 100) AS statement
         FROM pg_stat_statements WHERE calls > 0 ORDER BY total_exec_time DESC LIMIT 15" | tee "$dir/pg-statements.txt"
  fi
fi

{
  cat "$dir/loadgen.md"
  echo "- $(sed -n 1p "$dir/machine.txt")"
  sed -n '2,$p' "$dir/machine.txt" | sed 's/^/- /'
  echo "- script: \`bench/work-loop.sh$( [ "$engine" = postgres ] && echo ' --postgres') --taskers $taskers --items $items --overlap $overlap --duration $duration --warmup $warmup --think-ms $think$( [ "$quiet" = 1 ] && echo ' --quiet-logs')\`"
} >"$markdown"
echo "markdown: $markdown"
