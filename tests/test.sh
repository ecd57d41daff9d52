#!/usr/bin/env bash
# Runs every test of the solution and ends with one line: "tests: N passed, N failed[, N skipped]".
# The PostgreSQL tests start a throwaway PostgreSQL server themselves; its binaries come from
# Debian's postgresql package, installed here when missing, as are Debian's chromium for the
# dashboard's browser tests and nodejs and npm for the OpenAPI client check.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ -z "${ASYNCFUNCTIONS_TEST_POSTGRES:-}" ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing PostgreSQL (Debian package) for the PostgreSQL tests..."
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null || {
    echo "Could not install the postgresql package; set ASYNCFUNCTIONS_TEST_POSTGRES to a connection string instead." >&2
    exit 1
  }
fi

# The dashboard's browser tests drive Debian's chromium (skipped, with the reason, without it).
if ! command -v chromium >/dev/null 2>&1 && [ -z "${ASYNCFUNCTIONS_TEST_CHROMIUM:-}" ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing Chromium (Debian package) for the dashboard's browser tests..."
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium; } >/dev/null ||
    echo "Could not install the chromium package; the browser tests will be skipped." >&2
fi

# The OpenAPI contract check with client tools (tests/contract/check.sh, run by a test) needs
# Node.js and npm: Debian's packages, installed here when missing (the test is skipped without them).
if ! { command -v node && command -v npm; } >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing Node.js and npm (Debian packages) for the OpenAPI client check..."
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm; } >/dev/null ||
    echo "Could not install nodejs and npm; the OpenAPI client check will be skipped." >&2
fi

# The .NET client generators of the OpenAPI check (NSwag, Kiota), pinned in .config/dotnet-tools.json.
dotnet tool restore

log=$(mktemp)
dotnet test AsyncFunctions.sln -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test project: "Passed!  - Failed: 0, Passed: 39, Skipped: 0, Total: 39, ..."
read -r passed failed skipped < <(
  grep -E '^(Passed|Failed)! +- Failed: ' "$log" |
    sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' |
    awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"

summary="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status without a failing test (build error or crashed test host)." >&2
fi
echo "$summary"
exit "$status"
