#!/usr/bin/env bash
# What the end-to-end suite (npm run test:e2e) needs, installed and started only when missing, so it can run
# again on a machine that has it: Debian's Docker engine (docker.io, started without a bridge or iptables:
# containers use the host network) and Debian's registry binary (docker-registry; the suite starts its own
# on a loopback port with htpasswd auth). Runs as root, like CI.
set -euo pipefail

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-registry >/dev/null || missing+=(docker-registry)
if [ ${#missing[@]} -gt 0 ]; then
  echo "provision-docker: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if docker info >/dev/null 2>&1; then
  echo "provision-docker: the Docker engine answers ($(docker version --format '{{.Server.Version}}'))"
  exit 0
fi

echo "provision-docker: starting dockerd (log: /tmp/dockerd.log)"
nohup dockerd --bridge=none --iptables=false >/tmp/dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "provision-docker: the Docker engine answers ($(docker version --format '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 1
done
echo "provision-docker: dockerd did not answer within 60 s; the end of its log:" >&2
tail -n 30 /tmp/dockerd.log >&2
exit 1
