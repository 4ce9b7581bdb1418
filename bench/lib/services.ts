import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = fileURLToPath(new URL('../../', import.meta.url));

/** What the generator recorded for a service in its project.json (`metadata.service`). */
export interface ServiceSettings {
  description: string;
  port: number;
  [setting: string]: unknown;
}

export interface ServiceProject {
  name: string;
  /** Absolute path of apps/<name>. */
  root: string;
  settings: ServiceSettings;
  /** What ships: the esbuild bundle from `nx build <name>`. */
  bundle: string;
}

/** Every app whose project.json records service settings; nothing here lists them by name. */
export async function discoverServices(root = workspaceRoot): Promise<ServiceProject[]> {
  const appsDir = join(root, 'apps');
  const entries = await readdir(appsDir, { withFileTypes: true });
  const services: ServiceProject[] = [];
  for (const entry of entries.filter((candidate) => candidate.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const projectRoot = join(appsDir, entry.name);
    const project = await readProject(join(projectRoot, 'project.json'));
    if (project?.metadata?.service) {
      services.push({
        name: project.name ?? entry.name,
        root: projectRoot,
        settings: project.metadata.service,
        bundle: join(projectRoot, 'dist/server/main.mjs'),
      });
    }
  }
  return services;
}

interface ProjectJson {
  name?: string;
  metadata?: { service?: ServiceSettings };
}

async function readProject(file: string): Promise<ProjectJson | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ProjectJson;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
