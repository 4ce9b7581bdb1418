import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startRegistry } from '../../docker/testing/registry.ts';
import { buildAppImages, buildApps, nodeBaseImage, removeSuiteImages, type AppImages } from './support/images.ts';
import { startNginx } from './support/nginx.ts';
import { check, requireProgram } from './support/processes.ts';
import { startDroplet } from './support/sshd.ts';

export const namePrefix = 'e2edeploy-';

export interface Infrastructure {
  droplet: { host: string; port: number; knownHosts: string; wrongKnownHosts: string; privateKeyFile: string };
  registry: { address: string; user: string; password: string };
  nginx: { confDir: string; command: string };
  stateDir: string;
  /** The local Node 24 image, for the decoy containers. */
  nodeImage: string;
  /** A scratch directory the tests may write to. */
  scratch: string;
  images: Record<string, AppImages>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    infrastructure: Infrastructure;
  }
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Every app with a Dockerfile is deployed: the sample apps, and any service the generator adds. */
export const apps = readdirSync(join(root, 'apps')).filter((name) => existsSync(join(root, 'apps', name, 'Dockerfile')));

/**
 * Starts what a droplet and a registry are made of, on loopback: the Docker engine must be running
 * already; sshd, nginx and docker-registry are started here, each with its own config in a temp dir.
 * Anything missing fails the suite, saying how to get it: it is never skipped.
 */
export default async function setup(project: TestProject) {
  await requireProgram('docker', ['info', '--format', '{{.ServerVersion}}'], 'start the engine: nohup dockerd --bridge=none --iptables=false &');
  await requireProgram('/usr/sbin/sshd', ['-V'], 'apt-get install -y openssh-server');
  await requireProgram('nginx', ['-v'], 'apt-get install -y nginx-light');
  await requireProgram('docker-registry', ['--version'], 'apt-get install -y docker-registry');
  await requireProgram('ansible-playbook', ['--version'], 'apt-get install -y ansible');
  await requireProgram('ansible-lint', ['--version'], 'apt-get install -y ansible-lint');
  await requireProgram('shellcheck', ['--version'], 'apt-get install -y shellcheck');
  process.chdir(root);
  // A run that was killed never tore down: its containers would hold the names this run needs.
  await removeSuiteContainers();

  const dir = mkdtempSync(join(tmpdir(), 'deploy-e2e-'));
  // nginx's workers run as nobody and must be able to see the green markers below.
  chmodSync(dir, 0o755);
  const stops: (() => Promise<void>)[] = [];
  const teardown = async () => {
    await removeSuiteContainers();
    await removeSuiteImages();
    for (const stop of stops.reverse()) await stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const registry = await startRegistry();
    stops.push(registry.stop);
    const droplet = await startDroplet(join(dir, 'sshd'));
    stops.push(droplet.stop);
    const nginx = await startNginx(join(dir, 'nginx'));
    stops.push(nginx.stop);

    const nodeImage = await nodeBaseImage();
    await buildApps(apps);
    const images: Record<string, AppImages> = {};
    for (const app of apps) images[app] = await buildAppImages(app, registry, nodeImage, join(dir, 'docker-config'));

    project.provide('infrastructure', {
      droplet: { host: droplet.host, port: droplet.port, knownHosts: droplet.knownHosts, wrongKnownHosts: droplet.wrongKnownHosts, privateKeyFile: droplet.privateKeyFile },
      registry: { address: registry.address, user: registry.username, password: registry.password },
      nginx: { confDir: nginx.confDir, command: nginx.command },
      stateDir: join(dir, 'state'),
      nodeImage,
      scratch: dir,
      images,
    });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

/** Every container named with the suite's prefix: its deployments' and the decoys the tests start. */
async function removeSuiteContainers(): Promise<void> {
  const names = (await check('docker', ['ps', '--all', '--format', '{{.Names}}'])).split('\n').filter((name) => name.startsWith(namePrefix));
  if (names.length > 0) await check('docker', ['rm', '--force', ...names]);
}
