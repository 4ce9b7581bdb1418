import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { childPipeline, fragments, renderChildPipeline, stages } from './child-pipeline.ts';

describe('childPipeline', () => {
  const deployFragments = (path: string) => /^templates\/ci\/deploy-(droplet|ansible)\.yml$/.test(path);
  const serviceInclude = (project: string) => ({
    local: fragments.service,
    inputs: { project, 'build-stage': 'build', 'test-stage': 'test', 'release-stage': 'release' },
  });

  it("includes the service fragment once per service, and its deploy target's fragment unless the target is none", () => {
    const pipeline = childPipeline(
      [
        { project: 'fibonacci', root: 'apps/fibonacci', deploy: 'ansible', smokePath: '/api/fibonacci/8' },
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
          inputs: { project: 'fibonacci', 'smoke-path': '/api/fibonacci/8', 'deploy-stage': 'deploy', 'smoke-stage': 'smoke' },
        },
        serviceInclude('weather'),
      ],
    });
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
    const pipeline = childPipeline([{ project: 'fibonacci', root: 'apps/fibonacci', deploy: 'droplet', smokePath: '/api/fibonacci/8' }], deployFragments);
    const text = renderChildPipeline(pipeline, 'Generated for a test.\nServices to ship: fibonacci');
    expect(text.startsWith('# Generated for a test.\n# Services to ship: fibonacci\n')).toBe(true);
    expect(parse(text)).toEqual(pipeline);
  });
});
