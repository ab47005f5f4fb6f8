#!/usr/bin/env bash
# Installs what the build, the tests and the demo need; safe to run again (each step is skipped when done).
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }

if ! need dotnet; then
  echo "bootstrap: the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH" >&2
  exit 1
fi
if ! need node || ! need npm; then
  if need apt-get; then
    echo "bootstrap: installing Node.js and npm from Debian packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "bootstrap: Node.js 20+ and npm are required for the pinned tools (anvil, solc, snarkjs, circomlibjs)" >&2
    exit 1
  fi
fi

# Headless Chromium for the operator dashboard's browser tests (Playwright drives it; its own browser download is not reachable here).
if ! need chromium; then
  if need apt-get; then
    echo "bootstrap: installing Chromium from Debian packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "bootstrap: the dashboard tests need Chromium ('chromium' on PATH)" >&2
    exit 1
  fi
fi

# npm ci only when the lock file changed since the last install, so repeated runs cost nothing.
stamp=node_modules/.package-lock.sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bootstrap: npm ci (pinned node tools)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

dotnet restore Validium.sln --verbosity quiet
