#!/usr/bin/env bash
# The annual report of an agency with many applications (issue 14, P3), on SQLite and on PostgreSQL.
#
# Generates BENCH_APPS applications (default 1,000,000) of one agency over 2021–2025 with their case logs
# (crates/gongkai-store/examples/gen_cases.rs: bulk inserts and the case summaries), then times
# `gongkai report generate --agency bench-office --year 2024 --format json` (BENCH_RUNS runs, default 3, the
# best and the worst kept) and its peak RSS (/usr/bin/time -v). The anchor is what a hand-written query would cost:
# one `GROUP BY` over the applications (`SELECT applicant_type, COUNT(*) … WHERE agency_id = … GROUP BY 1`), timed
# in the same database. PostgreSQL runs when a server answers on 127.0.0.1 (a scratch database is created and
# dropped). Writes bench/results/report.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
apps="${BENCH_APPS:-1000000}"
runs="${BENCH_RUNS:-3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gongkai/target}"
[ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }

cargo build --release --locked -p gongkai
cargo build --release --locked -p gongkai-store --example gen_cases
bin="$CARGO_TARGET_DIR/release/gongkai"
gen="$CARGO_TARGET_DIR/release/examples/gen_cases"

work=$(mktemp -d)
pg_db="gongkai_bench_report"
cleanup() {
  rm -rf "$work"
  if [ -n "${pg_url:-}" ]; then psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# run_backend NAME URL ANCHOR_SQL_COMMAND: prints one JSON object.
run_backend() {
  local name=$1 url=$2
  local gen_json
  gen_json=$("$gen" "$url" bench-office "$apps")
  local times=() rss=()
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -v -o "$work/time.txt" "$bin" --data-dir "$work/data" --database "$url" \
      report generate --agency bench-office --year 2024 --format json --out "$work/report.json" 2>/dev/null
    times+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=a[n]; if (n>1) s+=a[n-1]*60; print s}' "$work/time.txt")")
    rss+=("$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/time.txt")")
  done
  # The report must hold the generated cases: table 三's new applications of 2024 are about a fifth of them.
  local new
  new=$(python3 -c 'import json,sys; t3=json.load(open(sys.argv[1]))["tables"]["t3"]; print(t3["一"]["总计"])' "$work/report.json" 2>/dev/null || true)
  local anchor
  anchor=$(anchor_"$name" "$url")
  printf '{"backend":"%s","applications":%s,"generate":%s,"report_seconds":[%s],"report_best_s":%s,"peak_rss_mb":%s,"t3_new_2024":"%s","anchor_group_by_s":%s}' \
    "$name" "$apps" "$gen_json" "$(IFS=,; echo "${times[*]}")" \
    "$(printf '%s\n' "${times[@]}" | sort -g | head -n1)" "$(printf '%s\n' "${rss[@]}" | sort -g | tail -n1)" \
    "$new" "$anchor"
}

anchor_sqlite() {
  python3 - "$work/data/gongkai.db" <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
(aid,) = c.execute("SELECT id FROM agencies WHERE code = 'bench-office'").fetchone()
t = time.perf_counter()
c.execute("SELECT applicant_type, COUNT(*) FROM applications WHERE agency_id = ? GROUP BY 1", (aid,)).fetchall()
print(round(time.perf_counter() - t, 3))
PY
}

anchor_postgres() {
  local t0 t1
  t0=$(date +%s.%N)
  psql -q -h 127.0.0.1 -U postgres -d "$pg_db" -c "SELECT applicant_type, COUNT(*) FROM applications \
    WHERE agency_id = (SELECT id FROM agencies WHERE code = 'bench-office') GROUP BY 1" >/dev/null
  t1=$(date +%s.%N)
  python3 -c "print(round($t1 - $t0, 3))"
}

results=()
mkdir -p "$work/data"
echo "bench/report: SQLite, $apps applications" >&2
results+=("$(run_backend sqlite "sqlite://$work/data/gongkai.db?mode=rwc")")
if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1; then
  echo "bench/report: PostgreSQL, $apps applications" >&2
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $pg_db" -c "CREATE DATABASE $pg_db" >/dev/null
  pg_url="postgres://postgres@127.0.0.1/$pg_db"
  results+=("$(run_backend postgres "$pg_url")")
else
  echo "bench/report: no PostgreSQL on 127.0.0.1; SQLite only" >&2
fi

mkdir -p bench/results
printf '{"machine":%s,"year":2024,"runs":[%s]}\n' "$(machine_json)" "$(IFS=,; echo "${results[*]}")" \
  | python3 -m json.tool >bench/results/report.json
cat bench/results/report.json
