import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isDeployTarget, isRegistry, type ServiceSettings } from './answers.ts';

export const appsFolder = 'apps';

export interface WorkspaceService {
  name: string;
  settings: ServiceSettings;
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

export function readWorkspace(root: string): Workspace {
  const appsRoot = join(root, appsFolder);
  const appFolders = new Set(existsSync(appsRoot) ? subfolders(appsRoot) : []);
  const services: WorkspaceService[] = [];
  for (const name of appFolders) {
    const projectFile = join(appsRoot, name, 'project.json');
    const settings = existsSync(projectFile) ? readServiceSettings(projectFile, root) : undefined;
    if (settings) services.push({ name, settings });
  }
  return { root, appFolders, services, otherProjects: new Set(projectNamesOutsideApps(root)) };
}

/**
 * The settings a project.json records in `metadata.service`, or undefined when it records none.
 * A record that is there but malformed throws, naming the file and the field.
 */
export function readServiceSettings(projectFile: string, root: string): ServiceSettings | undefined {
  const where = relative(root, projectFile);
  const project = JSON.parse(readFileSync(projectFile, 'utf8')) as { metadata?: { service?: Partial<Record<keyof ServiceSettings, unknown>> } };
  const recorded = project.metadata?.service;
  if (recorded === undefined) return undefined;
  const { description, port, registry, deploy } = recorded;
  const problem = (field: string, expected: string) => new Error(`${where}: metadata.service.${field} must be ${expected}`);
  if (typeof description !== 'string') throw problem('description', 'a string');
  if (typeof port !== 'number' || !Number.isInteger(port)) throw problem('port', 'a whole number');
  if (!isRegistry(registry)) throw problem('registry', 'gitlab or dockerhub');
  if (!isDeployTarget(deploy)) throw problem('deploy', 'none, droplet, ansible, cloud-run or app-engine');
  return { description, port, registry, deploy };
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
