#!/bin/sh
# Deploys one service to App Engine (flexible environment): apps/<project>/deploy/app.yaml (rendered by
# the generator from templates/deploy/app-engine) run from the released image, as a new version that gets
# all traffic once healthy (--promote) while the previous one is stopped. Then writes DEPLOY_URL to
# deploy.env. Needs gcloud logged in (login.sh) and IMAGE (pinned by digest, in Artifact Registry).
# Roll back with: gcloud app services set-traffic <project> --splits=<previous version>=1
set -eu
project="${1:?usage: app-engine.sh <project>}"
: "${IMAGE:?set IMAGE to the image to deploy, pinned by digest}"
case "$IMAGE" in
  *@sha256:*) ;;
  *) echo "app-engine: IMAGE must be pinned by digest (…@sha256:…), got $IMAGE" >&2; exit 1 ;;
esac
template="apps/$project/deploy/app.yaml"
if [ ! -f "$template" ]; then
  echo "app-engine: $template is missing: the generator writes it for a service whose deploy target is app-engine" >&2
  exit 1
fi
# Version ids are lowercase letters, digits and dashes: one per commit.
version="v-$(printf '%s' "${CI_COMMIT_SHORT_SHA:-manual}" | tr 'A-Z_' 'a-z-')"

gcloud app deploy "$template" --image-url="$IMAGE" --version="$version" --promote --stop-previous-version --quiet
url="$(gcloud app browse --service="$project" --no-launch-browser)"
echo "app-engine: $project version $version serves $IMAGE at $url"
echo "DEPLOY_URL=$url" > deploy.env
