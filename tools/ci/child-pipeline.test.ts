import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { childPipeline, fragments, renderChildPipeline, stages } from './child-pipeline.ts';

describe('childPipeline', () => {
  const noDeployFragments = () => false;
  const serviceInclude = (project: string) => ({
    local: fragments.service,
    inputs: { project, 'build-stage': 'build', 'test-stage': 'test', 'release-stage': 'release' },
  });

  it('includes the service fragment once per service, and a deploy fragment unless its target is none', () => {
    const pipeline = childPipeline(
      [
        { project: 'fibonacci', root: 'apps/fibonacci', deploy: 'ansible' },
        { project: 'weather', root: 'apps/weather', deploy: 'none' },
      ],
      noDeployFragments,
    );
    expect(pipeline).toEqual({
      stages: ['build', 'test', 'release', 'deploy', 'smoke'],
      include: [
        serviceInclude('fibonacci'),
        { local: fragments.deploy, inputs: { project: 'fibonacci', target: 'ansible', 'deploy-stage': 'deploy', 'smoke-stage': 'smoke' } },
        serviceInclude('weather'),
      ],
    });
  });

  it("takes a deploy target's own fragment when there is one", () => {
    const exists = (path: string) => path === 'templates/ci/deploy-droplet.yml';
    const pipeline = childPipeline([{ project: 'weather', root: 'apps/weather', deploy: 'droplet' }], exists);
    expect(pipeline.include).toEqual([
      serviceInclude('weather'),
      { local: 'templates/ci/deploy-droplet.yml', inputs: { project: 'weather', 'deploy-stage': 'deploy', 'smoke-stage': 'smoke' } },
    ]);
  });

  it('is one job that says so when no service is affected, as GitLab refuses an empty child pipeline', () => {
    const pipeline = childPipeline([], noDeployFragments);
    expect(Object.keys(pipeline)).toEqual(['stages', 'no-service-affected']);
    expect(pipeline['no-service-affected']).toMatchObject({ stage: stages.build, variables: { GIT_STRATEGY: 'none' } });
  });

  it('renders as YAML that reads back the same, under a comment header', () => {
    const pipeline = childPipeline([{ project: 'fibonacci', root: 'apps/fibonacci', deploy: 'droplet' }], noDeployFragments);
    const text = renderChildPipeline(pipeline, 'Generated for a test.\nServices to ship: fibonacci');
    expect(text.startsWith('# Generated for a test.\n# Services to ship: fibonacci\n')).toBe(true);
    expect(parse(text)).toEqual(pipeline);
  });
});
