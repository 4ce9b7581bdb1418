import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import type Docker from 'dockerode';
import { CliError } from './errors.ts';
import { envVar } from './env.ts';

const DEFAULT_SOCKET = 'unix:///var/run/docker.sock';
const PING_TIMEOUT_MS = 10_000;

/** Where dockerode will look for the engine: DOCKER_HOST (with DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), else the local socket. */
export function engineAddress(env: NodeJS.ProcessEnv): string {
  return envVar(env, 'DOCKER_HOST') ?? DEFAULT_SOCKET;
}

/**
 * The client certificates for a TLS engine that dockerode would not find by itself: GitLab's docker:dind
 * recipe sets DOCKER_TLS_CERTDIR, and only the docker CLI image's entrypoint turns it into DOCKER_CERT_PATH.
 */
export function tlsCertDir(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.DOCKER_HOST?.startsWith('tcp://') || env.DOCKER_CERT_PATH || !env.DOCKER_TLS_CERTDIR) return undefined;
  return join(env.DOCKER_TLS_CERTDIR, 'client');
}

/** What to say when the engine does not answer: what failed, and the ways to start one. */
export function unreachableMessage(address: string, reason: string): string {
  const hint =
    reason === 'EACCES'
      ? 'The socket exists but this user may not use it: run as root, or join the `docker` group.'
      : [
          'Start one, then run this again:',
          '  sudo dockerd --bridge=none --iptables=false >/tmp/dockerd.log 2>&1 &   (what .ci/provision-docker.sh does)',
          '  or: sudo systemctl start docker',
          '  or: point DOCKER_HOST at a running engine (GitLab docker:dind: DOCKER_HOST=tcp://docker:2376, DOCKER_TLS_CERTDIR=/certs)',
        ].join('\n');
  return `Cannot reach the Docker engine at ${address} (${reason}).\n${hint}`;
}

async function timeout(ms: number): Promise<never> {
  await setTimeout(ms, undefined, { ref: false });
  throw new Error(`no answer in ${ms / 1000} s`);
}

function failureReason(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return code;
  return typeof message === 'string' ? message : String(error);
}

/**
 * dockerode reads DOCKER_HOST and DOCKER_CERT_PATH as it is made: a malformed one is named here rather than
 * crashing. It is loaded only now, so `--help` and usage errors answer without it.
 */
async function createClient(env: NodeJS.ProcessEnv): Promise<Docker> {
  const { default: Docker } = await import('dockerode');
  const certDir = tlsCertDir(env);
  try {
    if (certDir === undefined) return new Docker();
    return new Docker({ ca: readFileSync(join(certDir, 'ca.pem')), cert: readFileSync(join(certDir, 'cert.pem')), key: readFileSync(join(certDir, 'key.pem')) });
  } catch (error) {
    const settings = ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS_CERTDIR'].filter((name) => envVar(env, name) !== undefined);
    throw new CliError(`cannot set up the Docker client from ${settings.join(', ') || 'the defaults'}: ${(error as Error).message}`);
  }
}

/** A dockerode client (configured from the environment) that has answered a ping; a CliError saying how to start an engine otherwise. */
export async function connectEngine(): Promise<Docker> {
  const env = process.env;
  const docker = await createClient(env);
  try {
    await Promise.race([docker.ping(), timeout(PING_TIMEOUT_MS)]);
  } catch (error) {
    throw new CliError(unreachableMessage(engineAddress(env), failureReason(error)));
  }
  return docker;
}
