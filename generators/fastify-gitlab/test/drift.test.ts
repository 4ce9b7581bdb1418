import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { possibleScaffoldPaths, renderService, templatesRoot } from '../generators/app/render.ts';
import { versionPattern } from '../lib/templates-version.ts';
import { readWorkspace } from '../lib/workspace.ts';
import { repoRoot } from './support/temp-workspace.ts';

const { services } = readWorkspace(repoRoot);

/**
 * Every service in apps/ is what the templates render from its recorded answers, plus its own code: a file the
 * templates own may not be edited in one service only. To change one, change its template under templates/,
 * then bring every service up to it: `npx yo fastify-gitlab:upgrade --all`.
 *
 * The one value compared as recorded is project.json's templateVersion, the templates it was last upgraded to:
 * it moves only when an upgrade changes the service, not with every commit to templates/.
 */
describe('the services match their templates', () => {
  it('knows the settings of every app with a Dockerfile', () => {
    const apps = readdirSync(join(repoRoot, 'apps')).filter((name) => existsSync(join(repoRoot, 'apps', name, 'Dockerfile')));
    expect(services.map((service) => service.name).sort()).toEqual(apps.sort());
  });

  describe.each(services.map((service) => [service.name, service] as const))('apps/%s', (name, { settings, templateVersion }) => {
    const files = renderService({ name, ...settings }, ['scaffold'], { root: templatesRoot, version: templateVersion });
    const fix = `change the template under templates/ (then: npx yo fastify-gitlab:upgrade ${name}), or regenerate: npx yo fastify-gitlab ${name} --force`;

    it('records the templates version it was rendered from, for upgrades', () => {
      const fix = `apps/${name}/project.json has no metadata.service.templateVersion: npx yo fastify-gitlab:upgrade ${name} --from <commit>`;
      expect(versionPattern.test(templateVersion ?? ''), fix).toBe(true);
    });

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
