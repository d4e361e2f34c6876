#!/bin/sh
# Run by the build (root pom, validate phase; skipped with -DskipTests) before anything is compiled: installs
# what the tests need and the build can install, and otherwise stops at once with one message naming what to
# install, rather than letting tests fail minutes later.
set -eu
cd "$(dirname "$0")/.."
missing=""

# The npm packages of the tests, pinned in package-lock.json: dynalite (the DynamoDB tests' DynamoDB-API server),
# kafkajs and @kafkajs/confluent-schema-registry (the direct-producer test). Installed again when the lock file
# changed since the last npm ci (which writes node_modules/.package-lock.json).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "Installing the tests' npm packages (dynalite, kafkajs): npm ci (pinned in package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
  else
    missing="$missing
  - Node.js with npm, for dynalite (the tests' DynamoDB-API server) and kafkajs: apt-get install -y nodejs npm (Debian/Ubuntu), brew install node (macOS)"
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

# Debian's chromium and chromedriver, which the status page's browser test drives (StatusPageBrowserTest).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  missing="$missing
  - chromium and its chromedriver, for the status page's browser test: apt-get install -y --no-install-recommends chromium chromium-driver (Debian)"
fi

if [ -n "$missing" ]; then
  echo "The tests cannot run on this machine yet. Install:$missing
then run the build again (or build without tests: -DskipTests)." >&2
  exit 1
fi
