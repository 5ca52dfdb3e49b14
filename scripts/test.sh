#!/usr/bin/env bash
# Runs every test of the solution (Release build) plus the npm differential suites, and prints the totals as
# "tests: N passed, N failed[, N skipped]". Exit status is non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# npm packages used by the differential tests (tests/js); without node they skip with a message.
if command -v npm >/dev/null 2>&1 && [ -f tests/js/package.json ]; then
  (cd tests/js && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed in tests/js" >&2; exit 1; }
fi

# The pic-js suite (tests/js-pic, run by tests/PocketIc.Tests): its .npmrc skips @dfinity/pic's PocketIC download.
if command -v npm >/dev/null 2>&1 && [ -f tests/js-pic/package.json ]; then
  (cd tests/js-pic && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed in tests/js-pic" >&2; exit 1; }
fi

# @dfinity/ic-management 9 (tests/js-ic-management, run by tests/Replica.Tests): its own project, as it needs
# @icp-sdk/core 4 while tests/js pins @dfinity/agent 3.
if command -v npm >/dev/null 2>&1 && [ -f tests/js-ic-management/package.json ]; then
  (cd tests/js-ic-management && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed in tests/js-ic-management" >&2; exit 1; }
fi

# The npm login suites (@dfinity/internet-identity-playwright, @icp-sdk/auth) run by tests/Browser.Tests; Playwright
# drives Debian's chromium and never downloads a browser.
if command -v npm >/dev/null 2>&1 && [ -f tests/js-browser/package.json ]; then
  (cd tests/js-browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) \
    || { echo "npm ci failed in tests/js-browser" >&2; exit 1; }
fi

# The sample dapp, built as a developer builds it; the browser tests serve its dist/ folder.
if command -v npm >/dev/null 2>&1 && [ -f samples/dapp-login/package.json ]; then
  (cd samples/dapp-login && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent) \
    || { echo "npm ci && npm run build failed in samples/dapp-login" >&2; exit 1; }
fi

# The Motoko sample dapp: its backend compiled by npm motoko (build/) and its frontend (dist/); the browser tests deploy
# and serve them.
if command -v npm >/dev/null 2>&1 && [ -f samples/motoko-dapp/package.json ]; then
  (cd samples/motoko-dapp && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent) \
    || { echo "npm ci && npm run build failed in samples/motoko-dapp" >&2; exit 1; }
fi

# Browser tests (tests/Browser.Tests) drive Debian's chromium; without it they are skipped locally and fail under CI.
if [ ! -x /usr/lib/chromium/chromium ] && ! command -v chromium >/dev/null 2>&1; then
  echo "chromium is not installed (apt-get install chromium; .ci/run does it): the browser tests are skipped" >&2
fi

# PostgreSQL for the persistence and fault tests: .ci/run starts it; a developer's run tries the same script (it needs
# root or sudo to install and start the server) and otherwise goes on with those tests skipped.
if [ -z "${IINET_TEST_POSTGRES:-}" ]; then
  if IINET_TEST_POSTGRES=$(bash scripts/start-postgres.sh 2>/dev/null); then
    export IINET_TEST_POSTGRES
    echo "PostgreSQL is up for the persistence tests"
  else
    unset IINET_TEST_POSTGRES
    echo "PostgreSQL could not be started (scripts/start-postgres.sh needs root or sudo): its tests are skipped" >&2
  fi
fi

dotnet build InternetIdentity.sln -c Release --nologo -v q -clp:ErrorsOnly || { echo "tests: 0 passed, 1 failed"; exit 1; }
dotnet test InternetIdentity.sln -c Release --no-build --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

awk '
  /(Passed|Failed)! +- +Failed: / {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { gsub(",", "", $(i+1)); f += $(i+1) }
      if ($i == "Passed:")  { gsub(",", "", $(i+1)); p += $(i+1) }
      if ($i == "Skipped:") { gsub(",", "", $(i+1)); s += $(i+1) }
    }
  }
  END {
    line = sprintf("tests: %d passed, %d failed", p, f)
    if (s > 0) line = line sprintf(", %d skipped", s)
    print line
  }' "$log"
exit "$status"
