import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { possibleScaffoldPaths, renderService } from '../generators/app/render.ts';
import { readWorkspace } from '../lib/workspace.ts';
import { repoRoot } from './support/temp-workspace.ts';

const { services } = readWorkspace(repoRoot);

/**
 * Every service in apps/ is what the templates render from its recorded answers, plus its own code: a file the
 * templates own may not be edited in one service only. To change one, change its template under templates/
 * and regenerate: `npx yo fastify-gitlab <name> --force` (it keeps the service's routes, options, tests and README).
 */
describe('the services match their templates', () => {
  it('knows the settings of every app with a Dockerfile', () => {
    const apps = readdirSync(join(repoRoot, 'apps')).filter((name) => existsSync(join(repoRoot, 'apps', name, 'Dockerfile')));
    expect(services.map((service) => service.name).sort()).toEqual(apps.sort());
  });

  describe.each(services.map((service) => [service.name, service.settings] as const))('apps/%s', (name, settings) => {
    const files = renderService({ name, ...settings }, ['scaffold']);
    const fix = `change the template under templates/, or regenerate with: npx yo fastify-gitlab ${name} --force`;

    it.each(files.map((file) => [file.path, file.contents]))('%s is its template, rendered', (path, contents) => {
      const onDisk = join(repoRoot, path);
      expect(existsSync(onDisk), `${path} is missing: ${fix}`).toBe(true);
      expect(readFileSync(onDisk, 'utf8'), `${path} differs from its template: ${fix}`).toBe(contents);
    });

    it('has no template-owned file its answers do not call for', () => {
      const rendered = new Set(files.map((file) => file.path));
      const stale = possibleScaffoldPaths(name).filter((path) => !rendered.has(path) && existsSync(join(repoRoot, path)));
      expect(stale).toEqual([]);
    });
  });
});
