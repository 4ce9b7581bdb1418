import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { apps, namePrefix } from './global-setup.ts';
import { createDeployment, served, type Deployment } from './support/deployment.ts';
import { check } from './support/processes.ts';
import { expectNoFailedRequest, expectSuccess, underLoad } from './support/scenario.ts';

const [app = ''] = apps;

/** What the host holds: every container, image, nginx site (with its text) and state file. */
async function hostListing(deployment: Deployment) {
  const lines = async (args: string[]) => (await check('docker', args)).split('\n').filter(Boolean).toSorted();
  const { confDir } = deployment.infrastructure.nginx;
  const { stateDir } = deployment.infrastructure;
  return {
    containers: await lines(['ps', '--all', '--format', '{{.Names}} {{.Image}} {{.State}}']),
    images: await lines(['images', '--digests', '--format', '{{.Repository}} {{.Tag}} {{.Digest}} {{.ID}}']),
    nginxSites: Object.fromEntries(readdirSync(confDir).toSorted().map((file) => [file, readFileSync(join(confDir, file), 'utf8')])),
    state: readdirSync(stateDir, { recursive: true, encoding: 'utf8' })
      .map((path) => `${path}${statSync(join(stateDir, path)).isDirectory() ? '/' : ''}`)
      .toSorted(),
  };
}

/** `count` consecutive ports that are free, with their color ports (+10000, +20000): the review apps' range. */
async function freeReviewPorts(count: number): Promise<{ from: number; to: number }> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => {
        resolve(false);
      });
      server.listen(port, () => server.close(() => {
        resolve(true);
      }));
    });
  for (let from = 8100; from < 9000; from += count) {
    const ports = Array.from({ length: count }, (_, index) => from + index).flatMap((port) => [port, port + 10_000, port + 20_000]);
    if ((await Promise.all(ports.map(free))).every(Boolean)) return { from, to: from + count - 1 };
  }
  throw new Error('no free range of review ports from 8100 to 9000');
}

describe(`review apps of ${app}, beside its production on the droplet`, () => {
  let production: Deployment;
  let ports: { from: number; to: number };
  const urls: Record<string, string> = {};
  let withOneReviewApp: Awaited<ReturnType<typeof hostListing>>;
  let productionOnly: Awaited<ReturnType<typeof hostListing>>;
  const images = () => production.infrastructure.images[app] ?? expect.fail(`no images for ${app}`);
  const reviewCli = (command: 'review' | 'stop-review', slug: string, args: string[] = []) =>
    production.cli('droplet', command, ['--slug', slug, '--review-ports', `${ports.from}-${ports.to}`, ...args]);
  /** Deploys a review app as the MR pipeline's review job does, and gives back the URL it publishes for the environment. */
  const reviewApp = async (slug: string, image: string, args: string[] = []) => {
    const dotenv = join(production.infrastructure.scratch, `review-${slug}.env`);
    const output = await reviewCli('review', slug, ['--image', image, '--dotenv', dotenv, ...args]);
    expectSuccess(output);
    urls[slug] = /^DEPLOY_URL=(.+)$/m.exec(readFileSync(dotenv, 'utf8'))?.[1] ?? expect.fail(`no DEPLOY_URL in ${dotenv}`);
    return output;
  };
  const version = async (slug: string) => (await served({ ...production, url: urls[slug] ?? expect.fail(`no review app ${slug}`) })).version;

  beforeAll(async () => {
    production = await createDeployment(app, `${namePrefix}${app}-reviewed`);
    ports = await freeReviewPorts(2);
    expectSuccess(await production.cli('droplet', 'deploy', ['--image', images().v1]));
    productionOnly = await hostListing(production);
  });

  it('starts the first review app on the host on the first review port, writing the review apps\' nginx site once', async () => {
    const output = await reviewApp('mr-two', images().v1);
    expect(output.stdout).toContain('review-apps.conf written and nginx reloaded');
    expect(urls['mr-two']).toBe(`http://127.0.0.1:${ports.from}`);
    expect(await version('mr-two')).toBe('1.0.0');
    withOneReviewApp = await hostListing(production);
  });

  it("runs a second merge request's review app beside it and production, each answering its own version, with no failed request to production", async () => {
    const envFile = join(production.infrastructure.scratch, 'review.vars');
    writeFileSync(envFile, 'E2E_REVIEW_MARK=review\n');
    const { output, load } = await underLoad(production, () => reviewApp('mr-one', images().v2, ['--service-env-file', envFile]));
    expect(output.stdout).not.toContain('nginx reloaded');
    expectNoFailedRequest(load);
    expect(urls['mr-one']).toBe(`http://127.0.0.1:${ports.to}`);
    expect(await version('mr-one')).toBe('2.0.0');
    expect(await version('mr-two')).toBe('1.0.0');
    expect((await served(production)).version).toBe('1.0.0');
    // Its own env file, capped memory; production's environment is not the review app's.
    const inspect = (container: string, format: string) => check('docker', ['container', 'inspect', '--format', format, container]);
    const reviewContainer = `${production.name}-review-mr-one-green`;
    expect(await inspect(reviewContainer, '{{json .Config.Env}}')).toContain('E2E_REVIEW_MARK=review');
    expect((await inspect(reviewContainer, '{{.HostConfig.Memory}}')).trim()).toBe(String(256 * 1024 * 1024));
    const { color } = await served(production);
    expect(await inspect(`${production.name}-${String(color)}`, '{{json .Config.Env}}')).not.toContain('E2E_REVIEW_MARK');
  });

  it('refuses a third while every review port is taken, naming the review apps that hold them, and starts nothing', async () => {
    const before = await hostListing(production);
    const output = await reviewCli('review', 'mr-three', ['--image', images().v2]);
    expect(output.code).toBe(1);
    expect(output.stderr).toContain(`every review port on the host (${ports.from}-${ports.to}) is taken, by ${production.name}-review-mr-one (${ports.to}), ${production.name}-review-mr-two (${ports.from})`);
    expect(await hostListing(production)).toEqual(before);
  });

  it('stops a review app leaving no trace on the host: containers, images, nginx sites and state are as before it', async () => {
    const { output, load } = await underLoad(production, () => reviewCli('stop-review', 'mr-one'));
    expectSuccess(output);
    expectNoFailedRequest(load);
    expect(await hostListing(production)).toEqual(withOneReviewApp);
    expect(await version('mr-two')).toBe('1.0.0');
    expect((await served(production)).version).toBe('1.0.0');
  });

  it('replaces a review app in place on the next push: the same URL, the new version, no failed request to it', async () => {
    const url = urls['mr-two'];
    const { output, load } = await underLoad({ ...production, url: url ?? '' }, () => reviewApp('mr-two', images().v2));
    expectSuccess(output);
    expectNoFailedRequest(load);
    expect(urls['mr-two']).toBe(url);
    expect(await version('mr-two')).toBe('2.0.0');
  });

  it('stops the last review app: only the shared review site, the reviews directory and its lock stay on the host', async () => {
    expectSuccess(await reviewCli('stop-review', 'mr-two'));
    const after = await hostListing(production);
    expect({ ...after, nginxSites: Object.keys(after.nginxSites) }).toEqual({
      ...productionOnly,
      nginxSites: [...Object.keys(productionOnly.nginxSites), 'review-apps.conf'].toSorted(),
      state: [...productionOnly.state, 'reviews/', 'reviews.lock'].toSorted(),
    });
    // Stopping one that is gone is done, as GitLab may run a stop job twice.
    expectSuccess(await reviewCli('stop-review', 'mr-two'));
  });
});
