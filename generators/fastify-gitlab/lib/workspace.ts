import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { defaultLimits, defaultSmokePath, deployTargets, isDeployTarget, isRegistry, registries, type ServiceSettings } from './answers.ts';
import { limitsProblem, smokeProblem } from './validate.ts';
import { versionPattern } from './templates-version.ts';

export const appsFolder = 'apps';

export interface WorkspaceService {
  name: string;
  settings: ServiceSettings;
  /** The templates it was rendered from (lib/templates-version.ts); none when it was scaffolded outside git. */
  templateVersion: string | undefined;
}

/** What the generator needs to know about the workspace it writes into. */
export interface Workspace {
  root: string;
  /** Every folder under apps/, a service or not: a new service may not silently land on one. */
  appFolders: Set<string>;
  /** The apps whose project.json records `metadata.service`, i.e. the ones the generator owns files of. */
  services: WorkspaceService[];
  /** Nx projects outside apps/ (libs, tools, generators…): a service may not take their names. */
  otherProjects: Set<string>;
}

/** The nearest folder at or above `from` with an nx.json, so the generator also works from a subfolder. */
export function findWorkspaceRoot(from: string): string | undefined {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'nx.json'))) return folder;
    if (dirname(folder) === folder) return undefined;
  }
}

/** The workspace around `from`, for a generator started anywhere in it. */
export function openWorkspace(from: string): Workspace {
  const root = findWorkspaceRoot(from);
  if (root === undefined) throw new Error(`Run it inside the workspace: no nx.json in ${from} or above.`);
  return readWorkspace(root);
}

export function readWorkspace(root: string): Workspace {
  const appsRoot = join(root, appsFolder);
  const appFolders = new Set(existsSync(appsRoot) ? subfolders(appsRoot) : []);
  const services: WorkspaceService[] = [];
  for (const name of appFolders) {
    const projectFile = join(appsRoot, name, 'project.json');
    const record = existsSync(projectFile) ? readServiceRecord(projectFile, root) : undefined;
    if (record) services.push({ name, ...record });
  }
  return { root, appFolders, services, otherProjects: new Set(projectNamesOutsideApps(root)) };
}

type ServiceRecord = Omit<WorkspaceService, 'name'>;
type RecordedFields = Partial<Record<keyof ServiceSettings | 'templateVersion', unknown>>;

/** "a, b or c": the values a recorded field may take. */
const oneOf = (values: readonly string[]) => `${values.slice(0, -1).join(', ')} or ${values.at(-1) ?? ''}`;

/**
 * What a project.json records in `metadata.service`, or undefined when it records none.
 * A record that is there but malformed throws, naming the file and the field.
 */
function readServiceRecord(projectFile: string, root: string): ServiceRecord | undefined {
  const where = relative(root, projectFile);
  const recorded = readProjectJson(projectFile, where).metadata?.service;
  if (recorded === undefined) return undefined;
  const { description, port, registry, deploy, smoke = defaultSmokePath, limits: recordedLimits, reviewApps = false, sign = false, templateVersion } = recorded;
  const problem = (field: string, expected: string) => new Error(`${where}: metadata.service.${field} must be ${expected}`);
  if (typeof description !== 'string') throw problem('description', 'a string');
  if (typeof port !== 'number' || !Number.isInteger(port)) throw problem('port', 'a whole number');
  if (!isRegistry(registry)) throw problem('registry', oneOf(Object.keys(registries)));
  if (!isDeployTarget(deploy)) throw problem('deploy', oneOf(Object.keys(deployTargets)));
  // Recorded only when on: a service from before has none.
  if (typeof reviewApps !== 'boolean') throw problem('reviewApps', 'true or false');
  if (typeof sign !== 'boolean') throw problem('sign', 'true or false');
  // Recorded since templates that know it; a service from before gets the path every service answers.
  const smokeError = smokeProblem(smoke);
  if (smokeError !== undefined) throw new Error(`${where}: metadata.service.${smokeError}`);
  // Recorded since templates that know them; a service from before gets the defaults, and the upgrade writes them.
  // Each limit defaults on its own, as the deploy reads them (tools/deploy/settings.ts, recordedLimits).
  const limits = recordedLimits === undefined || isRecord(recordedLimits) ? { ...defaultLimits, ...recordedLimits } : recordedLimits;
  const limitsError = limitsProblem(limits);
  if (limitsError !== undefined) throw new Error(`${where}: metadata.service.${limitsError}`);
  if (templateVersion !== undefined && !(typeof templateVersion === 'string' && versionPattern.test(templateVersion))) {
    throw problem('templateVersion', 'the git tree id of the templates it was rendered from (40 hexadecimal digits)');
  }
  return { settings: { description, port, registry, deploy, smoke: smoke as string, limits: limits as ServiceSettings['limits'], reviewApps, sign }, templateVersion };
}

/** A project.json, or an error naming it: e.g. one left with an upgrade's conflict markers. */
function readProjectJson(projectFile: string, where: string): { metadata?: { service?: RecordedFields } } {
  try {
    return JSON.parse(readFileSync(projectFile, 'utf8')) as { metadata?: { service?: RecordedFields } };
  } catch (error) {
    throw new Error(`${where} is not valid JSON: ${(error as Error).message}. If an upgrade left conflict markers (<<<<<<<) in it, resolve them first.`);
  }
}

function projectNamesOutsideApps(root: string): string[] {
  const names: string[] = [];
  const collect = (folder: string) => {
    const projectFile = join(folder, 'project.json');
    if (!existsSync(projectFile)) return;
    const { name } = JSON.parse(readFileSync(projectFile, 'utf8')) as { name?: string };
    names.push(name ?? relative(root, folder));
  };
  for (const top of subfolders(root).filter((folder) => folder !== appsFolder)) {
    collect(join(root, top));
    for (const nested of subfolders(join(root, top))) collect(join(root, top, nested));
  }
  return names;
}

/** Folders, without hidden ones and node_modules, which hold no projects of ours. */
function subfolders(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .map((entry) => entry.name);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
