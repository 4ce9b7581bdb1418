import { randomUUID } from 'node:crypto';
import type Docker from 'dockerode';
import { healthcheckCommand, waitServing } from '../lib/container-health.ts';
import { demuxLogs } from '../lib/container-logs.ts';
import { credentialsForHost } from '../lib/credentials.ts';
import { followStream } from '../lib/daemon-stream.ts';
import { connectEngine } from '../lib/engine.ts';
import { CliError, errorMessage, UsageError } from '../lib/errors.ts';
import { excerpt, formatSeconds } from '../lib/format.ts';
import { parsePinnedImage, registryHost } from '../lib/naming.ts';
import { freePort, smokeNetwork, type SmokeNetwork } from '../lib/smoke-network.ts';
import { defineCommand, print } from './command.ts';
import { resolveTargets, targetOptions, type Target } from './targets.ts';

const ROOT_USERS = new Set(['', '0', 'root', '0:0', 'root:root']);

interface SmokeOptions {
  tag: string;
  /** An image pinned by digest to run instead of <repository>:<tag>. */
  image: string | undefined;
  path: string | undefined;
  env: string[];
  timeoutMs: number;
  network: SmokeNetwork;
}

/** The image to run: here already, or pulled from the registry (with credentials when they are set). */
async function localImage(docker: Docker, reference: string): Promise<Docker.ImageInspectInfo> {
  const found = await docker.getImage(reference).inspect().catch(() => undefined);
  if (found) return found;
  if (registryHost(reference) === undefined) throw new CliError(`${reference} is not an image on this engine: build it first (docker-build)`);
  const credentials = credentialsForHost(reference, process.env);
  const output = await docker.pull(reference, credentials ? { authconfig: credentials.auth } : {}).catch((error: unknown) => {
    throw new CliError(`pulling ${reference} failed: ${errorMessage(error)}`);
  });
  await followStream(docker, output, print, `pulling ${reference}`);
  return docker.getImage(reference).inspect();
}

/** GET one path; the line printed says what came back, and a non-2xx or no answer is a failure. */
async function check(url: string, path: string): Promise<string | undefined> {
  try {
    const response = await fetch(new URL(path, url), { signal: AbortSignal.timeout(5000) });
    const body = await response.text();
    print(`GET ${path} → ${response.status} ${excerpt(body)}`);
    return response.ok ? undefined : `GET ${path} answered ${response.status}`;
  } catch (error) {
    print(`GET ${path} → no answer (${(error as Error).message})`);
    return `GET ${path} got no answer`;
  }
}

async function smoke(docker: Docker, target: Target, options: SmokeOptions): Promise<void> {
  const { service, repository } = target;
  const reference = options.image ?? `${repository}:${options.tag}`;
  const image = await localImage(docker, reference);
  if (ROOT_USERS.has(image.Config.User)) throw new CliError(`${reference} runs as root: its Dockerfile needs a numeric USER, e.g. USER 1000:1000`);
  const healthcheck = healthcheckCommand(image.Config.Healthcheck?.Test);
  if (!healthcheck) throw new CliError(`${reference} has no HEALTHCHECK: smoke runs it once the service answers /health`);

  const port = options.network.local ? await freePort() : (service.port ?? 3000);
  const url = `http://${options.network.host}:${port}`;
  const paths = ['/health', options.path ?? service.smokePath];
  print(`── ${service.name}: running ${reference} as user ${image.Config.User} on ${url}`);
  const container = await docker.createContainer({
    name: `smoke-${service.name}-${randomUUID().slice(0, 8)}`,
    Image: reference,
    // PORT (and on this machine HOST) point the service at a free loopback port of the host network.
    Env: [`PORT=${port}`, ...(options.network.local ? ['HOST=127.0.0.1'] : []), ...options.env],
    HostConfig: { NetworkMode: 'host' },
  });
  const started = performance.now();
  try {
    await container.start();
    await waitServing(container, new URL('/health', url), healthcheck, options.timeoutMs);
    print(`healthy after ${formatSeconds(performance.now() - started)}`);
    const failures: string[] = [];
    for (const path of paths) {
      const failure = await check(url, path);
      if (failure !== undefined) failures.push(failure);
    }
    if (failures.length > 0) throw new CliError(failures.join('; '));
    print(`── ${service.name}: smoke test passed`);
  } catch (error) {
    const logs = await container.logs({ stdout: true, stderr: true, tail: 40 }).catch(() => Buffer.alloc(0));
    print(`── ${service.name}: last log lines of the container:`);
    for (const line of demuxLogs(logs).trimEnd().split('\n')) print(`  ${line}`);
    throw new CliError(`smoke test of ${reference} failed: ${(error as Error).message}`);
  } finally {
    await container.remove({ force: true });
  }
}

function parseEnv(pairs: string[]): string[] {
  for (const pair of pairs) if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(pair)) throw new UsageError(`--env takes KEY=VALUE, got "${pair}"`);
  return pairs;
}

export default defineCommand(
  {
    name: 'smoke',
    summary: 'Run the image, wait until healthy, call /health and one real endpoint, then remove it',
    description: [
      "Runs <repository>:<tag> (pulled when it is not here) on the engine's host network with PORT set to a free port,",
      'waits until it answers /health (polled every 100 ms, not at the health check interval), runs its HEALTHCHECK',
      "command once, then calls /health and the project's real endpoint: metadata.service.smoke in project.json,",
      'default /api/ping. Prints each answer, removes the container whatever happens, and exits non-zero (printing the',
      'last log lines) if the image runs as root, never answers, fails its HEALTHCHECK, exits, or an endpoint\'s',
      'answer is not 2xx. With a remote engine (DOCKER_HOST=tcp://docker:2376) it calls that host on the service port.',
    ].join('\n'),
    options: {
      ...targetOptions,
      tag: { type: 'string', placeholder: '<tag>', description: 'The tag to run (default: the commit SHA)' },
      image: {
        type: 'string',
        placeholder: '<repository>@<digest>',
        description: 'Run this image, pinned by digest, instead of a tag: the TESTED_IMAGE the image job hands on; one project only',
      },
      path: { type: 'string', placeholder: '<path>', description: "The real endpoint to call (default: metadata.service.smoke or /api/ping)" },
      env: { type: 'string', multiple: true, placeholder: '<KEY=VALUE>', description: "A setting for the container (values are not printed)" },
      timeout: { type: 'string', placeholder: '<seconds>', description: 'How long to wait for /health to answer (default: 60)' },
    },
    examples: [
      'node tools/docker/cli.ts smoke --project fibonacci',
      'node tools/docker/cli.ts smoke --project fibonacci --tag latest --path /api/fibonacci/8',
      'node tools/docker/cli.ts smoke --project fibonacci --image "$TESTED_IMAGE"   # what the pipeline does',
    ],
  },
  async (values) => {
    const env = parseEnv(values.env);
    const timeoutSeconds = Number(values.timeout ?? 60);
    if (!(timeoutSeconds > 0)) throw new UsageError(`--timeout takes a number of seconds, got "${values.timeout ?? ''}"`);
    if (values.path !== undefined && !values.path.startsWith('/')) throw new UsageError(`--path takes a path such as /api/ping, got "${values.path}"`);
    const { targets, revision } = await resolveTargets(values);
    if (targets.length === 0) {
      print('No affected project has a Dockerfile: nothing to smoke-test.');
      return;
    }
    if (values.image !== undefined) {
      parsePinnedImage(values.image, '--image');
      if (targets.length > 1) throw new UsageError(`--image names one image, but ${targets.length} projects were selected: smoke-test them one at a time`);
    }
    const docker = await connectEngine();
    const options = { tag: values.tag ?? revision.sha, image: values.image, path: values.path, env, timeoutMs: timeoutSeconds * 1000, network: smokeNetwork(process.env) };
    for (const target of targets) await smoke(docker, target, options);
  },
);
