// The deploy targets are recorded once, in templates/, for the generator and the pipeline writer (tools/ci).
import targets from '../../../templates/deploy/targets.json' with { type: 'json' };

/** Where the pipeline pushes the service's image. */
export const registries = {
  gitlab: "the project's GitLab container registry",
  dockerhub: 'Docker Hub',
} as const;
export type Registry = keyof typeof registries;

/** Where the pipeline deploys the image after pushing it, each with its label. */
export type DeployTarget = keyof typeof targets;
export const deployTargets = Object.fromEntries(Object.entries(targets).map(([target, { label }]) => [target, label])) as Record<DeployTarget, string>;

/** The targets a merge request's review app can run beside: the hosts production runs on over SSH. */
export const reviewAppTargets = (Object.keys(targets) as DeployTarget[]).filter((target) => targets[target].sshHost);

/** What one container of the service may use on a droplet or Ansible host (docker run's --memory and --pids-limit). */
export interface Limits {
  memory: string;
  pids: number;
}

/** What a new service records: room for one Node process and its threads. Not asked: edit project.json to change them. */
export const defaultLimits: Limits = { memory: '256m', pids: 128 };

/** What a service is recorded with in its project.json `metadata.service`: the one source of these facts. */
export interface ServiceSettings {
  description: string;
  port: number;
  registry: Registry;
  deploy: DeployTarget;
  /** The path the pipeline's smoke tests GET on the built image and on each deploy: it must answer 2xx. */
  smoke: string;
  limits: Limits;
  /** Whether each merge request gets a review app of it, beside production (docs/review-apps.md). Off by default. */
  reviewApps: boolean;
  /** Whether the pipeline signs each released image and its provenance with Sigstore (docs/supply-chain.md). Off by default. */
  sign: boolean;
}

/** Everything a service is rendered from: its name (the folder under apps/ and the Nx project) and its settings. */
export interface ServiceAnswers extends ServiceSettings {
  name: string;
}

export const isRegistry = (value: unknown): value is Registry => typeof value === 'string' && Object.hasOwn(registries, value);
export const isDeployTarget = (value: unknown): value is DeployTarget => typeof value === 'string' && Object.hasOwn(deployTargets, value);

export const firstDefaultPort = 3000;

/** service-kit's own ping route: every service has it. Also what a service that records no smoke path gets. */
export const defaultSmokePath = '/api/ping';

export const defaultSettings = (name: string, usedPorts: Iterable<number>): ServiceSettings => ({
  description: `The ${name} service.`,
  port: firstFreePort(usedPorts),
  registry: 'gitlab',
  deploy: 'none',
  smoke: defaultSmokePath,
  limits: defaultLimits,
  reviewApps: false,
  sign: false,
});

/** The lowest port from 3000 up that no other service of the workspace listens on. */
function firstFreePort(usedPorts: Iterable<number>): number {
  const used = new Set(usedPorts);
  let port = firstDefaultPort;
  while (used.has(port)) port++;
  return port;
}
