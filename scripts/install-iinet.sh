#!/usr/bin/env bash
# Puts `iinet` on the PATH as a .NET global tool built from this checkout (run it again after pulling).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "building the iinet tool package..." >&2
dotnet pack Cli/Cli.csproj -c Release --nologo -v q -o "$out" >&2
dotnet tool uninstall --global InternetIdentity.Iinet >/dev/null 2>&1 || true
dotnet tool install --global InternetIdentity.Iinet --add-source "$out" --version "$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Cli/Cli.csproj)" >&2
tools="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
case ":$PATH:" in
  *":$tools:"*) echo "iinet is installed: run 'iinet --help'" ;;
  *) echo "iinet is installed in $tools; add it to your PATH: export PATH=\"\$PATH:$tools\"" ;;
esac
