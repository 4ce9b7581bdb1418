import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import bcrypt from 'bcryptjs';
import { parseChallenge } from '../lib/registry/challenge.ts';
import { freePort } from '../lib/smoke-network.ts';
import { startTokenService, type TokenService } from './token-service.ts';

const REGISTRY_BINARY = 'docker-registry';

export interface Registry {
  /** host:port, e.g. 127.0.0.1:41234: what image references start with and what `docker login` names. */
  address: string;
  username: string;
  password: string;
  /** Authorized fetch of the registry's HTTP API (/v2/...): Basic, or with a token service a Bearer token for each request's scope. */
  api: (path: string, init?: RequestInit) => Promise<Response>;
  /** The digest the registry serves for `<name>:<tag>` (or `<name>@<digest>`), or the HTTP status it answered instead. */
  servedDigest: (name: string, reference: string) => Promise<string>;
  /** Stops the registry and deletes everything it stored. */
  stop: () => Promise<void>;
}

/**
 * A real registry (Debian's docker-registry, distribution 2.8) on a free loopback port, with htpasswd auth
 * for one user (`e2e` unless named) with a fresh random password, storing into a temporary directory, for the end-to-end suites
 * that push and pull images (e2e/, tools/deploy/e2e/). The engine pushes to 127.0.0.0/8 over plain HTTP
 * without any insecure-registries setting. With `auth: 'token'` it trusts a token service instead (as Docker Hub and
 * GitLab do): the client gets a Bearer token there for the same user and password.
 */
export async function startRegistry({ username = 'e2e', auth = 'htpasswd' }: { username?: string; auth?: 'htpasswd' | 'token' } = {}): Promise<Registry> {
  const dir = await mkdtemp(join(tmpdir(), 'e2e-registry-'));
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const password = randomBytes(18).toString('base64url');
  await writeFile(join(dir, 'htpasswd'), `${username}:${bcrypt.hashSync(password, 10)}\n`, { mode: 0o600 });
  const tokenService: TokenService | undefined = auth === 'token' ? await startTokenService(dir, username, password) : undefined;
  // JSON is YAML: the paths are quoted whatever the temporary directory is called.
  await writeFile(
    join(dir, 'config.yml'),
    JSON.stringify({
      version: 0.1,
      log: { level: 'warn', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: join(dir, 'data') }, delete: { enabled: true } },
      http: { addr: address, secret: randomBytes(16).toString('hex') },
      auth: tokenService ? { token: tokenService.config } : { htpasswd: { realm: 'e2e', path: join(dir, 'htpasswd') } },
    }),
  );

  const child = spawn(REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    await once(child, 'spawn');
  } catch (error) {
    await tokenService?.stop();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`cannot start ${REGISTRY_BINARY} (${(error as Error).message}): apt-get install -y docker-registry, or run bash .ci/provision-docker.sh`);
  }
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // 'close', not 'exit': by then stderr has been read to the end.
  const closed = once(child, 'close');
  const running = () => child.exitCode === null && child.signalCode === null;

  const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const send = (path: string, init: RequestInit, authorization: string) =>
    fetch(`http://${address}${path}`, { ...init, headers: { authorization, ...(init.headers as Record<string, string> | undefined) } });
  const api = async (path: string, init: RequestInit = {}) => {
    const answer = await send(path, init, basic);
    const header = answer.headers.get('www-authenticate');
    const challenge = parseChallenge(header);
    if (answer.status !== 401 || challenge?.scheme !== 'bearer') return answer;
    // The registry's challenge names the scope this request needs.
    const url = new URL(challenge.realm);
    url.searchParams.set('service', challenge.service ?? '');
    url.searchParams.set('scope', /scope="([^"]*)"/.exec(header ?? '')?.[1] ?? '');
    const { token } = (await (await fetch(url, { headers: { authorization: basic } })).json()) as { token: string };
    return send(path, init, `Bearer ${token}`);
  };

  const servedDigest = async (name: string, reference: string) => {
    const manifest = await api(`/v2/${name}/manifests/${reference}`, { method: 'HEAD', headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
    return manifest.headers.get('docker-content-digest') ?? `HTTP ${String(manifest.status)}, no digest`;
  };

  const stop = async () => {
    if (running()) {
      child.kill('SIGTERM');
      // A registry stuck mid-request must not hold the suite's teardown forever.
      await Promise.race([closed, sleep(5_000, undefined, { ref: false }).then(() => child.kill('SIGKILL'))]);
    }
    // Killed or not, it may write into the directory until it is gone.
    await closed;
    await tokenService?.stop();
    await rm(dir, { recursive: true, force: true });
  };

  // 401 is the answer of a running registry that wants credentials. However long it takes to start on a busy
  // machine, it either answers or exits.
  for (;;) {
    const status = await fetch(`http://${address}/v2/`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 401) break;
    if (!running()) {
      await stop();
      throw new Error(`${REGISTRY_BINARY} did not answer on ${address} (exit code ${child.exitCode ?? 'none'}): ${stderr}`);
    }
    await sleep(100);
  }
  return { address, username, password, api, servedDigest, stop };
}
