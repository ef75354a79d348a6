#!/usr/bin/env bash
# Intake (issue 14, P5): durable submissions per second through the JSON API on SQLite.
#
# Starts the release `gongkai serve --demo` on a temporary data dir with the public throttle opened
# (GONGKAI__PUBLIC__BURST=1000000, the most the configuration accepts), posts one valid application again and again with `wrk -t2 -c16` (BENCH_SECONDS,
# default 10) to POST /api/v1/yima-office/applications, then counts the rows the database holds: every 201 must
# be there (the server acknowledges only after the commit; requests in flight when wrk stops may add a few
# rows beyond its count). Writes bench/results/intake.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
secs="${BENCH_SECONDS:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gongkai/target}"
command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

cargo build --release --locked -p gongkai
bin="$CARGO_TARGET_DIR/release/gongkai"
work=$(mktemp -d)
cleanup() {
  [ -n "${gk_pid:-}" ] && kill "$gk_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
GONGKAI__PUBLIC__BURST=1000000 GONGKAI__PUBLIC__REPLENISH_SECS=1 RUST_LOG=warn \
  "$bin" --data-dir "$work/data" serve --demo --addr "127.0.0.1:$port" >"$work/gongkai.log" 2>&1 &
gk_pid=$!
# The largest burst the configuration accepts (config.rs: 1..=1,000,000); a refused setting stops start-up.
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$gk_pid" 2>/dev/null || { echo "bench/intake: the server stopped:" >&2; cat "$work/gongkai.log" >&2; exit 1; }
  sleep 1
done

count() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from applications").fetchone()[0])' "$work/data/gongkai.db"; }
before=$(count)
cat >"$work/post.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"applicant_type":"natural_person","name":"张三","id_type":"id_card","id_number":"11010519491231002X","phone":"0398-1234567","email":"zhangsan@example.cn","address":"河南省义马市千秋路1号","description":"2023年义马市老旧小区改造项目的资金拨付文件","delivery":"email"}'
EOF
out=$(wrk -t2 -c16 -d"${secs}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/yima-office/applications")
echo "$out"
rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
total=$(awk '/requests in/ {print $1}' <<<"$out")
non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")
sleep 1
after=$(count)
stored=$((after - before))
echo "bench/intake: ${rps} req/s, ${total} requests, ${non2xx:-0} not 2xx, ${stored} stored"
mkdir -p bench/results
printf '{"machine":%s,"tool":"wrk -t2 -c16 -d%ss, one JSON application posted repeatedly, server and load on the same machine","backend":"sqlite","req_per_s":%s,"p99_ms":%s,"requests":%s,"non_2xx":%s,"rows_stored":%s}\n' \
  "$(machine_json)" "$secs" "$rps" "$p99" "$total" "${non2xx:-0}" "$stored" | python3 -m json.tool >bench/results/intake.json
echo "bench/intake: wrote bench/results/intake.json"
