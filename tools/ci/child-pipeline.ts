import { Document } from 'yaml';
import deployTargets from '../../templates/deploy/targets.json' with { type: 'json' };
import { CREDENTIAL_VARIABLES } from '../docker/lib/credentials.ts';
import type { RegistryKind } from '../docker/lib/naming.ts';
import type { ServiceToShip } from './services.ts';

/** The child pipeline's stages; every fragment gets its stage names from here, through its inputs. */
export const stages = { build: 'build', test: 'test', release: 'release', deploy: 'deploy', smoke: 'smoke' } as const;

/** The CI fragments (GitLab `spec:inputs` files) a service's jobs come from, also used for generated services. */
export const fragments = {
  service: 'templates/ci/service.yml',
  /** One per deploy target: its image, tooling and variables, then the smoke test of the deployed service. */
  deploy: (target: string) => `templates/ci/deploy-${target}.yml`,
  /** A merge request's review app, on the host of a droplet or ansible service (they share the host layout). */
  review: 'templates/ci/review-droplet.yml',
  /** Keyless Sigstore signing of the released image and its provenance. */
  sign: 'templates/ci/sign.yml',
} as const;

/**
 * The targets that run the image on an SSH host of ours (templates/deploy/targets.json, which the generator reads
 * too): review apps run beside them, and the host pulls the image itself.
 */
const sshHostTargets = new Set(Object.entries(deployTargets).flatMap(([target, { sshHost }]) => (sshHost ? [target] : [])));

/** The review fragment's include, when the service records reviewApps: true. */
function reviewInclude({ project, root, deploy, smokePath, reviewApps }: ServiceToShip): Record<string, unknown>[] {
  if (!reviewApps) return [];
  if (!sshHostTargets.has(deploy)) {
    const beside = [...sshHostTargets].map((target) => `"${target}"`).join(' or ');
    throw new Error(`${root}/project.json metadata.service.reviewApps is true, but review apps run beside a ${beside} deploy, not "${deploy}"`);
  }
  return [{ local: fragments.review, inputs: { project, 'smoke-path': smokePath, 'review-stage': stages.deploy } }];
}

/** The sign fragment's include, when the service records sign: true: it pushes the signature where the image was released. */
function signInclude({ project, root, registry, sign }: ServiceToShip): Record<string, unknown>[] {
  if (!sign) return [];
  if (registry === undefined) throw new Error(`${root}/project.json metadata.service.registry is missing: signing pushes the signature to that registry`);
  const { user, password } = CREDENTIAL_VARIABLES[registry];
  return [{ local: fragments.sign, inputs: { project, 'registry-user': `$${user}`, 'registry-password': `$${password}`, 'release-stage': stages.release } }];
}

/** The targets that pull on their own, from some registries only: a service recording another cannot deploy. */
const pullsOnlyFrom: Record<string, { registries: readonly RegistryKind[]; why: string }> = {
  'cloud-run': { registries: ['dockerhub'], why: 'Cloud Run pulls only from Artifact Registry or Docker Hub: record "dockerhub"' },
  'app-engine': {
    registries: [],
    why: 'App Engine pulls only from Artifact Registry, which this pipeline does not release to yet: deploy to droplet, ansible, or cloud-run with registry "dockerhub"',
  },
};

/** The inputs that make a deploy pull from where the image is, or why it cannot. */
function pullInputs({ root, deploy, registry }: ServiceToShip): Record<string, string> {
  const where = `${root}/project.json metadata.service.registry`;
  const only = pullsOnlyFrom[deploy];
  if (only && !(registry !== undefined && only.registries.includes(registry))) {
    throw new Error(`${where} is ${JSON.stringify(registry)}, which deploy "${deploy}" cannot pull from: ${only.why}`);
  }
  // The host pulls the image itself (docker login there): it is given the credentials of the registry the image
  // was released to, the CI/CD variables the image job pushed with, never another registry's.
  if (!sshHostTargets.has(deploy)) return {};
  if (registry === undefined) throw new Error(`${where} is missing: the "${deploy}" deploy pulls the image from that registry`);
  const { user, password } = CREDENTIAL_VARIABLES[registry];
  return { 'registry-user': `$${user}`, 'registry-password': `$${password}` };
}

/** GitLab refuses a child pipeline without jobs, so "no service affected" is a job that says so. */
const nothingToShip = {
  stages: [stages.build],
  'no-service-affected': {
    stage: stages.build,
    image: 'busybox:stable',
    timeout: '5m',
    variables: { GIT_STRATEGY: 'none' },
    script: ['echo "No service is affected by this change: no image to build, nothing to deploy."'],
  },
};

/** The engines templates/ci/service.yml can run the Docker work on (its docker-engine input). */
const dockerEngines = ['dind', 'runner'] as const;
export type DockerEngine = (typeof dockerEngines)[number];

/**
 * The CI/CD variable DOCKER_ENGINE, read when the child pipeline is written: dind unless the project's runners
 * give jobs an engine of their own.
 */
export function dockerEngineOf(env: NodeJS.ProcessEnv): DockerEngine {
  const given = env.DOCKER_ENGINE ?? '';
  if (given === '') return 'dind';
  const engine = dockerEngines.find((known) => known === given);
  if (engine) return engine;
  throw new Error(
    `DOCKER_ENGINE is "${given}": set dind (a docker:dind service per job, the default) or runner (the engine the runner gives the job: a shell runner, or a mounted docker.sock)`,
  );
}

/**
 * One include of the service fragment per service (image → test image → release), plus its deploy target's
 * fragment (deploy → smoke) when its recorded target is not "none".
 */
export function childPipeline(
  services: readonly ServiceToShip[],
  fragmentExists: (path: string) => boolean,
  dockerEngine: DockerEngine = 'dind',
): Record<string, unknown> {
  if (services.length === 0) return nothingToShip;
  const deployInclude = (service: ServiceToShip) => {
    const { project, root, deploy, smokePath } = service;
    const local = fragments.deploy(deploy);
    if (!fragmentExists(local)) {
      throw new Error(`${root}/project.json metadata.service.deploy is "${deploy}", which has no ${local}: use a target that has one, or "none"`);
    }
    return {
      local,
      inputs: { project, 'smoke-path': smokePath, ...pullInputs(service), 'deploy-stage': stages.deploy, 'smoke-stage': stages.smoke },
    };
  };
  return {
    stages: Object.values(stages),
    include: services.flatMap((service) => [
      {
        local: fragments.service,
        inputs: {
          project: service.project,
          'build-stage': stages.build,
          'test-stage': stages.test,
          'release-stage': stages.release,
          'docker-engine': dockerEngine,
        },
      },
      ...(service.deploy === 'none' ? [] : [deployInclude(service)]),
      ...reviewInclude(service),
      ...signInclude(service),
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
