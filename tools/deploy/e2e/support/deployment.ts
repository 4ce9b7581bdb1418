import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { inject } from 'vitest';
import { serviceFromProject } from '../../../docker/lib/services.ts';
import type { Infrastructure } from '../global-setup.ts';
import { capture, freePort, type Output } from './processes.ts';

export type Target = 'droplet' | 'ansible';

export interface Deployment {
  app: string;
  /** --name: containers `<name>-blue` and `<name>-green`, prefixed so the suite can clean up after itself. */
  name: string;
  url: string;
  /** What the pipeline's smoke job GETs after the deploy: the app's recorded metadata.service.smoke. */
  smokePath: string;
  infrastructure: Infrastructure;
  /** `node tools/deploy/cli.ts <target> <command> ...` with this deployment's options and the CI variables. */
  cli: (target: Target, command: string, args?: string[], env?: NodeJS.ProcessEnv) => Promise<Output>;
}

/** One deployment of `app` on the suite's droplet, on ports of its own, as the pipeline would run it. */
export async function createDeployment(app: string, name: string): Promise<Deployment> {
  const infrastructure = inject('infrastructure');
  const { droplet, registry, nginx, stateDir } = infrastructure;
  const [port, bluePort, greenPort] = [await freePort(), await freePort(), await freePort()];
  const options = [
    ['--project', app],
    ['--name', name],
    ['--host', droplet.host],
    ['--ssh-port', String(droplet.port)],
    ['--port', String(port)],
    ['--blue-port', String(bluePort)],
    ['--green-port', String(greenPort)],
    ['--state-dir', stateDir],
    ['--nginx-conf-dir', nginx.confDir],
    ['--nginx', nginx.command],
    // The suite's services stop in well under a second once idle; a real deploy keeps the 30 s default.
    ['--drain-timeout', '10'],
  ].flat();
  const variables = {
    SSH_KNOWN_HOSTS: droplet.knownHosts,
    SSH_PRIVATE_KEY_FILE: droplet.privateKeyFile,
    REGISTRY_USER: registry.user,
    REGISTRY_PASSWORD: registry.password,
  };
  const project = JSON.parse(readFileSync(new URL(`../../../../apps/${app}/project.json`, import.meta.url), 'utf8')) as { metadata?: Record<string, unknown> };
  return {
    app,
    name,
    url: `http://127.0.0.1:${port}`,
    smokePath: serviceFromProject({ name: app, root: `apps/${app}`, metadata: project.metadata }).smokePath,
    infrastructure,
    cli: (target, command, args = [], env = {}) =>
      capture(process.execPath, ['tools/deploy/cli.ts', target, command, ...options, ...args], { env: { ...process.env, ...variables, ...env } }),
  };
}

/**
 * What the service says about itself through nginx: its version (from the image) and which color answered, as
 * nginx tells the host itself (127.0.0.1), or a client from `localAddress` (another loopback address: not the host).
 */
export function served(deployment: Deployment, localAddress = '127.0.0.1'): Promise<{ version: string; color: string | null }> {
  return new Promise((resolve, reject) => {
    const request = get(`${deployment.url}/docs/json`, { localAddress }, (response) => {
      const body: Buffer[] = [];
      response.on('data', (chunk: Buffer) => body.push(chunk));
      response.on('end', () => {
        const document = JSON.parse(Buffer.concat(body).toString()) as { info: { version: string } };
        const color = response.headers['x-deploy-color'];
        resolve({ version: document.info.version, color: typeof color === 'string' ? color : null });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}
