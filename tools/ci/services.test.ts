import { describe, expect, it } from 'vitest';
import { serviceSettings } from './services.ts';

describe('serviceSettings', () => {
  it('reads the deploy target, the registry and the smoke path recorded in metadata.service', () => {
    const metadata = { service: { description: 'x', port: 3000, registry: 'dockerhub', deploy: 'ansible', smoke: '/api/fibonacci/8' } };
    expect(serviceSettings('fibonacci', 'apps/fibonacci', metadata)).toEqual({
      project: 'fibonacci',
      root: 'apps/fibonacci',
      deploy: 'ansible',
      registry: 'dockerhub',
      smokePath: '/api/fibonacci/8',
      reviewApps: false,
      sign: false,
    });
    expect(serviceSettings('fibonacci', 'apps/fibonacci', { service: { ...metadata.service, reviewApps: true } }).reviewApps).toBe(true);
    expect(serviceSettings('fibonacci', 'apps/fibonacci', { service: { ...metadata.service, sign: true } }).sign).toBe(true);
  });

  it('smoke-tests /api/ping, which every service answers, when a service records no smoke path', () => {
    expect(serviceSettings('api', 'apps/api', { service: { deploy: 'droplet' } })).toMatchObject({ smokePath: '/api/ping' });
  });

  it.each([
    [undefined, 'apps/api/project.json metadata.service is missing: the generator records port, registry and deploy there'],
    [{ service: null }, 'apps/api/project.json metadata.service is missing: the generator records port, registry and deploy there'],
    [{ service: { port: 3000 } }, 'apps/api/project.json metadata.service.deploy must be a deploy target such as "droplet", or "none", got undefined'],
    [{ service: { deploy: '../../etc' } }, 'apps/api/project.json metadata.service.deploy must be a deploy target such as "droplet", or "none", got "../../etc"'],
    [{ service: { deploy: 'droplet', reviewApps: 'yes' } }, 'apps/api/project.json metadata.service.reviewApps must be true or false, got "yes"'],
    [{ service: { deploy: 'droplet', sign: 'true' } }, 'apps/api/project.json metadata.service.sign must be true or false, got "true"'],
    [{ service: { deploy: 'droplet', smoke: '/ping $(id)' } }, 'apps/api/project.json metadata.service.smoke is "/ping $(id)"; it must be a path such as "/api/ping"'],
  ])('refuses %j, naming the file and field', (metadata, message) => {
    expect(() => serviceSettings('api', 'apps/api', metadata as Record<string, unknown> | undefined)).toThrow(message);
  });
});
