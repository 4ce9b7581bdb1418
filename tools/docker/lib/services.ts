import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { glob, readFile } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { promisify } from 'node:util';
import { CliError, UsageError } from './errors.ts';
import { isRegistryKind, REGISTRY_KINDS, type RegistryKind } from './naming.ts';

/** An Nx project with a Dockerfile, and the settings recorded in its project.json `metadata.service`. */
export interface Service {
  name: string;
  /** Relative to the workspace root, e.g. `apps/fibonacci`: the build context. */
  root: string;
  description?: string;
  registry?: RegistryKind;
  port?: number;
  /** The real endpoint the smoke test calls besides /health (`metadata.service.smoke`). */
  smokePath: string;
}

export const DEFAULT_SMOKE_PATH = '/api/ping';

/**
 * A path (and query) on the service, as the generator records it: the pipeline hands it to the deploy smoke job as
 * a CI input and a shell argument, so only characters that mean nothing to YAML or a quoting shell.
 */
const SMOKE_PATH = /^\/(?!\/)[A-Za-z0-9\-._~%/?&=+,:@]*$/;

export interface ProjectFacts {
  name: string;
  root: string;
  metadata?: Record<string, unknown>;
}

/** Reads and checks `metadata.service`: a wrong value is named with its file, not found later as a strange failure. */
export function serviceFromProject({ name, root, metadata }: ProjectFacts): Service {
  const settings = (metadata?.service ?? {}) as Record<string, unknown>;
  const where = `${root}/project.json metadata.service`;
  const { description, registry, port, smoke } = settings;
  if (registry !== undefined && !isRegistryKind(registry)) {
    throw new CliError(`${where}.registry is ${JSON.stringify(registry)}; it must be one of: ${REGISTRY_KINDS.join(', ')}`);
  }
  if (port !== undefined && !(Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536)) {
    throw new CliError(`${where}.port is ${JSON.stringify(port)}; it must be a TCP port number`);
  }
  if (smoke !== undefined && !(typeof smoke === 'string' && SMOKE_PATH.test(smoke))) {
    throw new CliError(
      `${where}.smoke is ${JSON.stringify(smoke)}; it must be a path such as "/api/ping" (not //, which names another host), made of letters, digits and - . _ ~ % / ? & = + , : @`,
    );
  }
  return {
    name,
    root,
    description: typeof description === 'string' ? description : undefined,
    registry,
    port: port as number | undefined,
    smokePath: smoke ?? DEFAULT_SMOKE_PATH,
  };
}

export interface Selection {
  project: string[];
  affected: boolean;
}

function checkSelection(selection: Selection): void {
  if (selection.affected === (selection.project.length > 0)) {
    throw new UsageError('choose the images with --project <name> (repeatable) or --affected, one of the two');
  }
}

/** The services a command line names, in its order; an unknown name is an error listing the known ones. */
export function pickServices(services: readonly Service[], selection: Selection, affected: readonly string[] = []): Service[] {
  checkSelection(selection);
  const names = selection.affected ? affected : selection.project;
  return [...new Set(names)].map((name) => {
    const service = services.find((candidate) => candidate.name === name);
    if (service) return service;
    const known = services.map((candidate) => candidate.name).join(', ') || 'none';
    throw new CliError(`"${name}" is not a project with a Dockerfile (those are: ${known})`);
  });
}

// Where no project lives: dependencies, build output, and hidden folders (.git, .nx, caches).
const NOT_PROJECTS = (path: string) => ['node_modules', 'dist'].includes(basename(path)) || basename(path).startsWith('.');

/**
 * Every project (a folder with a project.json, as Nx finds them) that holds a Dockerfile. Read from the
 * files directly: computing the Nx project graph would cost seconds on every command.
 */
export async function loadServices(workspaceRoot: string): Promise<Service[]> {
  const services: Service[] = [];
  for await (const dockerfile of glob('**/Dockerfile', { cwd: workspaceRoot, exclude: NOT_PROJECTS })) {
    const root = dirname(dockerfile).split(sep).join('/');
    const projectFile = join(workspaceRoot, root, 'project.json');
    if (!existsSync(projectFile)) continue;
    const project = JSON.parse(await readFile(projectFile, 'utf8')) as { name?: string; metadata?: Record<string, unknown> };
    services.push(serviceFromProject({ name: project.name ?? basename(root), root, metadata: project.metadata }));
  }
  return services.sort((a, b) => a.name.localeCompare(b.name));
}

/** `nx show projects --affected --withTarget docker-build`, between NX_BASE and NX_HEAD when set. */
export async function affectedServiceNames(workspaceRoot: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const args = ['show', 'projects', '--affected', '--withTarget', 'docker-build', '--json'];
  if (env.NX_BASE) args.push(`--base=${env.NX_BASE}`);
  if (env.NX_HEAD) args.push(`--head=${env.NX_HEAD}`);
  const { stdout } = await promisify(execFile)(join(workspaceRoot, 'node_modules/.bin/nx'), args, { cwd: workspaceRoot });
  return JSON.parse(stdout) as string[];
}

/** The services a command line selects, and every service of the workspace (a release mounts blobs from the others' images). */
export async function selectServices(selection: Selection, workspaceRoot: string, env: NodeJS.ProcessEnv): Promise<{ selected: Service[]; services: Service[] }> {
  checkSelection(selection);
  const services = await loadServices(workspaceRoot);
  return { selected: pickServices(services, selection, selection.affected ? await affectedServiceNames(workspaceRoot, env) : []), services };
}
