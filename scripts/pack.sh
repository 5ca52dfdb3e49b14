#!/usr/bin/env bash
# Packs the libraries a dapp's tests use (InternetIdentity.Testing, InternetIdentity.Agent and what they depend on) into
# artifacts/packages, a folder to use as a local NuGet source:
#   dotnet nuget add source "$PWD/artifacts/packages" --name iinet-local     (once)
#   dotnet add package InternetIdentity.Testing --version 0.1.0             (in your test project)
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/artifacts/packages"
mkdir -p "$out"
# Every library at the top level (Cli is a tool: scripts/install-iinet.sh).
for csproj in */*.csproj; do
  project=$(dirname "$csproj")
  [ "$project" = Cli ] && continue
  echo "packing $project..." >&2
  dotnet pack "$csproj" -c Release --nologo -v q -o "$out" >&2
done
ls -1 "$out"/*.nupkg
