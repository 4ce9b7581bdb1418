#!/bin/sh
# Deploys one service to Cloud Run: apps/<project>/deploy/service.yaml (rendered by the generator from
# templates/deploy/cloud-run) with ${IMAGE} set to the released image, applied with `gcloud run services
# replace`; Cloud Run starts the new revision and moves traffic once it passes its startup probe.
# Then writes DEPLOY_URL=<the service's URL> to deploy.env for the environment and the smoke test.
# Needs gcloud logged in (login.sh), IMAGE (pinned by digest, in Artifact Registry or Docker Hub: Cloud
# Run pulls from those) and GCP_REGION.
set -eu
project="${1:?usage: cloud-run.sh <project>}"
: "${IMAGE:?set IMAGE to the image to deploy, pinned by digest}"
: "${GCP_REGION:?set GCP_REGION, e.g. europe-west1}"
case "$IMAGE" in
  *@sha256:*) ;;
  *) echo "cloud-run: IMAGE must be pinned by digest (…@sha256:…), got $IMAGE" >&2; exit 1 ;;
esac
template="apps/$project/deploy/service.yaml"
if [ ! -f "$template" ]; then
  echo "cloud-run: $template is missing: the generator writes it for a service whose deploy target is cloud-run" >&2
  exit 1
fi

rendered="$(mktemp)"
sed "s|\${IMAGE}|$IMAGE|g" "$template" > "$rendered"
gcloud run services replace "$rendered" --region="$GCP_REGION" --quiet
url="$(gcloud run services describe "$project" --region="$GCP_REGION" --format='value(status.url)')"
echo "cloud-run: $project serves $IMAGE at $url"
echo "DEPLOY_URL=$url" > deploy.env
