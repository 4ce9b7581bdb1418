#!/usr/bin/env bash
# The weather service's page test drives Debian's Chromium through playwright-core (which downloads no
# browser of its own). Idempotent: installs the package only when the binary is missing.
set -euo pipefail
if ! [ -x /usr/bin/chromium ]; then
  echo "ci: installing chromium from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium
fi
echo "ci: $(/usr/bin/chromium --version 2>/dev/null)"
