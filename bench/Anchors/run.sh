#!/usr/bin/env bash
# Issue 16: the curve of II's checkpoint size and time against anchors, and a 4-replica subnet holding them.
# Usage: bench/Anchors/run.sh [out-dir] [anchor counts...]   (default: bench/Anchors/out, 10000 100000 300000 1000000)
# One process per count (the subnet in a child process of its own), so each peak RSS is that count's alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-bench/Anchors/out}"; shift || true
counts=("${@:-10000 100000 300000 1000000}")
mkdir -p "$out"
dotnet build bench/Anchors/Anchors.csproj -c Release -v q -nologo
tool=bench/Anchors/bin/Release/net10.0/Anchors.dll
for n in ${counts[@]}; do
  echo "== $n anchors (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  dotnet "$tool" --anchors "$n" --json "$out/results.jsonl" >/dev/null
done
dotnet "$tool" chart "$out/results.jsonl" --out "$out"
