#!/usr/bin/env bash
# Memory (issue 14, P6), two parts; writes bench/results/memory.json.
#
# 1. PDF rendering: the reference report rendered 30 times (BENCH_RENDERS), each a different document, in one
#    process (crates/gongkai-pdf/examples/pdf_memory.rs, release build); VmRSS before, after the first and after
#    the last render. BENCH_RENDERS=0 keeps the figures of the last run (building the example compiles typst).
# 2. A server with a million catalog entries indexed (BENCH_CATALOG, default 1 000 000; 0 skips this part):
#    `gongkai serve --demo` once on a temporary data dir, then bench/gen_catalog.py adds the entries to its SQLite
#    database and the index is deleted, so that the next `gongkai serve` rebuilds it from the database before it
#    answers (the rebuild's time is recorded). VmRSS and RssAnon (heap) of that server once it answers, after
#    30 s at rest, after 200 searches (BENCH_SEARCHES) and again at rest; then of a second start that opens the
#    index already built (no rebuild), at rest and after the same searches. Goal: at rest ≤ 150 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gongkai/target}"
n="${BENCH_RENDERS:-30}"
catalog="${BENCH_CATALOG:-1000000}"
searches="${BENCH_SEARCHES:-200}"

if [ "$n" -gt 0 ]; then
  out=$(cargo run --release --locked -q -p gongkai-pdf --example pdf_memory "$n")
else
  # BENCH_RENDERS=0: the PDF part is not run again; its figures of the last run are kept (marked as such).
  out=$(python3 -c 'import json,sys; d=json.load(open("bench/results/memory.json")); p=d.get("pdf_renders"); p and p.setdefault("kept_from", d["machine"]["date"]); print(json.dumps(p))' 2>/dev/null || echo null)
fi
echo "bench/memory: $out"

server="null"
if [ "$catalog" -gt 0 ]; then
  cargo build --release --locked -q -p gongkai
  bin="$CARGO_TARGET_DIR/release/gongkai"
  work=$(mktemp -d)
  gk_pid=""
  cleanup() {
    [ -n "$gk_pid" ] && kill "$gk_pid" 2>/dev/null || true
    rm -rf "$work"
  }
  trap cleanup EXIT
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  url="http://127.0.0.1:$port"
  start() { # start [--demo]: starts the server and waits until it answers; the seconds it took go to $started_s
    local t0
    t0=$(date +%s.%N)
    RUST_LOG=warn "$bin" --data-dir "$work/data" serve "$@" --addr "127.0.0.1:$port" >>"$work/gongkai.log" 2>&1 &
    gk_pid=$!
    until curl -fs "$url/healthz" >/dev/null 2>&1; do
      kill -0 "$gk_pid" 2>/dev/null || { cat "$work/gongkai.log" >&2; exit 1; }
      sleep 0.5
    done
    started_s=$(python3 -c "print(f'{$(date +%s.%N) - $t0:.1f}')")
  }
  stop() { kill "$gk_pid"; wait "$gk_pid" 2>/dev/null || true; gk_pid=""; }
  # The server's memory now: "VmRSS RssAnon" in MB (RssAnon: the heap, without the pages of memory-mapped
  # index files, which the kernel drops under pressure and reads again).
  mem() { awk '/^VmRSS|^RssAnon/ {printf "%.0f ", $2/1024}' "/proc/$gk_pid/status"; }
  search_all() { # the searches people make: one or two words, the whole platform or an agency
    local words=(政府信息公开 安全生产 乡村振兴 "财政预算 行政许可" 义务教育 "优化营商环境" 统计信息 "防汛抗旱 应急预案")
    for i in $(seq 1 "$searches"); do
      local w=${words[$((i % ${#words[@]}))]}
      local path="/search"
      [ $((i % 3)) -eq 0 ] && path="/yima-office/search"
      curl -fs -G "$url$path" --data-urlencode "q=$w" -o /dev/null
    done
  }
  start --demo
  stop
  python3 bench/gen_catalog.py "$work/data/gongkai.db" "$catalog"
  rm -rf "$work/data/search"
  start
  rebuild_s=$started_s
  total=$(curl -fs -G "$url/search" --data-urlencode "q=工作" | grep -o '找到 [0-9]* 条结果' | head -n1 | tr -dc 0-9 || true)
  read -r rss_rebuilt anon_rebuilt <<<"$(mem)"
  sleep 30
  read -r rss_rest anon_rest <<<"$(mem)"
  search_all
  read -r rss_searched anon_searched <<<"$(mem)"
  sleep 30
  read -r rss_searched_rest anon_searched_rest <<<"$(mem)"
  stop
  start
  open_s=$started_s
  read -r rss_open anon_open <<<"$(mem)"
  sleep 30
  read -r rss_open_rest anon_open_rest <<<"$(mem)"
  search_all
  read -r rss_open_searched anon_open_searched <<<"$(mem)"
  stop
  index_mb=$(du -sm "$work/data/search" | cut -f1)
  server=$(printf '{"catalog_entries_added":%s,"matches_of_gongzuo":"%s","index_mb":%s,"rebuild_start_seconds":%s,"rss_after_rebuild_mb":%s,"anon_after_rebuild_mb":%s,"rss_after_rebuild_30s_mb":%s,"anon_after_rebuild_30s_mb":%s,"searches":%s,"rss_after_searches_mb":%s,"anon_after_searches_mb":%s,"rss_after_searches_30s_mb":%s,"anon_after_searches_30s_mb":%s,"reopen_start_seconds":%s,"rss_reopened_mb":%s,"anon_reopened_mb":%s,"rss_reopened_30s_mb":%s,"anon_reopened_30s_mb":%s,"rss_reopened_after_searches_mb":%s,"anon_reopened_after_searches_mb":%s}' \
    "$catalog" "${total:-}" "$index_mb" "$rebuild_s" "$rss_rebuilt" "$anon_rebuilt" "$rss_rest" "$anon_rest" "$searches" \
    "$rss_searched" "$anon_searched" "$rss_searched_rest" "$anon_searched_rest" "$open_s" "$rss_open" "$anon_open" \
    "$rss_open_rest" "$anon_open_rest" "$rss_open_searched" "$anon_open_searched")
  echo "bench/memory: server $server"
fi

mkdir -p bench/results
printf '{"machine":%s,"pdf_renders":%s,"server_with_catalog":%s}\n' "$(machine_json)" "$out" "$server" |
  python3 -m json.tool >bench/results/memory.json
echo "bench/memory: wrote bench/results/memory.json"
