#!/usr/bin/env bash
# Publishes iinet ReadyToRun-compiled (its code and its dependencies' precompiled for the machine, so a start jits far
# less: about a third less CPU from launch to ready than the JIT build, bench/README.md) into a folder, by default
# artifacts/iinet. It takes minutes (crossgen of every assembly); run it again after pulling. Usage:
#   bash scripts/publish-iinet.sh [out-dir]      (IINET_RID=linux-arm64 for another runtime identifier)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/iinet}
rid=${IINET_RID:-linux-x64}
echo "publishing iinet ReadyToRun for $rid into $out (a few minutes)..." >&2
dotnet publish Cli/Cli.csproj -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true --nologo -v q -o "$out" >&2
echo "iinet is in $out: run '$out/iinet up', or put $out on your PATH"
