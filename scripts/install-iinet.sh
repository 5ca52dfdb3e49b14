#!/usr/bin/env bash
# Puts `iinet` on the PATH as a .NET global tool built from this checkout (run it again after pulling). The tool is
# ReadyToRun-compiled for this machine's runtime identifier (a RID-specific tool package, .NET SDK 10): `iinet up`
# then jits far less and is ready about twice as fast as the JIT build (bench/README.md, "Local network startup").
# Crossgen takes a minute or more on 2 cores; `--jit` installs the portable JIT-compiled tool instead, without it.
# Usage: bash scripts/install-iinet.sh [--jit]     (IINET_RID=linux-arm64 to choose the runtime identifier)
set -euo pipefail
cd "$(dirname "$0")/.."
jit=false
case "${1:-}" in
  --jit) jit=true ;;
  "") ;;
  *) echo "usage: bash scripts/install-iinet.sh [--jit]" >&2; exit 2 ;;
esac
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if $jit; then
  echo "building the iinet tool package (JIT-compiled)..." >&2
  dotnet pack Cli/Cli.csproj -c Release --nologo -v q -o "$out" >&2
else
  rid=${IINET_RID:-$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)}
  if [ -z "$rid" ]; then
    echo "could not read this machine's runtime identifier from 'dotnet --info'; set IINET_RID or pass --jit" >&2
    exit 1
  fi
  echo "building the iinet tool package for $rid, ReadyToRun-compiled (a minute or more of crossgen)..." >&2
  dotnet pack Cli/Cli.csproj -c Release --nologo -v q -o "$out" -p:RuntimeIdentifiers="$rid" -p:PublishReadyToRun=true >&2
fi
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Cli/Cli.csproj)
dotnet tool uninstall --global InternetIdentity.Iinet >/dev/null 2>&1 || true
dotnet tool install --global InternetIdentity.Iinet --add-source "$out" --version "$version" >&2
tools="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
case ":$PATH:" in
  *":$tools:"*) echo "iinet is installed: run 'iinet --help'" ;;
  *) echo "iinet is installed in $tools; add it to your PATH: export PATH=\"\$PATH:$tools\"" ;;
esac
