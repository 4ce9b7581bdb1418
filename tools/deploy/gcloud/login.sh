#!/bin/sh
# Logs gcloud in for a deploy job, in the google-cloud-cli image (no Node there, hence sh), then selects
# the project. Two ways, the first that is configured wins:
#   GOOGLE_APPLICATION_CREDENTIALS  a service account key (a CI/CD variable of type File): the seed's way
#   GCP_ID_TOKEN                    GitLab's OIDC token (id_tokens in the job), exchanged through workload
#                                   identity federation: GCP_WORKLOAD_IDENTITY_PROVIDER (projects/<number>/
#                                   locations/global/workloadIdentityPools/<pool>/providers/<provider>) and
#                                   GCP_SERVICE_ACCOUNT (the account it may impersonate); no key to leak
# Needs GCP_PROJECT. The token goes to a file readable by the job's user only, never to the log.
set -eu
: "${GCP_PROJECT:?set GCP_PROJECT to the Google Cloud project id}"

if [ -n "${GOOGLE_APPLICATION_CREDENTIALS:-}" ]; then
  echo "gcloud: logging in with the key file in GOOGLE_APPLICATION_CREDENTIALS"
  gcloud auth login --cred-file="$GOOGLE_APPLICATION_CREDENTIALS" --quiet
elif [ -n "${GCP_ID_TOKEN:-}" ]; then
  : "${GCP_WORKLOAD_IDENTITY_PROVIDER:?set GCP_WORKLOAD_IDENTITY_PROVIDER to the provider of the workload identity pool}"
  : "${GCP_SERVICE_ACCOUNT:?set GCP_SERVICE_ACCOUNT to the service account the pipeline impersonates}"
  # gcloud rereads the token from this file whenever it refreshes: it lives as long as the job.
  dir="${GCLOUD_OIDC_DIR:-${TMPDIR:-/tmp}/gcloud-oidc}"
  (umask 077 && mkdir -p "$dir" && printf '%s' "$GCP_ID_TOKEN" > "$dir/token")
  echo "gcloud: logging in through workload identity federation as $GCP_SERVICE_ACCOUNT"
  gcloud iam workload-identity-pools create-cred-config "$GCP_WORKLOAD_IDENTITY_PROVIDER" \
    --service-account="$GCP_SERVICE_ACCOUNT" \
    --credential-source-file="$dir/token" \
    --output-file="$dir/credentials.json"
  gcloud auth login --cred-file="$dir/credentials.json" --quiet
else
  echo "gcloud: no credentials. Give the job id_tokens: GCP_ID_TOKEN (workload identity federation)," >&2
  echo "or a File variable GOOGLE_APPLICATION_CREDENTIALS with a service account key (docs/deploy.md, \"Cloud Run and App Engine\")." >&2
  exit 1
fi

gcloud config set project "$GCP_PROJECT" --quiet
