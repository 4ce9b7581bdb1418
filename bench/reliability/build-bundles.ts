import { spawnSync } from 'node:child_process';
import { discoverServices, workspaceRoot } from '../lib/services.ts';

/** Vitest global setup: the checks run what ships, so every service's bundle is built first (an Nx cache hit after `npm test`). */
export default async function buildBundles() {
  const services = await discoverServices();
  const build = spawnSync(process.execPath, ['node_modules/.bin/nx', 'run-many', '-t', 'build', `--projects=${services.map((service) => service.name).join(',')}`], {
    cwd: workspaceRoot,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('`nx run-many -t build` failed: the reliability checks need the services\' bundles');
}
