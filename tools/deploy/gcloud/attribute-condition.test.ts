import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { attributeCondition, attributeMapping, createProviderCommand, googleServices } from './attribute-condition.ts';

const settings = { projectPath: 'acme/fastify-services', services: ['weather'], environment: 'production' };

describe('attributeCondition', () => {
  it("lets in only this project's jobs, on a protected ref, deploying the service's environment", () => {
    expect(attributeCondition(settings)).toBe(
      'assertion.project_path == "acme/fastify-services" && assertion.ref_protected == "true" && assertion.environment == "production/weather"',
    );
  });

  it('lists every service deployed to Google, in order, when there are several', () => {
    expect(attributeCondition({ ...settings, services: ['weather', 'fibonacci'], environment: 'staging' })).toMatch(
      / && assertion\.environment in \["staging\/fibonacci", "staging\/weather"\]$/,
    );
  });

  it.each([
    ['a project path without its group', { projectPath: 'fastify-services' }, /must look like group\/project/],
    ['a project path that would close the quoted string', { projectPath: 'acme/x" || true || "' }, /must look like group\/project/],
    ['an environment the fragments refuse', { environment: 'Prod"' }, /not a project or environment name/],
    ['no service deployed to Google', { services: [] }, /no service deploys to Google/],
  ])('refuses %s', (_, change, message) => {
    expect(() => attributeCondition({ ...settings, ...change })).toThrow(message);
  });

  it('goes into the provider command with the claims it reads mapped', () => {
    const command = createProviderCommand(settings, 'https://gitlab.example.com');
    expect(command).toContain(`--attribute-condition='${attributeCondition(settings)}'`);
    expect(command).toContain('--issuer-uri=https://gitlab.example.com');
    for (const claim of ['sub', 'project_path', 'ref_protected', 'environment']) expect(attributeMapping).toContain(`=assertion.${claim}`);
  });
});

describe('googleServices', () => {
  const apps = mkdtempSync(join(tmpdir(), 'google-services-'));
  const service = (name: string, deploy: string) => {
    mkdirSync(join(apps, name));
    writeFileSync(join(apps, name, 'project.json'), JSON.stringify({ name, metadata: { service: { deploy } } }));
  };
  service('shop', 'cloud-run');
  service('admin', 'app-engine');
  service('weather', 'droplet');
  mkdirSync(join(apps, 'notes'));
  afterAll(() => {
    rmSync(apps, { recursive: true, force: true });
  });

  it('reads the services whose recorded deploy target is Cloud Run or App Engine', () => {
    expect(googleServices(pathToFileURL(`${apps}/`)).toSorted()).toEqual(['admin', 'shop']);
  });
});
