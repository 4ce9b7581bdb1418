import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from './deploy-error.ts';
import { parseCommandLine, readCredentials, readSettings, registryOf } from './settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'deploy-settings-'));
mkdirSync(join(dir, 'apps', 'fibonacci'), { recursive: true });
writeFileSync(join(dir, 'apps', 'fibonacci', 'project.json'), JSON.stringify({ name: 'fibonacci', metadata: { service: { port: 3000 } } }));
const project = (name: string, service: Record<string, unknown>) => {
  mkdirSync(join(dir, 'apps', name), { recursive: true });
  writeFileSync(join(dir, 'apps', name, 'project.json'), JSON.stringify({ name, metadata: { service: { port: 3000, ...service } } }));
};
project('limited', { limits: { memory: '512m', pids: 64 } });
project('half-limited', { limits: { memory: '1g' } });
project('unlimited', { limits: { memory: 'lots' } });
project('forkbomb', { limits: { pids: 0 } });
const appsRoot = pathToFileURL(join(dir, 'apps') + '/');
const keyFile = join(dir, 'id_ed25519');
writeFileSync(keyFile, '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n-----END OPENSSH PRIVATE KEY-----');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const digest = `sha256:${'a'.repeat(64)}`;
const settings = (...args: string[]) => readSettings(parseCommandLine(args).values, appsRoot);

describe('readSettings', () => {
  it("takes the port from the project's metadata and derives the rest", () => {
    expect(settings('--project', 'fibonacci', '--host', 'droplet.example.com')).toEqual({
      project: 'fibonacci',
      name: 'fibonacci',
      host: 'droplet.example.com',
      sshPort: 22,
      user: 'root',
      image: undefined,
      to: undefined,
      port: 3000,
      colorPorts: { blue: 13000, green: 23000 },
      healthPath: '/health',
      healthTimeoutS: 30,
      drainTimeoutS: 30,
      keep: 3,
      lockTimeoutS: 60,
      limits: { memory: '256m', pids: 128 },
      envFile: undefined,
      stateDir: '/var/lib/fastify-deploy',
      nginxConfDir: '/etc/nginx/conf.d',
      nginx: 'nginx',
      url: 'http://droplet.example.com:3000',
      dotenv: undefined,
      slug: undefined,
      reviewPorts: { from: 8100, to: 8109 },
    });
  });

  it('lets every option override, and reads an empty value as the default (an unset CI variable)', () => {
    const parsed = settings(
      '--project', 'fibonacci', '--name', 'fibonacci-staging', '--host', '2001:db8::7', '--port', '80', '--green-port', '20081',
      '--image', `registry.gitlab.com/shop/fibonacci:1.2.0@${digest}`, '--service-env-file', '', '--url', '', '--nginx', 'sudo nginx',
    );
    expect(parsed).toMatchObject({ name: 'fibonacci-staging', port: 80, colorPorts: { blue: 10080, green: 20081 }, envFile: undefined, nginx: 'sudo nginx' });
    expect(parsed.url).toBe('http://[2001:db8::7]:80');
  });

  it.each([
    [['--host', 'h'], '--project is required'],
    [['--project', 'fibonacci'], '--host is required'],
    [['--project', 'weather', '--host', 'h'], '--port is needed: there is no apps/weather/project.json'],
    [['--project', 'fibonacci', '--host', 'h', '--name', 'Fib Onacci'], '--name must be lowercase'],
    [['--project', 'fibonacci', '--host', 'h', '--port', '0'], '--port must be a whole number from 1 to 65535, got "0"'],
    [['--project', 'fibonacci', '--host', 'h', '--blue-port', '3000'], '--port, --blue-port and --green-port must differ'],
    [['--project', 'fibonacci', '--host', 'h', '--health-path', 'health'], '--health-path must start with /'],
    [['--project', 'fibonacci', '--host', 'h', '--image', 'registry.gitlab.com/shop/fibonacci:latest'], '--image must be pinned by digest'],
    [['--project', 'fibonacci', '--host', 'h', '--url', 'droplet:3000'], '--url must be an http(s) URL'],
    [['--project', 'fibonacci', '--host', 'h', '--slug', 'Feature/X'], '--slug must be a GitLab ref slug'],
    [['--project', 'fibonacci', '--host', 'h', '--review-ports', 'many'], '--review-ports FROM must be a whole number from 1 to 45535, got "many"'],
    [['--project', 'fibonacci', '--host', 'h', '--review-ports', '8100-8000'], '--review-ports TO must be a whole number from 8100 to 8199, got "8000"'],
    [['--project', 'fibonacci', '--host', 'h', '--review-ports', '50000-50001'], '--review-ports FROM must be a whole number from 1 to 45535'],
    [['--project', 'unlimited', '--host', 'h'], 'apps/unlimited/project.json metadata.service.limits.memory must be docker\'s size, such as "256m" or "1g", got "lots"'],
    [['--project', 'forkbomb', '--host', 'h'], 'apps/forkbomb/project.json metadata.service.limits.pids must be a whole number of at least 16, got 0'],
  ])('refuses %j: %s', (args, message) => {
    expect(() => settings(...args)).toThrow(UsageError);
    expect(() => settings(...args)).toThrow(message);
  });

  it("takes the container's limits the service records, each one defaulted on its own", () => {
    expect(settings('--project', 'limited', '--host', 'h').limits).toEqual({ memory: '512m', pids: 64 });
    expect(settings('--project', 'half-limited', '--host', 'h').limits).toEqual({ memory: '1g', pids: 128 });
    expect(settings('--project', 'elsewhere', '--host', 'h', '--port', '80').limits).toEqual({ memory: '256m', pids: 128 });
  });

  it('refuses an unknown option', () => {
    expect(() => parseCommandLine(['--hots', 'h'])).toThrow(/Unknown option '--hots'/);
  });
});

describe('readCredentials', () => {
  const knownHosts = 'droplet.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAVy1m3wvFT65m13Ulj60gmgeBNzinxLY3vv6zuOLzj4';

  it('reads the pinned keys, the private key file (adding the newline GitLab drops) and the registry login', () => {
    expect(readCredentials({ SSH_KNOWN_HOSTS: knownHosts, SSH_PRIVATE_KEY_FILE: keyFile, REGISTRY_USER: 'deployer', REGISTRY_PASSWORD: 's3cret' })).toEqual({
      knownHosts,
      privateKeyFile: keyFile,
      privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n-----END OPENSSH PRIVATE KEY-----\n',
      passphrase: undefined,
      registry: { user: 'deployer', password: 's3cret' },
    });
  });

  it('reads SSH_KNOWN_HOSTS from a file when GitLab passes a File variable', () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `${knownHosts}\n`);
    expect(readCredentials({ SSH_KNOWN_HOSTS: file, SSH_PRIVATE_KEY_FILE: keyFile }).knownHosts).toBe(`${knownHosts}\n`);
  });

  it.each([
    [{ SSH_PRIVATE_KEY_FILE: keyFile }, 'SSH_KNOWN_HOSTS (the host key lines from ssh-keyscan, or a file variable) is required'],
    [{ SSH_KNOWN_HOSTS: knownHosts }, 'SSH_PRIVATE_KEY_FILE (a path: make the key a GitLab variable of type File) is required'],
    [{ SSH_KNOWN_HOSTS: knownHosts, SSH_PRIVATE_KEY_FILE: join(dir, 'missing') }, 'which does not exist'],
    [{ SSH_KNOWN_HOSTS: knownHosts, SSH_PRIVATE_KEY_FILE: keyFile, REGISTRY_USER: 'deployer' }, 'set both REGISTRY_USER and REGISTRY_PASSWORD, or neither'],
  ])('refuses %j', (env, message) => {
    expect(() => readCredentials(env)).toThrow(message);
  });
});

describe('registryOf', () => {
  it.each([
    ['registry.gitlab.com/shop/fibonacci:1.0.0@sha256:x', 'registry.gitlab.com'],
    ['127.0.0.1:5000/e2e/fibonacci@sha256:x', '127.0.0.1:5000'],
    ['localhost/fibonacci@sha256:x', 'localhost'],
    ['shop/fibonacci@sha256:x', 'docker.io'],
    ['fibonacci@sha256:x', 'docker.io'],
  ])('%s is pulled from %s', (image, registry) => {
    expect(registryOf(image)).toBe(registry);
  });
});
