#!/usr/bin/env bash
# Memory of PDF rendering (issue 14, P6): the reference report rendered 30 times, each a different document, in
# one process (crates/gongkai-pdf/examples/pdf_memory.rs, release build); VmRSS before, after the first and after
# the last render. Writes bench/results/memory.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/gongkai/target}"
n="${BENCH_RENDERS:-30}"
out=$(cargo run --release --locked -q -p gongkai-pdf --example pdf_memory "$n")
echo "bench/memory: $out"
mkdir -p bench/results
printf '{"machine":%s,"pdf_renders":%s}\n' "$(machine_json)" "$out" | python3 -m json.tool >bench/results/memory.json
echo "bench/memory: wrote bench/results/memory.json"
