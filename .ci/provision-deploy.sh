#!/usr/bin/env bash
# What the deploy end-to-end suite (npm run test:e2e:deploy) needs, installed and started only when missing,
# so it can run again on a machine that has it. Runs as root, like CI. First what the image suite needs
# (provision-docker.sh: the Docker engine, started without a bridge, and Debian's docker-registry), then:
#   openssh-server   sshd; the suite starts a second one of its own on a loopback port (the droplet's SSH)
#   nginx-light      nginx; the suite runs its own master with its own config (never the system service)
#   ansible          Debian's ansible with its community.docker collection, for the playbook
#   python3-requests what community.docker's modules use on the host
#   ansible-lint, shellcheck
#                    the lints users run: the playbook's (production profile), and the shell of .ci/ and of
#                    the CI jobs' scripts (tools/deploy/e2e/external-checks.e2e.ts)
set -euo pipefail
bash "$(dirname "$0")/provision-docker.sh"

missing=()
test -x /usr/sbin/sshd || missing+=(openssh-server)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v nginx >/dev/null || missing+=(nginx-light)
command -v ansible-playbook >/dev/null || missing+=(ansible)
# ansible and its modules on the host run on Debian's python, not whatever python3 comes first on PATH.
/usr/bin/python3 -c 'import requests' 2>/dev/null || missing+=(python3-requests)
command -v ansible-lint >/dev/null || missing+=(ansible-lint)
command -v shellcheck >/dev/null || missing+=(shellcheck)
if [ ${#missing[@]} -gt 0 ]; then
  echo "provision-deploy: installing ${missing[*]}"
  apt-get update -qq
  # A policy-rc.d of our own (when there is none) keeps the packages' services (sshd, nginx on port 80)
  # from starting: the suite starts its own, on loopback ports.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

