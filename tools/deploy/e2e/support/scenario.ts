import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { holdProcess } from '../../ssh/hold-until-ready.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLoad, type LoadResult } from './load.ts';
import { capture, check, type Output } from './processes.ts';
import { served, type Deployment, type Target } from './deployment.ts';

/** Load while deploying: 4 keep-alive connections; it stops when the deploy ends, or by itself after 3 minutes. */
export async function underLoad(deployment: Deployment, work: () => Promise<Output>): Promise<{ output: Output; load: LoadResult }> {
  const load = startLoad(`${deployment.url}/api/ping`, { connections: 4, maxDurationMs: 180_000 });
  const started = Date.now();
  const output = await work();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const result = await load.stop();
  const failed = result.errors.length + Object.values(result.non2xx).reduce((sum, count) => sum + count, 0);
  console.log(`${deployment.name}: deploy took ${seconds} s; ${result.requests} requests meanwhile, ${failed} failed, by color ${JSON.stringify(result.byColor)}`);
  return { output, load: result };
}

export function expectNoFailedRequest(load: LoadResult): void {
  expect({ errors: load.errors, non2xx: load.non2xx }).toEqual({ errors: [], non2xx: {} });
  expect(load.requests).toBeGreaterThan(0);
}

export function expectSuccess(output: Output): void {
  expect(output.stderr, output.stdout).not.toMatch(/deploy: /);
  expect(output.code, `${output.stdout}\n${output.stderr}`).toBe(0);
}

/** The env file the first deploy brings: later deploys and rollbacks without one must keep it. */
export const envMark = 'E2E_DEPLOY_MARK=kept';

/** The environment of the container nginx routes to. */
export async function liveEnv(deployment: Deployment): Promise<string[]> {
  const { color } = await served(deployment);
  return JSON.parse(await check('docker', ['container', 'inspect', '--format', '{{json .Config.Env}}', `${deployment.name}-${String(color)}`])) as string[];
}

/** Holds the deployment's lock on the host, as another deploy would, while `work` runs. */
export async function whileLocked<T>(deployment: Deployment, work: () => Promise<T>): Promise<T> {
  const lockFile = join(deployment.infrastructure.stateDir, deployment.name, 'lock');
  const held = await holdProcess(spawn('flock', [lockFile, 'sh', '-c', 'echo locked && exec cat >/dev/null']), 'locked');
  if (!('release' in held)) throw new Error(`could not lock ${lockFile}: ${held.stderr}`);
  try {
    return await work();
  } finally {
    await held.release();
  }
}

/** running, exited, …, or '' when there is no such container. */
export async function containerState(name: string): Promise<string> {
  return (await capture('docker', ['container', 'inspect', '--format', '{{.State.Status}}', name])).stdout.trim();
}

/**
 * What every deploy target must do, in order, on one deployment: the first deploy and its smoke test, a
 * redeploy under load with no failed request, two broken versions that never get traffic, a host key
 * that is not the pinned one, and a container that only has our name. A decoy container shows that
 * nothing but the deployment's own containers is touched.
 */
export function deploySteps(target: Target, deployment: () => Deployment): void {
  const decoy = () => `${deployment().name}-decoy`;
  const images = () => deployment().infrastructure.images[deployment().app] ?? expect.fail(`no images for ${deployment().app}`);
  const deploy = (image: string, args: string[] = [], env?: NodeJS.ProcessEnv) => deployment().cli(target, 'deploy', ['--image', image, ...args], env);

  beforeAll(async () => {
    await check('docker', ['run', '--detach', '--name', decoy(), '--label', 'e2edeploy', '--network', 'host', deployment().infrastructure.nodeImage, 'node', '-e', 'setInterval(() => {}, 1000)']);
  });
  afterAll(async () => {
    await check('docker', ['rm', '--force', decoy()]);
  });

  it('deploys the first version, which passes the smoke test through nginx', async () => {
    const dotenv = join(deployment().infrastructure.scratch, `${deployment().name}.env`);
    const envFile = join(deployment().infrastructure.scratch, `${deployment().name}.vars`);
    writeFileSync(envFile, `${envMark}\n`);
    expectSuccess(await deploy(images().v1, ['--dotenv', dotenv, '--service-env-file', envFile]));
    // What the pipeline's smoke job does with the DEPLOY_URL the deploy job left in its dotenv report, and the
    // app's recorded smoke path that the child pipeline passes it.
    const url = /^DEPLOY_URL=(.+)$/m.exec(readFileSync(dotenv, 'utf8'))?.[1] ?? '';
    expect(url).toBe(deployment().url);
    const smoke = await capture(process.execPath, ['tools/deploy/smoke.ts', url, '--path', deployment().smokePath]);
    expect(smoke.code, smoke.stderr).toBe(0);
    expect(smoke.stdout).toContain(`GET ${url}${deployment().smokePath} → 200 `);
    expect((await served(deployment())).version).toBe('1.0.0');
  });

  it('deploys the second version under continuous load with zero failed requests, then stops the first', async () => {
    const before = await served(deployment());
    const { output, load } = await underLoad(deployment(), () => deploy(images().v2));
    expectSuccess(output);
    expectNoFailedRequest(load);
    const after = await served(deployment());
    expect(after.version).toBe('2.0.0');
    expect(after.color).not.toBe(before.color);
    // Both colors answered during the load: traffic moved while it ran.
    expect(Object.keys(load.byColor).sort()).toEqual(['blue', 'green']);
    expect(await containerState(`${deployment().name}-${String(before.color)}`)).toBe('exited');
    expect(await liveEnv(deployment())).toContain(envMark);
  });

  it('runs the container read-only, without capabilities or new privileges, with the limits the service records', async () => {
    const { color } = await served(deployment());
    const format = '{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.CapDrop}} {{.HostConfig.SecurityOpt}} {{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}';
    const hostConfig = await check('docker', ['container', 'inspect', '--format', format, `${deployment().name}-${String(color)}`]);
    expect(hostConfig.trim()).toBe(`true [ALL] [no-new-privileges] ${256 * 1024 * 1024} 128`);
  });

  it('tells the color only to requests from the host itself, not to other clients', async () => {
    expect((await served(deployment())).color).toMatch(/^(blue|green)$/);
    expect((await served(deployment(), '127.0.0.2')).color).toBeNull();
  });

  it('waits for another deploy holding the lock on the host, then fails saying so, touching nothing', async () => {
    const live = await served(deployment());
    const output = await whileLocked(deployment(), () => deploy(images().v1, ['--lock-timeout', '1']));
    expect(output.code).toBe(1);
    expect(output.stderr).toContain(`another deploy of ${deployment().name} is running on the host (waited 1 s`);
    expect(await served(deployment())).toEqual(live);
  });

  it('refuses a version that exits at start: it is removed, the live one keeps serving, the deploy says why', async () => {
    const live = await served(deployment());
    const { output, load } = await underLoad(deployment(), () => deploy(images().crashing));
    expect(output.code).not.toBe(0);
    expect(`${output.stdout}${output.stderr}`).toMatch(/did not get healthy/);
    expect(`${output.stdout}${output.stderr}`).toMatch(/LOG_LEVEL must be one of/);
    expectNoFailedRequest(load);
    expect(await served(deployment())).toEqual(live);
    expect(await containerState(`${deployment().name}-${live.color === 'blue' ? 'green' : 'blue'}`)).toBe('');
  });

  it('gives up on a version that never answers its health check once --health-timeout has passed', async () => {
    const live = await served(deployment());
    const output = await deploy(images().hanging, ['--health-timeout', '3']);
    expect(output.code).not.toBe(0);
    expect(`${output.stdout}${output.stderr}`).toMatch(/did not get healthy/);
    expect(await served(deployment())).toEqual(live);
  });

  it('refuses to connect to a host whose key is not the one pinned in SSH_KNOWN_HOSTS', async () => {
    const live = await served(deployment());
    const output = await deploy(images().v1, [], { SSH_KNOWN_HOSTS: deployment().infrastructure.droplet.wrongKnownHosts });
    expect(output.code).not.toBe(0);
    expect(`${output.stdout}${output.stderr}`).toMatch(/does not match SSH_KNOWN_HOSTS|REMOTE HOST IDENTIFICATION HAS CHANGED/);
    expect(await served(deployment())).toEqual(live);
  });

  it('refuses to touch a container that has its name but not its label', async () => {
    const live = await served(deployment());
    const squatter = `${deployment().name}-${live.color === 'blue' ? 'green' : 'blue'}`;
    await check('docker', ['run', '--detach', '--name', squatter, '--label', 'e2edeploy', '--network', 'host', deployment().infrastructure.nodeImage, 'node', '-e', 'setInterval(() => {}, 1000)']);
    try {
      const output = await deploy(images().v1);
      expect(output.code).not.toBe(0);
      expect(`${output.stdout}${output.stderr}`).toMatch(/not touching it/);
      expect(await containerState(squatter)).toBe('running');
      expect(await served(deployment())).toEqual(live);
    } finally {
      await check('docker', ['rm', '--force', squatter]);
    }
  });

  it('left every other container alone', async () => {
    expect(await containerState(decoy())).toBe('running');
  });
}
