# Shared helpers for bench/*.sh (sourced, not run).
# machine_json: the machine's facts as a JSON object (CPU model and count, memory, kernel, date, git commit).
machine_json() {
  local cpu mem
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//; s/"/\\"/g')
  mem=$(awk '/MemTotal/ {printf "%d", $2/1024}' /proc/meminfo)
  printf '{"cpu":"%s","cores":%s,"mem_mb":%s,"kernel":"%s","date":"%s","commit":"%s"}' \
    "$cpu" "$(nproc)" "$mem" "$(uname -r)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
}
