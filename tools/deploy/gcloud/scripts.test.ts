import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The gcloud scripts, run by sh as the deploy jobs run them. Google cannot be reached from here, so
 * `gcloud` is a recorder on PATH: it logs each call, keeps what it was handed, and answers the two
 * queries the scripts make with a URL. The tests check the calls and what the scripts refuse.
 */
const scripts = fileURLToPath(new URL('.', import.meta.url));
const recorder = `#!/bin/sh
printf '%s\\n' "$*" >> "$WORK/gcloud.log"
case "$1 $2 $3" in
  "run services replace") cp "$4" "$WORK/replaced.yaml" ;;
  "run services describe") echo "https://fibonacci-3kq2x7-ew.a.run.app" ;;
  "app browse --service=fibonacci") echo "https://fibonacci-dot-shop.ew.r.appspot.com" ;;
  "iam workload-identity-pools create-cred-config")
    for arg in "$@"; do case "$arg" in --credential-source-file=*) cp "\${arg#*=}" "$WORK/token-seen"; stat -c %a "\${arg#*=}" > "$WORK/token-mode" ;; esac; done ;;
esac
`;

let work: string;

interface Run {
  code: number;
  output: string;
  calls: string[];
}

function run(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'sh',
      [join(scripts, script), ...args],
      { cwd: work, env: { PATH: `${join(work, 'bin')}:/usr/bin:/bin`, WORK: work, TMPDIR: work, ...env } },
      (error, stdout, stderr) => {
        const log = (() => {
          try {
            return readFileSync(join(work, 'gcloud.log'), 'utf8').trim().split('\n');
          } catch {
            return [];
          }
        })();
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, output: stdout + stderr, calls: log });
      },
    );
  });
}

const image = `europe-west1-docker.pkg.dev/shop/services/fibonacci:1.2.0@sha256:${'c'.repeat(64)}`;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'deploy-gcloud-'));
  mkdirSync(join(work, 'bin'));
  writeFileSync(join(work, 'bin', 'gcloud'), recorder);
  chmodSync(join(work, 'bin', 'gcloud'), 0o755);
  mkdirSync(join(work, 'apps', 'fibonacci', 'deploy'), { recursive: true });
  // What the generator renders from templates/deploy/<target>/ for a service deployed there.
  writeFileSync(join(work, 'apps', 'fibonacci', 'deploy', 'service.yaml'), 'kind: Service\nspec:\n  template:\n    spec:\n      containers:\n        - image: ${IMAGE}\n');
  writeFileSync(join(work, 'apps', 'fibonacci', 'deploy', 'app.yaml'), 'runtime: custom\nenv: flex\nservice: fibonacci\n');
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('login.sh', () => {
  it('logs in with the key file of GOOGLE_APPLICATION_CREDENTIALS, the seed way', async () => {
    const result = await run('login.sh', [], { GCP_PROJECT: 'shop', GOOGLE_APPLICATION_CREDENTIALS: '/builds/key.json', GCP_ID_TOKEN: 'eyJ.unused' });
    expect(result.code).toBe(0);
    expect(result.calls).toEqual(['auth login --cred-file=/builds/key.json --quiet', 'config set project shop --quiet']);
  });

  it("exchanges GitLab's OIDC token through workload identity federation, keeping the token out of the log", async () => {
    const provider = 'projects/123456/locations/global/workloadIdentityPools/gitlab/providers/gitlab';
    const result = await run('login.sh', [], {
      GCP_PROJECT: 'shop',
      GCP_ID_TOKEN: 'eyJhbGciOiJSUzI1NiJ9.secret-claims.signature',
      GCP_WORKLOAD_IDENTITY_PROVIDER: provider,
      GCP_SERVICE_ACCOUNT: 'deployer@shop.iam.gserviceaccount.com',
    });
    expect(result.code).toBe(0);
    const dir = join(work, 'gcloud-oidc');
    expect(result.calls).toEqual([
      `iam workload-identity-pools create-cred-config ${provider} --service-account=deployer@shop.iam.gserviceaccount.com --credential-source-file=${dir}/token --output-file=${dir}/credentials.json`,
      `auth login --cred-file=${dir}/credentials.json --quiet`,
      'config set project shop --quiet',
    ]);
    expect(readFileSync(join(work, 'token-seen'), 'utf8')).toBe('eyJhbGciOiJSUzI1NiJ9.secret-claims.signature');
    expect(readFileSync(join(work, 'token-mode'), 'utf8').trim()).toBe('600');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(result.output).not.toContain('secret-claims');
  });

  it('refuses to go on without credentials, saying what to configure', async () => {
    const result = await run('login.sh', [], { GCP_PROJECT: 'shop' });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/no credentials.*id_tokens: GCP_ID_TOKEN.*GOOGLE_APPLICATION_CREDENTIALS/s);
    expect(result.calls).toEqual([]);
  });

  it('names the missing setting of the OIDC exchange', async () => {
    const result = await run('login.sh', [], { GCP_PROJECT: 'shop', GCP_ID_TOKEN: 'eyJ.x.y', GCP_SERVICE_ACCOUNT: 'deployer@shop.iam.gserviceaccount.com' });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('GCP_WORKLOAD_IDENTITY_PROVIDER');
    expect(result.calls).toEqual([]);
  });
});

describe('cloud-run.sh', () => {
  it('applies the service with the released image, then writes its URL for the environment', async () => {
    const result = await run('cloud-run.sh', ['fibonacci'], { IMAGE: image, GCP_REGION: 'europe-west1' });
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      expect.stringMatching(/^run services replace \S+ --region=europe-west1 --quiet$/) as string,
      "run services describe fibonacci --region=europe-west1 --format=value(status.url)",
    ]);
    expect(readFileSync(join(work, 'replaced.yaml'), 'utf8')).toContain(`- image: ${image}\n`);
    expect(readFileSync(join(work, 'deploy.env'), 'utf8')).toBe('DEPLOY_URL=https://fibonacci-3kq2x7-ew.a.run.app\n');
  });

  it('refuses an image that is not pinned by digest', async () => {
    const result = await run('cloud-run.sh', ['fibonacci'], { IMAGE: 'europe-west1-docker.pkg.dev/shop/services/fibonacci:latest', GCP_REGION: 'europe-west1' });
    expect(result.code).toBe(1);
    expect(result.output).toContain('IMAGE must be pinned by digest');
    expect(result.calls).toEqual([]);
  });

  it('refuses a service the generator did not write a Cloud Run service for', async () => {
    const result = await run('cloud-run.sh', ['weather'], { IMAGE: image, GCP_REGION: 'europe-west1' });
    expect(result.code).toBe(1);
    expect(result.output).toContain('apps/weather/deploy/service.yaml is missing');
  });
});

describe('app-engine.sh', () => {
  it('deploys a version per commit from the released image and promotes it, then writes its URL', async () => {
    const result = await run('app-engine.sh', ['fibonacci'], { IMAGE: image, CI_COMMIT_SHORT_SHA: 'A1b2C3d' });
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      `app deploy apps/fibonacci/deploy/app.yaml --image-url=${image} --version=v-a1b2c3d --promote --stop-previous-version --quiet`,
      'app browse --service=fibonacci --no-launch-browser',
    ]);
    expect(readFileSync(join(work, 'deploy.env'), 'utf8')).toBe('DEPLOY_URL=https://fibonacci-dot-shop.ew.r.appspot.com\n');
  });

  it('refuses an image that is not pinned by digest', async () => {
    const result = await run('app-engine.sh', ['fibonacci'], { IMAGE: 'fibonacci:latest' });
    expect(result.code).toBe(1);
    expect(result.calls).toEqual([]);
  });
});
