import { deployTargets, isDeployTarget, isRegistry, registries, reviewAppTargets, type DeployTarget, type Registry, type ServiceAnswers } from './answers.ts';
import type { Workspace } from './workspace.ts';

/** A refused answer: the message names the answer, what it must be and what was given. */
export class AnswerError extends Error {
  override name = 'AnswerError';
}

/** Names a service can't take: workspace folders, tooling names, and words that read as code. */
const reservedNames = new Set([
  ...['apps', 'libs', 'tools', 'templates', 'generators', 'e2e', 'test-e2e', 'bench', 'dist', 'coverage', 'reports'],
  ...['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum'],
  ...['export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof'],
  ...['interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'static', 'super'],
  ...['switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'await', 'undefined'],
]);

const kebabCase = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const nameLength = { min: 2, max: 40 } as const;
export const portRange = { min: 1024, max: 65_535 } as const;
export const descriptionMaxLength = 200;
export const smokeMaxLength = 200;
/**
 * A path (and query) on the service: it goes into a GitLab CI input and a shell argument, so only characters
 * that mean nothing to YAML or a quoting shell.
 */
const smokePath = /^\/[A-Za-z0-9\-._~%/?&=+,:@]*$/;

const show = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/** Why `name` can't be a new service's name, or undefined when it can. An existing app is the caller's call (--force). */
export function nameProblem(name: unknown, workspace: Pick<Workspace, 'otherProjects'>): string | undefined {
  if (typeof name !== 'string' || name === '') return 'name is required: the service folder under apps/, e.g. order-history';
  if (/[/\\]/.test(name) || name.startsWith('.')) return `name must be a plain name, not a path: got ${show(name)}`;
  if (!kebabCase.test(name)) {
    return `name must be kebab-case (lowercase letters, digits, single hyphens; starting with a letter), e.g. order-history: got ${show(name)}`;
  }
  if (name.length < nameLength.min || name.length > nameLength.max) {
    return `name must be ${nameLength.min} to ${nameLength.max} characters long: got ${show(name)} (${name.length})`;
  }
  if (reservedNames.has(name)) return `name ${show(name)} is reserved; choose another`;
  if (workspace.otherProjects.has(name)) return `name ${show(name)} is already an Nx project of this workspace; choose another`;
  return undefined;
}

export function descriptionProblem(description: unknown): string | undefined {
  if (typeof description !== 'string' || description.trim() === '') return 'description is required: one line on what the service does';
  // It goes into source, JSON and YAML files as one line.
  if (/\p{Cc}/u.test(description)) return `description must be one line of text without control characters: got ${show(description)}`;
  if (description.length > descriptionMaxLength) return `description must be at most ${descriptionMaxLength} characters: got ${description.length}`;
  return undefined;
}

/** A port from the command line or a prompt ("3001" or 3001) as a number, or NaN when it is not a whole number. */
export function parsePort(raw: unknown): number {
  if (typeof raw === 'number') return Number.isInteger(raw) ? raw : Number.NaN;
  return typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
}

/** Why `port` can't be this service's port; another service's port is allowed only with --force. */
export function portProblem(port: unknown, name: string, workspace: Pick<Workspace, 'services'>, force: boolean): string | undefined {
  const value = parsePort(port);
  if (!(value >= portRange.min && value <= portRange.max)) {
    return `port must be a whole number from ${portRange.min} to ${portRange.max}: got ${show(port)}`;
  }
  const owner = workspace.services.find((service) => service.name !== name && service.settings.port === value);
  if (owner && !force) return `port ${value} is already used by ${owner.name}; choose another (or pass --force to share it)`;
  return undefined;
}

export function registryProblem(registry: unknown): string | undefined {
  return isRegistry(registry) ? undefined : `registry must be one of ${Object.keys(registries).join(', ')}: got ${show(registry)}`;
}

export function deployProblem(deploy: unknown): string | undefined {
  return isDeployTarget(deploy) ? undefined : `deploy must be one of ${Object.keys(deployTargets).join(', ')}: got ${show(deploy)}`;
}

/**
 * Why the deploy target can't pull from the registry, or undefined when it can. The droplet and Ansible hosts pull
 * from either; Google's services pull only from some, and the pipeline releases to GitLab or Docker Hub only.
 */
/** Why review apps can't be had, or undefined: they run beside a droplet or Ansible deploy only. */
export function reviewAppsProblem(reviewApps: unknown, deploy: unknown): string | undefined {
  if (reviewApps !== undefined && typeof reviewApps !== 'boolean') return `review-apps must be true or false: got ${show(reviewApps)}`;
  if (reviewApps !== true || reviewAppTargets.some((target) => target === deploy)) return undefined;
  return `--review-apps needs --deploy ${reviewAppTargets.join(' or ')}: review apps run beside production on its host, and deploy is ${show(deploy)}`;
}

export function pullProblem(registry: Registry, deploy: DeployTarget): string | undefined {
  if (deploy === 'cloud-run' && registry !== 'dockerhub') {
    return `deploy cloud-run needs --registry dockerhub: Cloud Run pulls images only from Artifact Registry or Docker Hub, not from ${registries[registry]}`;
  }
  if (deploy === 'app-engine') {
    return (
      'deploy app-engine is not supported yet: App Engine pulls images only from Artifact Registry, which this generator does not push to. ' +
      'Choose --deploy droplet, ansible, cloud-run (with --registry dockerhub) or none'
    );
  }
  return undefined;
}

/** docker's --memory size (a number and k, m or g) and a --pids-limit a Node process can live with. */
export function limitsProblem(limits: unknown): string | undefined {
  const { memory, pids } = (limits ?? {}) as Record<string, unknown>;
  if (typeof memory !== 'string' || !/^[1-9]\d*[kmg]$/.test(memory)) return `limits.memory must be a size such as "256m" or "1g": got ${show(memory)}`;
  if (!Number.isInteger(pids) || (pids as number) < 16) return `limits.pids must be a whole number of at least 16: got ${show(pids)}`;
  return undefined;
}

export function smokeProblem(smoke: unknown): string | undefined {
  if (typeof smoke !== 'string' || !smokePath.test(smoke)) {
    return `smoke must be a path on the service starting with /, e.g. /api/ping, made of letters, digits and - . _ ~ % / ? & = + , : @: got ${show(smoke)}`;
  }
  if (smoke.length > smokeMaxLength) return `smoke must be at most ${smokeMaxLength} characters: got ${smoke.length}`;
  // The smoke test resolves it against the service's URL (new URL(path, base)): `//host/x` would go to that host.
  // Made of the characters above, only a leading // leaves the service; `//` alone is no URL at all.
  if (smoke.startsWith('//')) {
    const host = URL.canParse(smoke, serviceBase) ? new URL(smoke, serviceBase).host : 'none';
    return `smoke must be a path on the service itself: ${show(smoke)} resolves to another host (${host})`;
  }
  return undefined;
}

/** Any service URL, to name the host a smoke path starting with // would reach instead. */
const serviceBase = 'http://service.invalid:3000';

/** Every answer checked at once, so one run reports every problem; the typed answers when all are good. */
export function validateAnswers(
  raw: Partial<Record<keyof ServiceAnswers, unknown>>,
  workspace: Pick<Workspace, 'otherProjects' | 'services'>,
  force: boolean,
): ServiceAnswers {
  const name = typeof raw.name === 'string' ? raw.name : '';
  const problems = [
    nameProblem(raw.name, workspace),
    descriptionProblem(raw.description),
    portProblem(raw.port, name, workspace, force),
    registryProblem(raw.registry),
    deployProblem(raw.deploy),
    isRegistry(raw.registry) && isDeployTarget(raw.deploy) ? pullProblem(raw.registry, raw.deploy) : undefined,
    smokeProblem(raw.smoke),
    limitsProblem(raw.limits),
    reviewAppsProblem(raw.reviewApps, raw.deploy),
    raw.sign === undefined || typeof raw.sign === 'boolean' ? undefined : `sign must be true or false: got ${show(raw.sign)}`,
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) throw new AnswerError(problems.join('\n'));
  return {
    name,
    description: (raw.description as string).trim(),
    port: parsePort(raw.port),
    registry: raw.registry as ServiceAnswers['registry'],
    deploy: raw.deploy as ServiceAnswers['deploy'],
    smoke: raw.smoke as string,
    limits: raw.limits as ServiceAnswers['limits'],
    reviewApps: raw.reviewApps === true,
    sign: raw.sign === true,
  };
}
