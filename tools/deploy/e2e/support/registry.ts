import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { freePort, startDaemon, stopDaemon, waitFor } from './processes.ts';

export interface Registry {
  /** host:port, as image references and docker login name it. */
  address: string;
  user: string;
  password: string;
  stop: () => Promise<void>;
}

/**
 * Debian's docker-registry on a loopback port, with htpasswd auth, so the deploy's `docker login
 * --password-stdin` and pull by digest meet a real registry. Docker trusts 127.0.0.0/8 over plain HTTP.
 */
export async function startRegistry(dir: string): Promise<Registry> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const port = await freePort();
  const user = 'e2e-deployer';
  const password = randomBytes(12).toString('hex');
  writeFileSync(join(dir, 'htpasswd'), `${user}:${bcrypt.hashSync(password, 10)}\n`, { mode: 0o600 });
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    JSON.stringify({
      version: 0.1,
      log: { level: 'warn', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: join(dir, 'data') } },
      http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString('hex') },
      auth: { htpasswd: { realm: 'e2e', path: join(dir, 'htpasswd') } },
    }),
  );
  const log = join(dir, 'registry.log');
  const daemon = startDaemon('docker-registry', ['serve', config], log);
  // 401 is the answer of a running registry that wants credentials.
  await waitFor(`docker-registry on 127.0.0.1:${port}`, async () => (await fetch(`http://127.0.0.1:${port}/v2/`)).status === 401, log);
  return { address: `127.0.0.1:${port}`, user, password, stop: () => stopDaemon(daemon) };
}
