#!/usr/bin/env bash
# The test command: installs what the tests use, builds, runs every test project, prints one summary line.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
dotnet build Validium.sln -c Release --no-restore --verbosity quiet -nologo
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# The minimal console logger adds each failed test's message and stack, which quiet verbosity drops.
dotnet test Validium.sln -c Release --no-build --verbosity quiet -nologo --logger "console;verbosity=minimal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# dotnet test prints one "Passed!/Failed! - Failed: F, Passed: P, Skipped: S" line per test assembly.
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- Failed: ' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
