import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIn, treeOf, type GeneratorRun } from './support/fixture-workspace.ts';
import { cloneWorkspace, commitAll, committedTemplatesVersion, gitWorkspace, uncommitted } from './support/git-workspace.ts';
import { copyWorkspace, endOf, nx, type TempWorkspace } from './support/temp-workspace.ts';

/**
 * `yo fastify-gitlab:upgrade` in real git repositories. Version A of the templates is this workspace's own: the
 * sample apps and a scaffolded `orders` service are rendered from it and committed. Each test works in a clone:
 * it edits the service as a team would, commits, changes the templates into version B, and upgrades.
 */
let versionA: TempWorkspace;
const workspaces: TempWorkspace[] = [];

beforeAll(async () => {
  versionA = await gitWorkspace();
  // The sample apps are the templates' output: they take this copy's templates as the version they record.
  succeeded(await generateIn(versionA.root, 'upgrade', ['--all', '--from', 'HEAD']));
  commitAll(versionA.root, 'The sample apps record their templates version');
  succeeded(await generateIn(versionA.root, 'app', ['orders', '--defaults']));
  commitAll(versionA.root, 'Scaffold orders');
});

afterAll(() => Promise.all([versionA, ...workspaces].map((workspace) => workspace.remove())));

describe('yo fastify-gitlab:upgrade after the templates change', () => {
  it('keeps what the service changed, applies what the templates changed, adds new template files: the service still type-checks, tests and builds', async () => {
    const workspace = await cloneOfVersionA();
    const { root } = workspace;
    editOrders(root);
    commitAll(root, 'Our own Dockerfile setting and a second route');
    changeTemplates(root);
    commitAll(root, 'Templates B');

    const run = succeeded(await generateIn(root, 'upgrade', ['orders']));
    expect(run.output).toMatch(/^ {2}merged {8}Dockerfile$/m);
    expect(run.output).toMatch(/^ {2}updated {7}src\/app\.ts$/m);
    expect(run.output).toMatch(/^ {2}merged {8}src\/routes\/hello\/index\.ts$/m);
    expect(run.output).toMatch(/^ {2}added {9}\.env\.example$/m);
    expect(run.output).toMatch(/^ {2}updated {7}README\.md$/m);

    const dockerfile = read(root, 'apps/orders/Dockerfile');
    expect(dockerfile).toContain('WORKDIR /app\nENV NODE_OPTIONS=--enable-source-maps\n');
    expect(dockerfile).toContain('HEALTHCHECK --interval=30s');
    const route = read(root, 'apps/orders/src/routes/hello/index.ts');
    expect(route).toContain("summary: 'Greets a name'");
    expect(route).toContain(secondRoute);
    expect(read(root, 'apps/orders/src/app.ts')).toContain('/** The ready app, as every test and main.ts build it: ');
    expect(read(root, 'apps/orders/.env.example')).toContain(`PORT=${String(recorded(root, 'orders').port)}\n`);
    expect(recorded(root, 'orders').templateVersion).toBe(committedTemplatesVersion(root));
    expect(read(root, 'apps/orders/project.json')).toContain(`"deploy": "none",\n${smokeSetting},\n`);
    // Every file it changed was committed before: git gives each one back.
    expect(uncommitted(root).split('\n').filter(Boolean).sort()).toEqual([
      ' M apps/orders/Dockerfile',
      ' M apps/orders/README.md',
      ' M apps/orders/project.json',
      ' M apps/orders/src/app.ts',
      ' M apps/orders/src/routes/hello/index.ts',
      '?? apps/orders/.env.example',
    ]);

    // What a merge can break is whether the joined lines still compile and pass their tests. That generated code
    // lints is e2e.test.ts's proof, and the sample apps', rendered by these templates, in every run: not redone here.
    const checked = await nx(workspace, ['run-many', '-t', 'typecheck', 'test', 'build', '-p', 'orders', '--skip-nx-cache']);
    expect(checked.code, endOf(checked)).toBe(0);
    expect(checked.output).toContain('Successfully ran targets typecheck, test, build for project orders');
  });

  it('carries a new base-image pin to every service, one that edited its Dockerfile included', async () => {
    const { root } = await cloneOfVersionA();
    editOrders(root);
    commitAll(root, 'Our own Dockerfile setting');
    const newPin = `node:24-alpine@sha256:${'1'.repeat(64)}`;
    edit(root, 'templates/service/Dockerfile.ejs', /node:24-alpine@sha256:[0-9a-f]{64}/, newPin);
    commitAll(root, 'Templates B: a new base image pin');

    succeeded(await generateIn(root, 'upgrade', ['--all']));
    for (const name of ['fibonacci', 'orders', 'weather']) expect(read(root, `apps/${name}/Dockerfile`)).toContain(`ARG NODE_IMAGE=${newPin}\n`);
    expect(read(root, 'apps/orders/Dockerfile')).toContain('ENV NODE_OPTIONS=--enable-source-maps\n');
  });

  it('leaves a file the service deleted deleted, and says so', async () => {
    const { root } = await cloneOfVersionA();
    rmSync(join(root, 'apps/orders/README.md'));
    commitAll(root, 'No README');
    changeTemplates(root);
    commitAll(root, 'Templates B');

    const run = succeeded(await generateIn(root, 'upgrade', ['orders']));
    expect(run.output).toMatch(/^ {2}kept deleted {2}README\.md \(you deleted it; the templates changed it\)$/m);
    expect(existsSync(join(root, 'apps/orders/README.md'))).toBe(false);
    expect(recorded(root, 'orders').templateVersion).toBe(committedTemplatesVersion(root));
  });

  it('upgrades every service with --all, the sample apps too: their own code stays', async () => {
    const { root } = await cloneOfVersionA();
    const fibonacciBefore = treeOf(join(root, 'apps/fibonacci'));
    changeTemplates(root);
    commitAll(root, 'Templates B');

    const run = succeeded(await generateIn(root, 'upgrade', ['--all']));
    for (const name of ['fibonacci', 'orders', 'weather']) {
      expect(read(root, `apps/${name}/Dockerfile`)).toContain('HEALTHCHECK --interval=30s');
      expect(recorded(root, name).templateVersion).toBe(committedTemplatesVersion(root));
    }
    // fibonacci never had the example route or a README: the templates' changes to them are not forced on it.
    expect(run.output).toContain('apps/fibonacci: templates');
    expect(run.output).toMatch(/^ {2}kept deleted {2}src\/routes\/hello\/index\.ts/m);
    const fibonacciAfter = treeOf(join(root, 'apps/fibonacci'));
    const changed = Object.keys(fibonacciAfter).filter((path) => fibonacciAfter[path] !== fibonacciBefore[path]);
    expect(changed.sort()).toEqual(['.env.example', 'Dockerfile', 'project.json', 'src/app.ts']);
  });

  it('writes conflict markers for overlapping edits and exits non-zero; the version moves with --continue once they are resolved', async () => {
    const { root } = await cloneOfVersionA();
    edit(root, 'apps/orders/Dockerfile', 'HEALTHCHECK --interval=10s', 'HEALTHCHECK --interval=5s');
    commitAll(root, 'Check health more often');
    changeTemplates(root);
    commitAll(root, 'Templates B');
    const versionAOfOrders = recorded(root, 'orders').templateVersion;

    const dryRun = await generateIn(root, 'upgrade', ['orders', '--dry-run']);
    expect(dryRun.error?.message).toContain('The upgrade would leave conflict markers in these files (nothing was written):\n  apps/orders/Dockerfile');
    expect(uncommitted(root)).toBe('');

    const run = await generateIn(root, 'upgrade', ['orders']);
    expect(run.error?.message).toContain('The upgrade left conflicts in 1 file:\n  apps/orders/Dockerfile\n');
    expect(run.error?.message).toContain('npx yo fastify-gitlab:upgrade orders --continue');
    expect(run.output).toMatch(/^ {2}conflict {6}Dockerfile$/m);
    expect(read(root, 'apps/orders/Dockerfile')).toMatch(
      /^<{7} yours\nHEALTHCHECK --interval=5s .*\n\|{7} templates [0-9a-f]{7}\nHEALTHCHECK --interval=10s .*\n={7}\nHEALTHCHECK --interval=30s .*\n>{7} templates [0-9a-f]{7}\n/m,
    );
    // The files without conflicts are upgraded all the same; the version waits.
    expect(read(root, 'apps/orders/src/app.ts')).toContain('/** The ready app, as every test and main.ts build it: ');
    expect(recorded(root, 'orders').templateVersion).toBe(versionAOfOrders);

    const tooEarly = await generateIn(root, 'upgrade', ['orders', '--continue']);
    expect(tooEarly.error?.message).toContain('These files still have conflict markers (<<<<<<< or >>>>>>>); resolve them first:\n  apps/orders/Dockerfile');
    expect(recorded(root, 'orders').templateVersion).toBe(versionAOfOrders);

    // Resolved our way: every 5 seconds.
    edit(root, 'apps/orders/Dockerfile', /<{7} yours\n(.*\n)\|{7}[^]*?>{7} .*\n/, '$1');
    const resolved = succeeded(await generateIn(root, 'upgrade', ['orders', '--continue']));
    expect(resolved.output).toContain(`project.json records templateVersion ${committedTemplatesVersion(root).slice(0, 7)} now`);
    expect(recorded(root, 'orders').templateVersion).toBe(committedTemplatesVersion(root));
    commitAll(root, 'Upgrade orders to templates B');

    const again = succeeded(await generateIn(root, 'upgrade', ['orders']));
    expect(again.output).toContain('apps/orders: rendered from the current templates');
    expect(read(root, 'apps/orders/Dockerfile')).toContain('HEALTHCHECK --interval=5s');
    expect(uncommitted(root)).toBe('');
  });

  it('--dry-run prints a unified diff per file and writes nothing', async () => {
    const { root } = await cloneOfVersionA();
    editOrders(root);
    commitAll(root, 'Our own Dockerfile setting and a second route');
    changeTemplates(root);
    commitAll(root, 'Templates B');
    const before = treeOf(join(root, 'apps'));

    const run = succeeded(await generateIn(root, 'upgrade', ['orders', '--dry-run']));
    expect(run.output).toContain('--- a/apps/orders/Dockerfile\n+++ b/apps/orders/Dockerfile\n');
    expect(run.output).toContain('\n-HEALTHCHECK --interval=10s');
    expect(run.output).toContain('\n+HEALTHCHECK --interval=30s');
    expect(run.output).toContain('new file mode 100644\nindex 0000000..');
    expect(run.output).toContain('+++ b/apps/orders/.env.example\n');
    expect(run.output).toContain('\n-      "templateVersion": "');
    expect(run.output).toMatch(/Dry run: nothing written\.$/);
    expect(treeOf(join(root, 'apps'))).toEqual(before);
    expect(uncommitted(root)).toBe('');
  });

  it('refuses a service with uncommitted changes unless --force; uncommitted templates are fine', async () => {
    const { root } = await cloneOfVersionA();
    changeTemplates(root);
    edit(root, 'apps/orders/src/options.ts', 'export interface ServiceOptions {', '// Work in progress.\nexport interface ServiceOptions {');
    writeFileSync(join(root, 'apps/orders/NOTES.md'), 'Not committed yet.\n');
    const before = treeOf(join(root, 'apps'));

    const refused = await generateIn(root, 'upgrade', ['orders']);
    expect(refused.error?.message).toBe(
      [
        'These services have uncommitted changes:',
        '   M apps/orders/src/options.ts',
        '  ?? apps/orders/NOTES.md',
        'Commit or stash them first, so that git can restore every file the upgrade changes; or run again with --force.',
      ].join('\n'),
    );
    expect(treeOf(join(root, 'apps'))).toEqual(before);

    const forced = succeeded(await generateIn(root, 'upgrade', ['orders', '--force']));
    expect(forced.output).toContain('templates/ has uncommitted changes: commit them as they are now');
    expect(read(root, 'apps/orders/Dockerfile')).toContain('HEALTHCHECK --interval=30s');
    expect(read(root, 'apps/orders/src/options.ts')).toContain('// Work in progress.\n');
    expect(read(root, 'apps/orders/NOTES.md')).toBe('Not committed yet.\n');
    // The version recorded names the templates by their contents: committed as they are, they keep that name.
    commitAll(root, 'Templates B, and orders upgraded to them');
    expect(recorded(root, 'orders').templateVersion).toBe(committedTemplatesVersion(root));
  });
});

describe('yo fastify-gitlab:upgrade to templates that record the smoke path and the limits', () => {
  it('records the defaults in a service that had none, and keeps those a service recorded by hand', async () => {
    const { root } = await cloneOfVersionA();
    // Templates from before smoke paths and limits were recorded, and the services at them: orders records none;
    // fibonacci and weather had theirs added to project.json by hand, as tools/docker read them before the generator wrote them.
    const projectTemplate = 'templates/service/project.json.ejs';
    const withSmoke = read(root, projectTemplate);
    edit(root, projectTemplate, ',\n      "smoke": <%- json(smoke) %>,\n      "limits": { "memory": <%- json(limits.memory) %>, "pids": <%- limits.pids %> }\n', '\n');
    edit(root, 'apps/orders/project.json', ',\n      "smoke": "/api/ping",\n      "limits": { "memory": "256m", "pids": 128 }\n', '\n');
    commitAll(root, 'Templates that do not record smoke paths');
    succeeded(await generateIn(root, 'upgrade', ['--all', '--from', 'HEAD']));
    commitAll(root, 'The services at those templates');
    const fibonacciBefore = read(root, 'apps/fibonacci/project.json');
    expect(recorded(root, 'orders').smoke).toBeUndefined();
    expect(recorded(root, 'orders').limits).toBeUndefined();

    writeFileSync(join(root, projectTemplate), withSmoke);
    commitAll(root, 'Templates that record smoke paths');
    const run = succeeded(await generateIn(root, 'upgrade', ['--all']));
    expect(run.output).toMatch(/^apps\/orders: templates \w+ → \w+\n {2}updated {7}project\.json\n/m);
    expect(recorded(root, 'orders')).toMatchObject({ smoke: '/api/ping', limits: { memory: '256m', pids: 128 }, templateVersion: committedTemplatesVersion(root) });
    expect(read(root, 'apps/orders/project.json')).toContain('"deploy": "none",\n      "smoke": "/api/ping",\n      "limits": { "memory": "256m", "pids": 128 }\n');
    expect(read(root, 'apps/fibonacci/project.json')).toBe(fibonacciBefore);
    expect(recorded(root, 'fibonacci').smoke).toBe('/api/fibonacci/8');
  });
});

describe('yo fastify-gitlab:upgrade of a service with a flag on', () => {
  it.each([
    ['reviewApps', '"deploy": "droplet",\n      "reviewApps": true,', { deploy: 'droplet', reviewApps: true }],
    ['sign', '"deploy": "none",\n      "sign": true,', { deploy: 'none', sign: true }],
  ])('carries metadata.service.%s through a change of the templates', async (flag, record, expected) => {
    const { root } = await cloneOfVersionA();
    edit(root, 'apps/orders/project.json', '"deploy": "none",', record);
    commitAll(root, `orders records ${flag}`);
    edit(root, 'templates/service/project.json.ejs', '"tags": ["type:service"],', '"tags": ["type:service", "scope:shop"],');
    commitAll(root, 'Templates with a scope tag');
    succeeded(await generateIn(root, 'upgrade', ['orders']));
    expect(recorded(root, 'orders')).toMatchObject(expected);
    expect(read(root, 'apps/orders/project.json')).toContain('"tags": ["type:service", "scope:shop"],');
  });
});

describe('yo fastify-gitlab:upgrade with the templates as they were', () => {
  it('changes nothing in a sample app, whose own code is nothing like the example', async () => {
    const { root } = await cloneOfVersionA();
    const before = treeOf(join(root, 'apps'));
    const run = succeeded(await generateIn(root, 'upgrade', ['fibonacci']));
    expect(run.output).toContain(`apps/fibonacci: rendered from the current templates (${committedTemplatesVersion(root).slice(0, 7)}), nothing to upgrade`);
    expect(treeOf(join(root, 'apps'))).toEqual(before);
  });

  it('asks for --from when a service records no templates version, and records one with it', async () => {
    const { root } = await cloneOfVersionA();
    edit(root, 'apps/orders/project.json', /\n\s*"templateVersion": "\w+",/, '');
    commitAll(root, 'orders from before versions were recorded');

    const refused = await generateIn(root, 'upgrade', ['orders']);
    expect(refused.error?.message).toBe(
      'apps/orders/project.json records no templateVersion (it was scaffolded outside git, or before versions were recorded); ' +
        'name the commit whose templates/ it was rendered from: --from <commit>',
    );
    succeeded(await generateIn(root, 'upgrade', ['orders', '--from', 'HEAD']));
    expect(recorded(root, 'orders').templateVersion).toBe(committedTemplatesVersion(root));
  });

  it('names a recorded version this clone lacks, and what to do', async () => {
    const { root } = await cloneOfVersionA();
    edit(root, 'apps/orders/project.json', /"templateVersion": "\w+"/, `"templateVersion": "${'0123456789'.repeat(4)}"`);
    commitAll(root, 'orders from templates this clone never saw');
    const run = await generateIn(root, 'upgrade', ['orders']);
    expect(run.error?.message).toContain('apps/orders was rendered from templates 0123456, which this clone does not have');
    expect(run.error?.message).toContain('--from <commit>');
  });

  it.each([
    [[], 'Name the service to upgrade, or pass --all: yo fastify-gitlab:upgrade <name>. The services of this workspace: '],
    [['billing'], 'apps/billing is not a service (a folder under apps/ whose project.json records metadata.service).'],
    [['orders', '--all'], 'Name one service or pass --all, not both'],
    [['orders', '--continue', '--from', 'HEAD'], '--from does not go with --continue'],
    [['orders', '--from', 'no-such-commit'], '"no-such-commit" is not a commit of this repository with a templates/ folder'],
  ])('refuses %j, writing nothing', async (args, message) => {
    const { root } = await cloneOfVersionA();
    const run = await generateIn(root, 'upgrade', args);
    expect(run.error?.message).toContain(message);
    expect(uncommitted(root)).toBe('');
  });
});

describe('outside git', () => {
  it('scaffolds without a templates version, and the upgrade says it needs git', async () => {
    const workspace = await copyWorkspace({ forYo: false });
    workspaces.push(workspace);
    const scaffolded = succeeded(await generateIn(workspace.root, 'app', ['orders', '--defaults']));
    expect(scaffolded.output).toMatch(/Not recording the templates version \(git finds no repository it can use around \S+: fatal: not a git repository/);
    expect(recorded(workspace.root, 'orders').templateVersion).toBeUndefined();

    const before = treeOf(join(workspace.root, 'apps'));
    const run = await generateIn(workspace.root, 'upgrade', ['orders', '--from', 'HEAD']);
    expect(run.error?.message).toMatch(/^An upgrade renders the templates a service was scaffolded from out of git, and cannot here: git finds no repository/);
    expect(treeOf(join(workspace.root, 'apps'))).toEqual(before);
  });
});

/** A clone of the version A workspace, removed after the suite. */
async function cloneOfVersionA(): Promise<TempWorkspace> {
  const clone = await cloneWorkspace(versionA);
  workspaces.push(clone);
  return clone;
}

/** Version B of the templates: a longer health-check interval, reworded comments, a new file, a README heading. */
function changeTemplates(root: string): void {
  edit(root, 'templates/service/Dockerfile.ejs', 'HEALTHCHECK --interval=10s', 'HEALTHCHECK --interval=30s');
  edit(root, 'templates/service/src/app.ts.ejs', '/** The ready app: ', '/** The ready app, as every test and main.ts build it: ');
  edit(root, 'templates/service/src/routes/hello/index.ts.ejs', "summary: 'A greeting for a name'", "summary: 'Greets a name'");
  edit(root, 'templates/service/README.md.ejs', '## Commands', '## Commands (Nx)');
  writeFileSync(join(root, 'templates/service/.env.example.ejs'), '# The settings every service reads; copy to .env to change them.\nPORT=<%- port %>\nLOG_LEVEL=info\n');
  edit(root, 'generators/fastify-gitlab/generators/app/files.ts', "      '.dockerignore',\n", "      '.dockerignore',\n      '.env.example',\n");
}

const smokeSetting = '      "smoke": "/api/hello/smoke"';

const secondRoute = `  app.get(
    '/api/hello',
    { schema: { operationId: 'getHelloEveryone', tags: ['hello'], summary: 'A greeting for everyone', response: { 200: HelloResult, ...errorResponses } } },
    async (): Promise<HelloResult> => ({ message: \`\${greeting}, everyone!\` }),
  );
`;

/** What a team does to orders between two template versions: a Dockerfile setting, a second route, its own smoke path. */
function editOrders(root: string): void {
  edit(root, 'apps/orders/Dockerfile', 'WORKDIR /app\n', 'WORKDIR /app\nENV NODE_OPTIONS=--enable-source-maps\n');
  edit(root, 'apps/orders/project.json', '      "smoke": "/api/ping",\n', `${smokeSetting},\n`);
  edit(root, 'apps/orders/src/routes/hello/index.ts', '  );\n};\n', `  );\n${secondRoute}};\n`);
}

function edit(root: string, path: string, from: string | RegExp, to: string): void {
  const text = read(root, path);
  if (!(typeof from === 'string' ? text.includes(from) : from.test(text))) throw new Error(`${path} has no ${String(from)} to replace`);
  writeFileSync(join(root, path), text.replace(from, to));
}

const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');

const recorded = (root: string, name: string) =>
  (JSON.parse(read(root, `apps/${name}/project.json`)) as { metadata: { service: { port: number; smoke?: string; limits?: unknown; reviewApps?: boolean; sign?: boolean; templateVersion?: string } } })
    .metadata.service;

/** A run that must have worked: its error, if any, fails the test with the generator's own message. */
function succeeded(run: GeneratorRun): GeneratorRun {
  if (run.error) throw run.error;
  return run;
}
