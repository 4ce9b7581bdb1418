import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { childPipeline, dockerEngineOf, fragments, renderChildPipeline, stages } from './child-pipeline.ts';

describe('childPipeline', () => {
  const deployFragments = (path: string) => /^templates\/ci\/deploy-(droplet|ansible)\.yml$/.test(path);
  const serviceInclude = (project: string) => ({
    local: fragments.service,
    inputs: { project, 'build-stage': 'build', 'test-stage': 'test', 'release-stage': 'release', 'docker-engine': 'dind' },
  });

  it("includes the service fragment once per service, and its deploy target's fragment unless the target is none", () => {
    const pipeline = childPipeline(
      [
        { project: 'fibonacci', root: 'apps/fibonacci', deploy: 'ansible', registry: 'dockerhub', smokePath: '/api/fibonacci/8' },
        { project: 'weather', root: 'apps/weather', deploy: 'none', smokePath: '/' },
      ],
      deployFragments,
    );
    expect(pipeline).toEqual({
      stages: ['build', 'test', 'release', 'deploy', 'smoke'],
      include: [
        serviceInclude('fibonacci'),
        {
          local: 'templates/ci/deploy-ansible.yml',
          inputs: {
            project: 'fibonacci',
            'smoke-path': '/api/fibonacci/8',
            'registry-user': '$DOCKER_HUB_USER',
            'registry-password': '$DOCKER_HUB_TOKEN',
            'deploy-stage': 'deploy',
            'smoke-stage': 'smoke',
          },
        },
        serviceInclude('weather'),
      ],
    });
  });

  it.each([
    ['dockerhub', { 'registry-user': '$DOCKER_HUB_USER', 'registry-password': '$DOCKER_HUB_TOKEN' }],
    ['gitlab', { 'registry-user': '$CI_REGISTRY_USER', 'registry-password': '$CI_REGISTRY_PASSWORD' }],
  ] as const)('has a droplet host pull from %s with that registry\'s variables, never another\'s', (registry, credentials) => {
    const pipeline = childPipeline([{ project: 'api', root: 'apps/api', deploy: 'droplet', registry, smokePath: '/api/ping' }], deployFragments);
    expect((pipeline.include as { inputs: object }[])[1]?.inputs).toMatchObject(credentials);
  });

  it.each([
    [{ deploy: 'droplet' }, 'apps/api/project.json metadata.service.registry is missing: the "droplet" deploy pulls the image from that registry'],
    [
      { deploy: 'cloud-run', registry: 'gitlab' },
      'apps/api/project.json metadata.service.registry is "gitlab", which deploy "cloud-run" cannot pull from: Cloud Run pulls only from Artifact Registry or Docker Hub: record "dockerhub"',
    ],
    [{ deploy: 'app-engine', registry: 'dockerhub' }, 'which deploy "app-engine" cannot pull from: App Engine pulls only from Artifact Registry'],
  ] as const)('refuses a registry the deploy target cannot pull from: %j', (settings, message) => {
    const service = { project: 'api', root: 'apps/api', smokePath: '/api/ping', ...settings };
    expect(() => childPipeline([service], () => true)).toThrow(message);
  });

  it('lets Cloud Run pull from Docker Hub, with its own credentials (no registry login is passed)', () => {
    const pipeline = childPipeline([{ project: 'api', root: 'apps/api', deploy: 'cloud-run', registry: 'dockerhub', smokePath: '/api/ping' }], () => true);
    expect((pipeline.include as { inputs: object }[])[1]?.inputs).not.toHaveProperty('registry-user');
  });

  it('runs the Docker work on the engine DOCKER_ENGINE names: a dind service unless it says the runner\'s own', () => {
    expect(dockerEngineOf({})).toBe('dind');
    expect(dockerEngineOf({ DOCKER_ENGINE: '' })).toBe('dind');
    expect(dockerEngineOf({ DOCKER_ENGINE: 'runner' })).toBe('runner');
    expect(() => dockerEngineOf({ DOCKER_ENGINE: 'socket' })).toThrow('DOCKER_ENGINE is "socket": set dind (a docker:dind service per job, the default) or runner');
    const pipeline = childPipeline([{ project: 'api', root: 'apps/api', deploy: 'none', smokePath: '/api/ping' }], () => true, 'runner');
    expect((pipeline.include as { inputs: object }[])[0]?.inputs).toMatchObject({ 'docker-engine': 'runner' });
  });

  it('includes the review fragment for a droplet or ansible service that records reviewApps, with the deploy stage', () => {
    const pipeline = childPipeline(
      [
        { project: 'fibonacci', root: 'apps/fibonacci', deploy: 'ansible', registry: 'dockerhub', smokePath: '/api/fibonacci/8', reviewApps: true },
        { project: 'weather', root: 'apps/weather', deploy: 'droplet', registry: 'gitlab', smokePath: '/api/weather', reviewApps: false },
      ],
      deployFragments,
    );
    const reviews = (pipeline.include as { local: string; inputs: object }[]).filter((include) => include.local === fragments.review);
    expect(reviews).toEqual([{ local: 'templates/ci/review-droplet.yml', inputs: { project: 'fibonacci', 'smoke-path': '/api/fibonacci/8', 'review-stage': 'deploy' } }]);
  });

  it('refuses review apps for a service that does not deploy to a droplet or ansible host', () => {
    const service = { project: 'api', root: 'apps/api', deploy: 'cloud-run', registry: 'dockerhub', smokePath: '/api/ping', reviewApps: true } as const;
    expect(() => childPipeline([service], () => true)).toThrow(
      'apps/api/project.json metadata.service.reviewApps is true, but review apps run beside a "droplet" or "ansible" deploy, not "cloud-run"',
    );
  });

  it("includes the sign fragment for a service that records sign, with its registry's credentials and the release stage", () => {
    const pipeline = childPipeline(
      [
        { project: 'fibonacci', root: 'apps/fibonacci', deploy: 'none', registry: 'dockerhub', smokePath: '/api/fibonacci/8', sign: true },
        { project: 'weather', root: 'apps/weather', deploy: 'none', registry: 'gitlab', smokePath: '/api/weather', sign: true },
        { project: 'api', root: 'apps/api', deploy: 'none', registry: 'gitlab', smokePath: '/api/ping', sign: false },
      ],
      deployFragments,
    );
    const signs = (pipeline.include as { local: string; inputs: object }[]).filter((include) => include.local === fragments.sign);
    expect(signs).toEqual([
      { local: 'templates/ci/sign.yml', inputs: { project: 'fibonacci', 'registry-user': '$DOCKER_HUB_USER', 'registry-password': '$DOCKER_HUB_TOKEN', 'release-stage': 'release' } },
      { local: 'templates/ci/sign.yml', inputs: { project: 'weather', 'registry-user': '$CI_REGISTRY_USER', 'registry-password': '$CI_REGISTRY_PASSWORD', 'release-stage': 'release' } },
    ]);
  });

  it('refuses signing for a service that records no registry to push the signature to', () => {
    expect(() => childPipeline([{ project: 'api', root: 'apps/api', deploy: 'none', smokePath: '/api/ping', sign: true }], () => true)).toThrow(
      'apps/api/project.json metadata.service.registry is missing: signing pushes the signature to that registry',
    );
  });

  it('refuses a deploy target without a fragment, naming the setting and the missing file', () => {
    expect(() => childPipeline([{ project: 'api', root: 'apps/api', deploy: 'heroku', smokePath: '/api/ping' }], deployFragments)).toThrow(
      'apps/api/project.json metadata.service.deploy is "heroku", which has no templates/ci/deploy-heroku.yml: use a target that has one, or "none"',
    );
  });

  it('is one job that says so when no service is affected, as GitLab refuses an empty child pipeline', () => {
    const pipeline = childPipeline([], deployFragments);
    expect(Object.keys(pipeline)).toEqual(['stages', 'no-service-affected']);
    expect(pipeline['no-service-affected']).toMatchObject({ stage: stages.build, variables: { GIT_STRATEGY: 'none' } });
  });

  it('renders as YAML that reads back the same, under a comment header', () => {
    const pipeline = childPipeline(
      [{ project: 'fibonacci', root: 'apps/fibonacci', deploy: 'droplet', registry: 'gitlab', smokePath: '/api/fibonacci/8' }],
      deployFragments,
    );
    const text = renderChildPipeline(pipeline, 'Generated for a test.\nServices to ship: fibonacci');
    expect(text.startsWith('# Generated for a test.\n# Services to ship: fibonacci\n')).toBe(true);
    expect(parse(text)).toEqual(pipeline);
  });
});
