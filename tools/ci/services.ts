import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCachedProjectGraph } from '@nx/devkit';
import type { RegistryKind } from '../docker/lib/naming.ts';
import { serviceFromProject } from '../docker/lib/services.ts';
import type { AffectedBase } from './affected-base.ts';
import { nx, nxServicesArgs } from './nx.ts';

/** What the child pipeline needs to know about one service, all read from its project.json `metadata.service`. */
export interface ServiceToShip {
  project: string;
  root: string;
  /** A deploy target (droplet, ansible, cloud-run, app-engine…), or "none". */
  deploy: string;
  /** Where its image is pushed and released (`metadata.service.registry`): where a deploy pulls it from. */
  registry?: RegistryKind;
  /** The path the deploy's smoke test GETs (`metadata.service.smoke`, read as tools/docker's smoke command reads it). */
  smokePath: string;
  /** Whether a merge request gets a review app of it (`metadata.service.reviewApps`, off when absent). */
  reviewApps?: boolean;
  /** Whether its released image is signed with Sigstore (`metadata.service.sign`, off when absent). */
  sign?: boolean;
}

/** Checks the recorded settings the pipeline uses (deploy target, smoke path), naming the file and field when one is wrong. */
export function serviceSettings(project: string, root: string, metadata: Record<string, unknown> | undefined): ServiceToShip {
  const where = `${root}/project.json metadata.service`;
  const service = metadata?.service as Record<string, unknown> | undefined;
  if (!service || typeof service !== 'object') throw new Error(`${where} is missing: the generator records port, registry and deploy there`);
  const { deploy } = service;
  if (typeof deploy !== 'string' || !/^[a-z][a-z0-9-]*$/.test(deploy)) {
    throw new Error(`${where}.deploy must be a deploy target such as "droplet", or "none", got ${JSON.stringify(deploy)}`);
  }
  const { reviewApps = false } = service;
  if (typeof reviewApps !== 'boolean') throw new Error(`${where}.reviewApps must be true or false, got ${JSON.stringify(reviewApps)}`);
  const { sign = false } = service;
  if (typeof sign !== 'boolean') throw new Error(`${where}.sign must be true or false, got ${JSON.stringify(sign)}`);
  const { smokePath, registry } = serviceFromProject({ name: project, root, metadata });
  return { project, root, deploy, registry, smokePath, reviewApps, sign };
}

/**
 * The services (projects tagged type:service) that a base makes affected, with their settings; a service
 * without a Dockerfile has no image to ship and is listed apart.
 */
export async function affectedServices(base: AffectedBase): Promise<{ ship: ServiceToShip[]; withoutDockerfile: string[] }> {
  const names = JSON.parse(await nx(nxServicesArgs(base), { capture: true })) as string[];
  // `nx show projects` has just computed and cached the graph: read each project's root and metadata from it.
  const { nodes } = readCachedProjectGraph();
  const ship: ServiceToShip[] = [];
  const withoutDockerfile: string[] = [];
  for (const name of names.toSorted()) {
    const node = nodes[name];
    if (!node) throw new Error(`nx listed ${name}, but its project graph has no such project`);
    if (existsSync(join(node.data.root, 'Dockerfile'))) ship.push(serviceSettings(name, node.data.root, node.data.metadata));
    else withoutDockerfile.push(name);
  }
  return { ship, withoutDockerfile };
}
