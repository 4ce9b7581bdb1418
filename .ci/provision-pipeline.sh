#!/usr/bin/env bash
# What the pipeline tests (tools/ci/pipeline.test.ts) need beyond npm packages: gitlab-ci-local copies
# job files, caches and artifacts with rsync. Idempotent: installs only what is missing.
set -euo pipefail
if ! command -v rsync >/dev/null; then
  echo "ci: installing rsync for gitlab-ci-local"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rsync
fi
