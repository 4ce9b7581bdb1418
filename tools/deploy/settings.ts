import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError } from './deploy-error.ts';
import { workspaceRoot } from './workspace.ts';

/** The command-line options every target shares; `--help` prints them from here. */
export const options = {
  project: { type: 'string', help: 'the Nx project (apps/<project>) being deployed; required' },
  name: { type: 'string', help: 'name of the deployment on the host: containers <name>-blue/-green (default: the project)' },
  host: { type: 'string', help: 'the host to deploy to, by name or address; required' },
  'ssh-port': { type: 'string', help: 'its SSH port (default 22)' },
  user: { type: 'string', help: 'the SSH user: root, or one in the docker group allowed to run the nginx command (default root)' },
  image: { type: 'string', help: 'deploy: the image to run, pinned by digest: registry/name[:tag]@sha256:…' },
  to: { type: 'string', help: 'rollback: a tag or digest (prefix) from the history (default: the version before the current one)' },
  port: { type: 'string', help: "the public port nginx listens on (default: the project's metadata.service.port)" },
  'blue-port': { type: 'string', help: 'loopback port of the blue container (default port + 10000)' },
  'green-port': { type: 'string', help: 'loopback port of the green container (default port + 20000)' },
  'health-path': { type: 'string', help: 'what must answer 200 before traffic moves (default /health)' },
  'health-timeout': { type: 'string', help: 'seconds the new version has to get healthy, checked once a second (default 30)' },
  'drain-timeout': { type: 'string', help: 'seconds the old version has to finish its requests after SIGTERM (default 30)' },
  keep: { type: 'string', help: 'images kept on the host for rollback, the current one included (default 3)' },
  'lock-timeout': { type: 'string', help: 'seconds to wait for another deploy or rollback of the same --name on the host to end (default 60)' },
  // Not --env-file: Node reads that one even after the script's name, and exits when its value is empty.
  'service-env-file': { type: 'string', help: "a local KEY=value file copied to the host (mode 600) as the container's environment" },
  'state-dir': { type: 'string', help: 'where the host keeps the active color and the history (default /var/lib/fastify-deploy)' },
  'nginx-conf-dir': { type: 'string', help: 'a directory nginx includes, for <name>.conf (default /etc/nginx/conf.d)' },
  nginx: { type: 'string', help: 'the nginx command on the host, run with -t and -s reload (default nginx; e.g. "sudo nginx")' },
  url: { type: 'string', help: "the service's public URL, for the GitLab environment and the smoke test (default http://<host>:<port>)" },
  dotenv: { type: 'string', help: "deploy: write DEPLOY_URL=<url> to this file first (GitLab's artifacts:reports:dotenv); review: once its port is known" },
  slug: { type: 'string', help: "review, stop-review: the merge request's $CI_COMMIT_REF_SLUG: the review app is <name>-review-<slug>" },
  'review-ports': { type: 'string', help: 'review: the public ports review apps may take on the host, FROM-TO, one app each (default 8100-8109)' },
  help: { type: 'boolean', short: 'h', help: 'print this help' },
} as const satisfies Record<string, { type: 'string' | 'boolean'; short?: string; help: string }>;

export type Color = 'blue' | 'green';

/** What one container of the service may use: docker run's --memory and --pids-limit. */
export interface Limits {
  memory: string;
  pids: number;
}

/** What a service that records no `metadata.service.limits` gets: room for one Node process and its threads. */
export const defaultLimits: Limits = { memory: '256m', pids: 128 };

export interface DeploySettings {
  project: string;
  name: string;
  host: string;
  sshPort: number;
  user: string;
  image?: string | undefined;
  to?: string | undefined;
  port: number;
  colorPorts: Record<Color, number>;
  healthPath: string;
  healthTimeoutS: number;
  drainTimeoutS: number;
  keep: number;
  lockTimeoutS: number;
  limits: Limits;
  envFile?: string | undefined;
  stateDir: string;
  nginxConfDir: string;
  nginx: string;
  url: string;
  dotenv?: string | undefined;
  /** The review app's merge request ($CI_COMMIT_REF_SLUG), for review and stop-review. */
  slug?: string | undefined;
  /** The public ports review apps share on the host: how many there may be at once. */
  reviewPorts: PortRange;
}

export interface PortRange {
  from: number;
  to: number;
}

/** A review app's containers listen on its public port plus these, as a deployment's colors do by default. */
export const colorOffsets: Record<Color, number> = { blue: 10_000, green: 20_000 };

/** Secrets and pinned keys come from the environment only (GitLab CI variables), never from flags. */
export interface DeployCredentials {
  knownHosts: string;
  privateKeyFile: string;
  privateKey: string;
  passphrase?: string | undefined;
  registry?: { user: string; password: string } | undefined;
}

export type Env = Record<string, string | undefined>;

const appsDir = new URL('apps/', workspaceRoot);
const namePattern = /^[a-z0-9][a-z0-9_.-]*$/;
const digestPattern = /@sha256:[0-9a-f]{64}$/;
/** GitLab's CI_COMMIT_REF_SLUG: lowercase letters, digits and dashes, at most 63, no dash at either end. */
const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** An empty value means the default, so a CI job can pass an unset variable or input as is. */
export function parseCommandLine(argv: string[]) {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    const values = Object.fromEntries(Object.entries(parsed.values).filter(([, value]) => value !== '')) as typeof parsed.values;
    return { values, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function readSettings(values: ReturnType<typeof parseCommandLine>['values'], appsRoot: URL = appsDir): DeploySettings {
  const project = required(values.project, '--project');
  const name = values.name ?? project;
  if (!namePattern.test(name)) throw new UsageError(`--name must be lowercase letters, digits, dot, dash or underscore, got "${name}"`);
  const recorded = recordedService(project, appsRoot);
  const port = values.port === undefined ? recordedPort(project, recorded) : integer(values.port, '--port', 1, 65_535);
  const host = required(values.host, '--host');
  const settings: DeploySettings = {
    project,
    name,
    host,
    sshPort: integer(values['ssh-port'] ?? '22', '--ssh-port', 1, 65_535),
    user: values.user ?? 'root',
    image: values.image,
    to: values.to,
    port,
    colorPorts: {
      blue: integer(values['blue-port'] ?? String(port + colorOffsets.blue), '--blue-port', 1, 65_535),
      green: integer(values['green-port'] ?? String(port + colorOffsets.green), '--green-port', 1, 65_535),
    },
    healthPath: values['health-path'] ?? '/health',
    healthTimeoutS: integer(values['health-timeout'] ?? '30', '--health-timeout', 1, 600),
    drainTimeoutS: integer(values['drain-timeout'] ?? '30', '--drain-timeout', 0, 600),
    keep: integer(values.keep ?? '3', '--keep', 2, 100),
    lockTimeoutS: integer(values['lock-timeout'] ?? '60', '--lock-timeout', 0, 3600),
    limits: recordedLimits(project, recorded),
    envFile: values['service-env-file'],
    stateDir: values['state-dir'] ?? '/var/lib/fastify-deploy',
    nginxConfDir: values['nginx-conf-dir'] ?? '/etc/nginx/conf.d',
    nginx: values.nginx ?? 'nginx',
    url: values.url ?? hostUrl(host, port),
    dotenv: values.dotenv,
    slug: values.slug,
    reviewPorts: portRange(values['review-ports'] ?? '8100-8109'),
  };
  if (settings.slug !== undefined && !slugPattern.test(settings.slug)) {
    throw new UsageError(`--slug must be a GitLab ref slug ($CI_COMMIT_REF_SLUG: lowercase letters, digits and dashes, at most 63), got "${settings.slug}"`);
  }
  if (!/^https?:\/\/[^/\s]+/.test(settings.url)) throw new UsageError(`--url must be an http(s) URL, got "${settings.url}"`);
  const ports = [settings.port, settings.colorPorts.blue, settings.colorPorts.green];
  if (new Set(ports).size !== 3) throw new UsageError(`--port, --blue-port and --green-port must differ, got ${ports.join(', ')}`);
  if (!settings.healthPath.startsWith('/')) throw new UsageError(`--health-path must start with /, got "${settings.healthPath}"`);
  if (settings.image !== undefined && !digestPattern.test(settings.image)) {
    throw new UsageError(`--image must be pinned by digest (…@sha256:<64 hex>) so the host runs exactly what was tested, got "${settings.image}"`);
  }
  return settings;
}

export function readCredentials(env: Env): DeployCredentials {
  const knownHosts = fileOrContent(required(env.SSH_KNOWN_HOSTS, 'SSH_KNOWN_HOSTS (the host key lines from ssh-keyscan, or a file variable)'));
  const keyFile = required(env.SSH_PRIVATE_KEY_FILE, 'SSH_PRIVATE_KEY_FILE (a path: make the key a GitLab variable of type File)');
  if (!existsSync(keyFile)) throw new UsageError(`SSH_PRIVATE_KEY_FILE points to ${keyFile}, which does not exist`);
  const user = env.REGISTRY_USER;
  const password = env.REGISTRY_PASSWORD;
  if (Boolean(user) !== Boolean(password)) throw new UsageError('set both REGISTRY_USER and REGISTRY_PASSWORD, or neither (a public image)');
  return {
    knownHosts,
    privateKeyFile: keyFile,
    // GitLab file variables may lose the trailing newline that OpenSSH-format keys need.
    privateKey: `${readFileSync(keyFile, 'utf8').trimEnd()}\n`,
    passphrase: env.SSH_PRIVATE_KEY_PASSPHRASE === '' ? undefined : env.SSH_PRIVATE_KEY_PASSPHRASE,
    registry: user && password ? { user, password } : undefined,
  };
}

/** http://<host>:<port>, with an IPv6 address in brackets. */
export function hostUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** FROM-TO, each a port whose color ports (port + 10000, + 20000) exist too. */
function portRange(raw: string): PortRange {
  const match = /^(\d+)-(\d+)$/.exec(raw);
  const last = 65_535 - colorOffsets.green;
  const from = integer(match?.[1] ?? raw, '--review-ports FROM', 1, last);
  const to = integer(match?.[2] ?? raw, '--review-ports TO', from, Math.min(last, from + 99));
  return { from, to };
}

/** The registry host of an image reference, as `docker login` wants it (Docker Hub when there is none). */
export function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/** `metadata.service` of apps/<project>/project.json, where the generator records the service's settings; undefined without one. */
function recordedService(project: string, appsRoot: URL): Record<string, unknown> | undefined {
  const file = new URL(`${project}/project.json`, appsRoot);
  if (!existsSync(file)) return undefined;
  const json = JSON.parse(readFileSync(file, 'utf8')) as { metadata?: { service?: Record<string, unknown> } };
  return json.metadata?.service ?? {};
}

function recordedPort(project: string, recorded: Record<string, unknown> | undefined): number {
  if (recorded === undefined) throw new UsageError(`--port is needed: there is no apps/${project}/project.json to read the port from`);
  if (typeof recorded.port !== 'number') throw new UsageError(`--port is needed: apps/${project}/project.json has no metadata.service.port`);
  return recorded.port;
}

/** `metadata.service.limits`, each one defaulted on its own; a project that records none gets the defaults. */
function recordedLimits(project: string, recorded: Record<string, unknown> | undefined): Limits {
  const limits = (recorded?.limits ?? {}) as Partial<Record<keyof Limits, unknown>>;
  const { memory = defaultLimits.memory, pids = defaultLimits.pids } = limits;
  const where = `apps/${project}/project.json metadata.service.limits`;
  if (typeof memory !== 'string' || !/^[1-9]\d*[kmg]$/.test(memory)) throw new UsageError(`${where}.memory must be docker's size, such as "256m" or "1g", got ${JSON.stringify(memory)}`);
  if (!Number.isInteger(pids) || (pids as number) < 16) throw new UsageError(`${where}.pids must be a whole number of at least 16, got ${JSON.stringify(pids)}`);
  return { memory, pids: pids as number };
}

/** GitLab passes a File variable as a path, a plain one as its content; a known_hosts line never starts with `/`. */
function fileOrContent(value: string): string {
  return value.startsWith('/') && existsSync(value) ? readFileSync(value, 'utf8') : value;
}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new UsageError(`${what} is required`);
  return value;
}

function integer(raw: string, what: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`${what} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return Number(raw);
}
