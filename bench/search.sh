#!/usr/bin/env bash
# Search latency (issue 14, P2): p50/p99 of portal queries at 1M documents on two corpora, and at 100k beside
# PostgreSQL's ILIKE with trigram indexes on the same documents and queries.
#
# Runs `cargo bench -p gongkai-search` (crates/gongkai-search/benches/index_and_query/) for the corpora `zipf`
# and `adversarial` at BENCH_SEARCH_DOCS (default 1 000 000), then at BENCH_SEARCH_PG_DOCS (default 100 000)
# with the documents and queries also written for PostgreSQL. When PostgreSQL answers at BENCH_SEARCH_PG_URL
# (default postgres://postgres@127.0.0.1/postgres), the documents are loaded into a scratch database
# (gongkai_bench_search, dropped afterwards) with pg_trgm GIN indexes on title and body, and the same queries
# are timed with psql's \timing, after one untimed pass as for tantivy. Writes bench/results/search.json:
# per run `corpus`, `docs`, `p50_ms`, `p99_ms`, `index_seconds`, `index_mb` (and more), and at the smaller size
# `pg_p50_ms`, `pg_p99_ms`, `pg_ratio` (PostgreSQL p50 / tantivy p50). BENCH_QUERIES (default 300) queries per run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gongkai/target}"
big="${BENCH_SEARCH_DOCS:-1000000}"
small="${BENCH_SEARCH_PG_DOCS:-100000}"
pg_url="${BENCH_SEARCH_PG_URL:-postgres://postgres@127.0.0.1/postgres}"
pg_db=gongkai_bench_search
export BENCH_QUERIES="${BENCH_QUERIES:-300}"

work=$(mktemp -d)
pg_created=""
cleanup() {
  [ -n "$pg_created" ] && psql -X -q "$pg_url" -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cargo bench --locked -p gongkai-search --bench index_and_query --no-run

# One run of the benchmark: corpus, size, extra environment; appends its JSON line to $work/runs.jsonl.
bench_run() {
  local corpus=$1 docs=$2
  shift 2
  echo "bench/search: $corpus, $docs documents (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  env BENCH_CORPUS="$corpus" BENCH_DOCS="$docs" BENCH_JSON="$work/runs.jsonl" "$@" \
    nice cargo bench --locked -p gongkai-search --bench index_and_query 2>&1 | grep -v '^\s*$' | sed -n '/^gongkai-search benchmark/,$p'
}

have_pg=""
if command -v psql >/dev/null 2>&1 && psql -X -q "$pg_url" -c 'SELECT 1' >/dev/null 2>&1; then
  have_pg=1
else
  echo "bench/search: PostgreSQL not reachable at $pg_url: no anchor" >&2
fi

# Times the queries of $1 (SQL file) against the scratch database: prints "p50 p99" in ms.
pg_time() {
  local url=$1 sql=$2
  psql -X -q "$url" -f "$sql" >/dev/null # one untimed pass, as for tantivy
  psql -X -q "$url" -f "$sql" | awk '/^Time:/ {print $2}' | sort -n | python3 -c '
import sys
v = [float(x) for x in sys.stdin if x.strip()]
pct = lambda p: v[round((len(v) - 1) * p)]
print(f"{pct(0.5):.3f} {pct(0.99):.3f} {len(v)}")'
}

pg_runs=""
for corpus in zipf adversarial; do
  bench_run "$corpus" "$big"
done
for corpus in zipf adversarial; do
  if [ -z "$have_pg" ]; then
    bench_run "$corpus" "$small"
    continue
  fi
  bench_run "$corpus" "$small" BENCH_PG_DIR="$work/pg"
  db_url="${pg_url%/*}/$pg_db"
  PGOPTIONS=--client-min-messages=warning psql -X -q "$pg_url" -c "DROP DATABASE IF EXISTS $pg_db" -c "CREATE DATABASE $pg_db" >/dev/null
  pg_created=1
  start=$(date +%s.%N)
  psql -X -q -v ON_ERROR_STOP=1 "$db_url" >/dev/null <<SQL
CREATE EXTENSION pg_trgm;
CREATE TABLE docs (id bigint PRIMARY KEY, agency_code text, year int, genre text, title text, body text,
                   doc_no text, index_no text);
\copy docs FROM '$work/pg/$corpus-$small.tsv'
CREATE INDEX ON docs USING gin (title gin_trgm_ops);
CREATE INDEX ON docs USING gin (body gin_trgm_ops);
CREATE INDEX ON docs (doc_no);
CREATE INDEX ON docs (index_no);
VACUUM ANALYZE docs;
SQL
  load_s=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
  db_mb=$(psql -X -qAt "$db_url" -c "SELECT pg_database_size('$pg_db') / 1000000")
  read -r pg_p50 pg_p99 pg_n < <(pg_time "$db_url" "$work/pg/$corpus-$small.sql")
  echo "bench/search: PostgreSQL $corpus $small: $pg_n queries, p50 $pg_p50 ms, p99 $pg_p99 ms (load and indexes $load_s s, $db_mb MB)"
  pg_runs+="$corpus $small $pg_p50 $pg_p99 $load_s $db_mb"$'\n'
  psql -X -q "$pg_url" -c "DROP DATABASE $pg_db" >/dev/null
  pg_created=""
  rm -rf "$work/pg"
done

mkdir -p bench/results
MACHINE="$(machine_json)" PG_RUNS="$pg_runs" python3 - "$work/runs.jsonl" >bench/results/search.json <<'PY'
import json, os, sys
runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
for line in os.environ["PG_RUNS"].splitlines():
    corpus, docs, p50, p99, load_s, db_mb = line.split()
    for r in runs:
        if r["corpus"] == corpus and r["docs"] == int(docs):
            r.update(pg_p50_ms=float(p50), pg_p99_ms=float(p99), pg_ratio=round(float(p50) / r["p50_ms"], 1),
                     pg_load_and_index_seconds=float(load_s), pg_database_mb=int(db_mb))
print(json.dumps({
    "machine": json.loads(os.environ["MACHINE"]),
    "what": "gongkai-search queries (exact total, facet counts, top 10 with snippets) after one untimed pass, "
            "one at a time; PostgreSQL: ILIKE on title/body with pg_trgm GIN indexes, count(*) OVER () and the "
            "10 newest, psql \\timing; pg_ratio = pg_p50_ms / p50_ms",
    "runs": runs,
}, indent=2, ensure_ascii=False))
PY
echo "bench/search: wrote bench/results/search.json"
