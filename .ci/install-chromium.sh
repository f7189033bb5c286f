#!/usr/bin/env bash
# Debian's chromium runs StatusPageIntegrationTests (the status page loaded in a real headless browser, with a
# screenshot kept under target/). Idempotent: does nothing when chromium is already installed.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
echo "Installing chromium (headless browser for the status page test)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
