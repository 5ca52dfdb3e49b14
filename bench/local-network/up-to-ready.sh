#!/usr/bin/env bash
# Measures `iinet up` (in-process replicas like LocalNetwork but SQLite state, a child process) from launch to its
# "ready" line: once with a fresh data dir (genesis made), once again with the genesis and state kept. Prints the wall
# time and the process's CPU time (user + system) at the ready line: on a shared machine the CPU time is the steadier figure.
# Usage: bash bench/local-network/up-to-ready.sh [path/to/iinet] [replicas]   (build first: dotnet build Cli/Cli.csproj -c Release;
# for the ReadyToRun build: bash scripts/publish-iinet.sh, then pass artifacts/iinet/iinet)
set -u
iinet=${1:-Cli/bin/Release/net10.0/iinet}
replicas=${2:-4}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ticks=$(getconf CLK_TCK)
for run in fresh kept; do
  rm -f "$dir/out.txt"
  start=$(date +%s%N)
  "$iinet" up --port 24943 --replicas "$replicas" --data-dir "$dir" > "$dir/out.txt" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do grep -q '^ready' "$dir/out.txt" 2>/dev/null && break; sleep 0.05; done
  end=$(date +%s%N)
  read -r -a stat < "/proc/$pid/stat"
  cpu_ms=$(( (stat[13] + stat[14]) * 1000 / ticks ))
  echo "$run ($replicas replicas): launch to ready $(( (end - start) / 1000000 )) ms, CPU ${cpu_ms} ms; iinet says: $(grep 'certified height' "$dir/out.txt")"
  kill -TERM "$pid"; wait "$pid"
done
