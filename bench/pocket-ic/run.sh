#!/usr/bin/env bash
# Creating a network and installing a small canister (the Motoko counter of the pic-js suite): through our PocketIC
# server (unmodified @dfinity/pic 0.23.0, bench.mjs) against `iinet up` + `iinet deploy` (a new network, then a new
# canister with the developer identity). Prints a Markdown table of medians and the machine's load average.
# Needs: `dotnet build -c Release Cli` and `npm ci --ignore-scripts` in tests/js and tests/js-pic.
# Usage: bash bench/pocket-ic/run.sh [runs]   (default 5)
set -euo pipefail
runs=${1:-5}
root=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
out="$root/Cli/bin/Release/net10.0"
work=$(mktemp -d)
up_pid=""
cleanup() {
  if [ -n "$up_pid" ]; then kill "$up_pid" 2>/dev/null || true; wait "$up_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
[ -x "$out/pocket-ic" ] || { echo "build first: dotnet build -c Release Cli" >&2; exit 2; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "-" } else if (NR % 2) { print a[(NR + 1) / 2] } else { print int((a[NR / 2] + a[NR / 2 + 1]) / 2) } }'; }

node "$root/tests/js/motoko-compile.mjs" < "$root/bench/pocket-ic/counter.mo" | base64 -d > "$work/counter.wasm"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# 1. Our PocketIC server through pic-js: one server, a new instance and canister per run.
POCKET_IC_BIN="$out/pocket-ic" node "$root/bench/pocket-ic/bench.mjs" "$work/counter.wasm" "$runs" | tee "$work/pic.jsonl" >&2

# 2. iinet up (a new 4-replica network in a fresh data dir, until its "ready" line) + iinet deploy (a new process).
for run in $(seq 1 "$runs"); do
  port=$(( 20000 + (RANDOM % 20000) ))
  start=$(now_ms)
  "$out/iinet" up --data-dir "$work/up$run" --port "$port" > "$work/up$run.log" 2>&1 &
  up_pid=$!
  for _ in $(seq 1 1200); do
    grep -q '^ready' "$work/up$run.log" && break
    kill -0 "$up_pid" 2>/dev/null || { cat "$work/up$run.log" >&2; exit 1; }
    sleep 0.1
  done
  grep -q '^ready' "$work/up$run.log" || { echo "iinet up was not ready within 120 s" >&2; exit 1; }
  ready=$(now_ms)
  "$out/iinet" deploy --wasm "$work/counter.wasm" --url "http://127.0.0.1:$port" --data-dir "$work/id" > "$work/deploy$run.log" 2>&1
  deployed=$(now_ms)
  kill "$up_pid"; wait "$up_pid" 2>/dev/null || true; up_pid=""
  echo "{\"step\":\"up\",\"run\":$run,\"up_ms\":$((ready - start)),\"deploy_ms\":$((deployed - ready))}" | tee -a "$work/up.jsonl" >&2
done

field() { grep "\"step\":\"$1\"" "$2" | sed -n "s/.*\"$3\":\([0-9]*\).*/\1/p"; }
server=$(field server_start "$work/pic.jsonl" ms)
first_create=$(grep '"run":1,' "$work/pic.jsonl" | sed -n 's/.*"create_ms":\([0-9]*\).*/\1/p')
first_install=$(grep '"run":1,' "$work/pic.jsonl" | sed -n 's/.*"install_ms":\([0-9]*\).*/\1/p')
later() { grep -v '"run":1,' "$work/pic.jsonl" | grep '"step":"run"' | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" | median; }
echo
echo "| path | network ready (ms) | canister created + installed (ms) | total (ms) |"
echo "| --- | ---: | ---: | ---: |"
echo "| PocketIC server, first instance (server start $server ms not included) | $first_create | $first_install | $((first_create + first_install)) |"
c=$(later create_ms); i=$(later install_ms)
echo "| PocketIC server, later instances (median of $((runs - 1))) | $c | $i | $((c + i)) |"
u=$(field up "$work/up.jsonl" up_ms | median); d=$(field up "$work/up.jsonl" deploy_ms | median)
echo "| \`iinet up\` + \`iinet deploy\` (median of $runs, new processes) | $u | $d | $((u + d)) |"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
