import { describe, expect, it } from 'vitest';
import { serviceSettings } from './services.ts';

describe('serviceSettings', () => {
  it('reads the deploy target recorded in metadata.service', () => {
    const metadata = { service: { description: 'x', port: 3000, registry: 'dockerhub', deploy: 'ansible' } };
    expect(serviceSettings('fibonacci', 'apps/fibonacci', metadata)).toEqual({ project: 'fibonacci', root: 'apps/fibonacci', deploy: 'ansible' });
  });

  it.each([
    [undefined, 'apps/api/project.json metadata.service is missing: the generator records port, registry and deploy there'],
    [{ service: null }, 'apps/api/project.json metadata.service is missing: the generator records port, registry and deploy there'],
    [{ service: { port: 3000 } }, 'apps/api/project.json metadata.service.deploy must be a deploy target such as "droplet", or "none", got undefined'],
    [{ service: { deploy: '../../etc' } }, 'apps/api/project.json metadata.service.deploy must be a deploy target such as "droplet", or "none", got "../../etc"'],
  ])('refuses %j, naming the file and field', (metadata, message) => {
    expect(() => serviceSettings('api', 'apps/api', metadata as Record<string, unknown> | undefined)).toThrow(message);
  });
});
