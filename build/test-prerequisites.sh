#!/bin/sh
# Run by the build (root pom, validate phase; skipped with -DskipTests) before anything is compiled: installs
# what the tests need and the build can install, and otherwise stops at once with one message naming what to
# install, rather than letting tests fail minutes later.
set -eu
cd "$(dirname "$0")/.."
missing=""

# dynalite (the DynamoDB-API server of the DynamoDB tests), pinned in package-lock.json.
if [ ! -x node_modules/.bin/dynalite ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "Installing dynalite for the DynamoDB tests: npm ci (pinned in package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
  else
    missing="$missing
  - Node.js with npm, for dynalite (the tests' DynamoDB-API server): apt-get install -y nodejs npm (Debian/Ubuntu), brew install node (macOS)"
  fi
fi

# Redis: a redis-server on PATH, else the build bundled for these platforms (RedisServerBinary's table).
if ! command -v redis-server >/dev/null 2>&1; then
  case "$(uname -s)/$(uname -m)" in
    Linux/x86_64 | Linux/amd64 | Linux/aarch64 | Linux/arm64 | Darwin/x86_64 | Darwin/arm64) ;;
    *) missing="$missing
  - redis-server on PATH (no Redis is bundled for $(uname -s) $(uname -m)): apt-get install -y redis-server, brew install redis" ;;
  esac
fi

if [ -n "$missing" ]; then
  echo "The tests cannot run on this machine yet. Install:$missing
then run the build again (or build without tests: -DskipTests)." >&2
  exit 1
fi
