import { describe, expect, it } from 'vitest';
import { CliError, UsageError } from './errors.ts';
import { pickServices, serviceFromProject, type Service } from './services.ts';

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
    [{ smoke: 'api/ping' }, 'metadata.service.smoke is "api/ping"; it must be a path'],
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
