#!/usr/bin/env bash
# Issue 16 queries: builds Release and bench/query-load/query-load.c (gcc), starts `iinet up` (n = 4) on free ports,
# has `SubnetLoad write-queries` register anchors and pre-sign get_principal envelopes, and replays them with the C
# client against one replica's URL, in two mixes: "repeated" (one envelope per client, no nonce, expiry rounded to the
# minute, as agent-js sends the same query again) and "distinct" (a nonce in each, none sent twice). Prints each run's
# queries/s, p50/p99 and CPU per query of `iinet up` and of the client. Stops the subnet with SIGINT.
# Options: --clients N (64), --seconds S (10), --warmup S (5: sent, not measured; the JIT is still at work at first), --distinct N (envelopes of the distinct
# mix, 400000; the run ends early when they are used up), --runs N (2: repeated, distinct, repeated, ...).
# Environment: IINET (an iinet executable to load instead of this tree's build, e.g. a base build for before/after),
# READY_TIMEOUT (seconds to wait for the ready line, default 120).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ready_timeout="${READY_TIMEOUT:-120}"
clients=64 seconds=10 warmup=5 distinct=400000 runs=2
while (($#)); do
  case "$1" in
    --clients) clients="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --distinct) distinct="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

echo "building Release ..." >&2
if [[ -z "${IINET:-}" ]]; then
  dotnet build "$root/Cli/Cli.csproj" -c Release -nologo -v q >&2
fi
dotnet build "$root/bench/SubnetLoad/SubnetLoad.csproj" -c Release -nologo -v q >&2
iinet="${IINET:-$root/Cli/bin/Release/net10.0/iinet}"
load="$root/bench/SubnetLoad/bin/Release/net10.0/SubnetLoad"
client="$root/bench/query-load/bin/query-load"
mkdir -p "$(dirname "$client")"
gcc -O2 -Wall -Wextra -Werror -o "$client" "$root/bench/query-load/query-load.c"

source "$root/bench/subnet/subnet.sh"

# A first, unmeasured replay: `iinet up` has just started and its JIT is still compiling the query path, which would be
# charged to whichever mix ran first.
"$load" write-queries --url "http://127.0.0.1:$port" --file "$work/queries.bin" --clients "$clients" --per-client 1
"$client" "$work/queries.bin" 127.0.0.1 "$port" --clients "$clients" --seconds 10 --warmup 0 >/dev/null

status=0
for ((i = 0; i < runs; i++)); do
  if ((i % 2 == 0)); then
    mix=repeated
    "$load" write-queries --url "http://127.0.0.1:$port" --file "$work/queries.bin" --clients "$clients" --per-client 1
    reuse=()
  else
    mix=distinct
    "$load" write-queries --url "http://127.0.0.1:$port" --file "$work/queries.bin" --clients "$clients" \
      --per-client $(((distinct + clients - 1) / clients)) --distinct
    reuse=(--no-reuse)
  fi
  echo "## $mix, $clients clients, $(date -u '+%Y-%m-%d %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  "$client" "$work/queries.bin" 127.0.0.1 "$port" --clients "$clients" --seconds "$seconds" --warmup "$warmup" --idle 5 --server-pid "$pid" "${reuse[@]}" || status=$?
done
stop_subnet
echo "iinet up stopped." >&2
exit "$status"
