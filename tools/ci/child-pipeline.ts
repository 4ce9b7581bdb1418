import { Document } from 'yaml';
import type { ServiceToShip } from './services.ts';

/** The child pipeline's stages; every fragment gets its stage names from here, through its inputs. */
export const stages = { build: 'build', test: 'test', release: 'release', deploy: 'deploy', smoke: 'smoke' } as const;

/** The CI fragments (GitLab `spec:inputs` files) a service's jobs come from, also used for generated services. */
export const fragments = {
  service: 'templates/ci/service.yml',
  /** A deploy target's own fragment, when it has one (its image, tooling and variables). */
  deployTo: (target: string) => `templates/ci/deploy-${target}.yml`,
  /** The shape every deploy shares, for a target without a fragment of its own: tools/deploy does the work. */
  deploy: 'templates/ci/deploy.yml',
} as const;

/** GitLab refuses a child pipeline without jobs, so "no service affected" is a job that says so. */
const nothingToShip = {
  stages: [stages.build],
  'no-service-affected': {
    stage: stages.build,
    image: 'busybox:stable',
    variables: { GIT_STRATEGY: 'none' },
    script: ['echo "No service is affected by this change: no image to build, nothing to deploy."'],
  },
};

/**
 * One include of the service fragment per service (image → test image → release), plus a deploy fragment
 * (deploy → smoke) for a service whose recorded deploy target is not "none": the target's own when it exists.
 */
export function childPipeline(services: readonly ServiceToShip[], fragmentExists: (path: string) => boolean): Record<string, unknown> {
  if (services.length === 0) return nothingToShip;
  const deployStages = { 'deploy-stage': stages.deploy, 'smoke-stage': stages.smoke };
  const deployInclude = (project: string, target: string) =>
    fragmentExists(fragments.deployTo(target))
      ? { local: fragments.deployTo(target), inputs: { project, ...deployStages } }
      : { local: fragments.deploy, inputs: { project, target, ...deployStages } };
  return {
    stages: Object.values(stages),
    include: services.flatMap(({ project, deploy }) => [
      {
        local: fragments.service,
        inputs: { project, 'build-stage': stages.build, 'test-stage': stages.test, 'release-stage': stages.release },
      },
      ...(deploy === 'none' ? [] : [deployInclude(project, deploy)]),
    ]),
  };
}

export function renderChildPipeline(pipeline: Record<string, unknown>, header: string): string {
  const document = new Document(pipeline);
  document.commentBefore = header
    .split('\n')
    .map((line) => ` ${line}`)
    .join('\n');
  return document.toString({ lineWidth: 0 });
}
