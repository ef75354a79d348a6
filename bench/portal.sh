#!/usr/bin/env bash
# Portal pages side by side with nginx serving the same bytes (issue 14, P1).
#
# Builds the release binary, starts `gongkai serve --demo` on a temporary data dir, saves each page's bytes as
# the server sends them, serves those files with nginx (keep-alive, sendfile, no gzip), and loads both with
# `wrk -t2 -c64` on the same machine: BENCH_ROUNDS rounds (default 5) of BENCH_SECONDS each (default 5), gongkai
# and nginx taking turns, so that a drift of the machine touches both. One run of a few seconds swings by up to
# a fifth here (nginx gave 114k and 136k req/s on the same file a minute apart), so a page's figures are the
# medians of its rounds; every round is kept in the file. Writes bench/results/portal.json: per page
# `req_per_s`, `p99_ms`, `nginx_req_per_s`, `nginx_p99_ms`, `ratio` (of the medians) and `rounds`.
# Installs wrk and nginx from Debian when missing (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
secs="${BENCH_SECONDS:-5}"
rounds="${BENCH_ROUNDS:-5}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gongkai/target}"

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

cargo build --release --locked -p gongkai
bin="$CARGO_TARGET_DIR/release/gongkai"

work=$(mktemp -d)
cleanup() {
  [ -n "${gk_pid:-}" ] && kill "$gk_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
gk_port=$(free_port)
ng_port=$(free_port)

# The public throttle does not touch GETs of portal pages; the log is kept quiet so that logging is not measured.
RUST_LOG=warn "$bin" --data-dir "$work/data" serve --demo --addr "127.0.0.1:$gk_port" >"$work/gongkai.log" 2>&1 &
gk_pid=$!
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$gk_port/healthz" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:$gk_port/healthz" >/dev/null

# The pages: the platform home, an agency home, a column, an article (the newest of 工作动态), the library.
article=$(curl -fs "http://127.0.0.1:$gk_port/yima-office/gzdt/" | grep -o 'href="/yima-office/gzdt/[0-9]*"' | head -n1 | cut -d'"' -f2)
[ -n "$article" ] || { echo "bench/portal: no article found in /yima-office/gzdt/" >&2; exit 1; }
pages=("/" "/yima-office/" "/yima-office/gzdt/" "$article" "/library")
names=("home" "agency_home" "column" "article" "library")

mkdir -p "$work/www"
for i in "${!pages[@]}"; do
  curl -fs "http://127.0.0.1:$gk_port${pages[$i]}" -o "$work/www/${names[$i]}.html"
done
cat >"$work/nginx.conf" <<EOF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/html html; }
  client_body_temp_path $work/tmp;
  proxy_temp_path $work/tmp;
  fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp;
  scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$ng_port;
    root $work/www;
  }
}
EOF
mkdir -p "$work/tmp"
"$nginx_bin" -c "$work/nginx.conf" -p "$work"
sleep 1

# wrk's summary: requests/s and the 99th percentile latency in ms.
run_wrk() {
  local out rps p99
  out=$(wrk -t2 -c64 -d"${secs}s" --latency "$1")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")
  echo "$rps $p99"
}

# The median of numbers given one per line.
median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

results=""
for i in "${!pages[@]}"; do
  g_all=() n_all=() runs=""
  for r in $(seq 1 "$rounds"); do
    read -r g_rps g_p99 < <(run_wrk "http://127.0.0.1:$gk_port${pages[$i]}")
    read -r n_rps n_p99 < <(run_wrk "http://127.0.0.1:$ng_port/${names[$i]}.html")
    g_all+=("$g_rps $g_p99") n_all+=("$n_rps $n_p99")
    runs+=$(printf '%s{"req_per_s":%s,"p99_ms":%s,"nginx_req_per_s":%s,"nginx_p99_ms":%s}' \
      "${runs:+,}" "$g_rps" "$g_p99" "$n_rps" "$n_p99")
  done
  g_rps=$(printf '%s\n' "${g_all[@]}" | cut -d' ' -f1 | median)
  g_p99=$(printf '%s\n' "${g_all[@]}" | cut -d' ' -f2 | median)
  n_rps=$(printf '%s\n' "${n_all[@]}" | cut -d' ' -f1 | median)
  n_p99=$(printf '%s\n' "${n_all[@]}" | cut -d' ' -f2 | median)
  bytes=$(stat -c %s "$work/www/${names[$i]}.html")
  ratio=$(awk -v a="$g_rps" -v b="$n_rps" 'BEGIN {printf "%.3f", a / b}')
  echo "bench/portal: ${names[$i]} ${pages[$i]} ($bytes bytes), medians of $rounds rounds: gongkai $g_rps req/s p99 ${g_p99} ms; nginx $n_rps req/s p99 ${n_p99} ms; ratio $ratio"
  results+=$(printf '%s{"page":"%s","path":"%s","bytes":%s,"req_per_s":%s,"p99_ms":%s,"nginx_req_per_s":%s,"nginx_p99_ms":%s,"ratio":%s,"rounds":[%s]}' \
    "${results:+,}" "${names[$i]}" "${pages[$i]}" "$bytes" "$g_rps" "$g_p99" "$n_rps" "$n_p99" "$ratio" "$runs")
done
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$gk_pid/status")

mkdir -p bench/results
printf '{"machine":%s,"tool":"wrk -t2 -c64 -d%ss --latency, keep-alive, server and load on the same machine; medians of %s rounds taking turns","server_rss_mb_after":%s,"pages":[%s]}\n' \
  "$(machine_json)" "$secs" "$rounds" "$((rss_kb / 1024))" "$results" | python3 -m json.tool >bench/results/portal.json
echo "bench/portal: wrote bench/results/portal.json"
