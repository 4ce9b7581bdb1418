import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, endOf, nx, yo, type TempWorkspace } from './support/temp-workspace.ts';

/**
 * The promise of the generator, kept with the real binaries: `yo fastify-gitlab` in a copy of this workspace,
 * then the new service's lint, typecheck, test and build with no edit in between.
 */
describe('yo fastify-gitlab, end to end', () => {
  let workspace: TempWorkspace;
  beforeAll(async () => {
    workspace = await copyWorkspace();
  });
  afterAll(() => workspace.remove());

  it('lists every answer in --help', async () => {
    const { code, output } = await yo(workspace, ['--help']);
    expect(code).toBe(0);
    for (const option of ['[<name>]', '--description', '--port', '--registry', '--deploy', '--smoke', '--defaults', '--force']) {
      expect(output).toContain(option);
    }
    expect(output).toContain('none | droplet | ansible | cloud-run | app-engine');
  });

  it('lists every option of the upgrade in yo fastify-gitlab:upgrade --help', async () => {
    const { code, output } = await yo(workspace, ['--help'], 'upgrade');
    expect(code).toBe(0);
    for (const option of ['[<name>]', '--all', '--dry-run', '--force', '--from', '--continue']) expect(output).toContain(option);
  });

  it('exits non-zero with the reason when the upgrade cannot run, as for conflicts', async () => {
    const { code, output } = await yo(workspace, ['billing'], 'upgrade');
    expect(output).toContain('apps/billing is not a service (a folder under apps/ whose project.json records metadata.service).');
    expect(code).not.toBe(0);
  });

  it('without a terminal, exits non-zero naming the options for the missing answers, writing nothing', async () => {
    const apps = join(workspace.root, 'apps');
    const before = readdirSync(apps);
    const { code, output } = await yo(workspace, ['orders', '--registry', 'gitlab', '--deploy', 'droplet']);
    expect(output).toContain('No terminal to ask on (stdin is not a TTY), and these answers are missing: description, port, smoke.');
    expect(output).toContain('Add them to the command: --description <description> --port <port> --smoke <smoke>');
    expect(output).toContain('or pass --defaults');
    expect(code).not.toBe(0);
    expect(readdirSync(apps)).toEqual(before);
  });

  it('refuses clearly, writing nothing, when apps/ is not writable by the user yo runs as', async () => {
    const apps = join(workspace.root, 'apps');
    const before = readdirSync(apps);
    chmodSync(apps, 0o555);
    try {
      const { code, output } = await yo(workspace, ['locked', '--defaults']);
      expect(output).toMatch(/Cannot write to \S+\/apps as uid \d+\. yo never runs as root/);
      expect(code).not.toBe(0);
    } finally {
      chmodSync(apps, 0o755);
    }
    expect(readdirSync(apps)).toEqual(before);
  });

  it('scaffolds a service that lints, type-checks, tests and builds unedited', async () => {
    const description = "Orders: take 'em, keep \"em\"";
    // Every answer as an option, as a script gives them: no prompt.
    const answers = ['order-book', '--description', description, '--port', '3100', '--registry', 'dockerhub', '--deploy', 'cloud-run', '--smoke', '/api/hello/smoke'];
    const generated = await yo(workspace, answers);
    expect(generated.output).toContain('Created apps/order-book');
    expect(generated.code).toBe(0);
    const project = JSON.parse(readFileSync(join(workspace.root, 'apps/order-book/project.json'), 'utf8')) as object;
    expect(project).toMatchObject({ metadata: { service: { description, port: 3100, registry: 'dockerhub', deploy: 'cloud-run', smoke: '/api/hello/smoke' } } });
    // The generator's modules, compiled, kept for the user's next run (lib/compile-cache.js).
    expect(readdirSync(join(workspace.home, '.cache/node-compile-cache'))).not.toEqual([]);

    const checked = await nx(workspace, ['run-many', '-t', 'lint', 'typecheck', 'test', 'build', '-p', 'order-book', '--skip-nx-cache']);
    expect(checked.code, endOf(checked)).toBe(0);
    expect(checked.output).toContain('Successfully ran targets lint, typecheck, test, build for project order-book');
    expect(readFileSync(join(workspace.root, 'apps/order-book/dist/server/service.cjs'), 'utf8')).toContain('order-book');
    // The bundle's SBOM, which its image job completes and puts into the image: the build checked the license policy.
    const sbom = JSON.parse(readFileSync(join(workspace.root, 'apps/order-book/dist/sbom.cdx.json'), 'utf8')) as { metadata: object; components: object[] };
    expect(sbom.metadata).toMatchObject({ component: { type: 'application', name: 'order-book' } });
    expect(sbom.components).toContainEqual(expect.objectContaining({ name: 'fastify', licenses: [{ license: { id: 'MIT' } }] }));
  });
});
