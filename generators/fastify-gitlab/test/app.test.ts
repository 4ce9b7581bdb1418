import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from 'yeoman-test';
import { templatesRoot } from '../generators/app/render.ts';
import { deployTargets, registries } from '../lib/answers.ts';
import { currentTemplatesVersion } from '../lib/templates-version.ts';
import { fixtureWorkspace, runAgainIn, runGenerator, treeOf, withoutTerminal } from './support/fixture-workspace.ts';
import { commitAll, gitIn } from './support/git-workspace.ts';

/** The git tree id of this workspace's templates/: what a new service records as the templates it was rendered from. */
const { version: templateVersion } = currentTemplatesVersion(templatesRoot);
const ordersFiles = (result: RunResult) => result.getStateSnapshot((file) => file.path.includes('/apps/orders/'));
const read = (result: RunResult, path: string) => readFileSync(join(result.cwd, 'apps/orders', path), 'utf8');
const recorded = (result: RunResult) => (JSON.parse(read(result, 'project.json')) as { metadata: { service: object } }).metadata.service;
/** Every answer as an option, as a script would give them; `overrides` replace some. */
const allAnswers = (overrides: Record<string, string> = {}) =>
  Object.entries({ description: 'Takes orders.', port: '3100', registry: 'gitlab', deploy: 'none', smoke: '/api/hello/smoke', ...overrides }).flatMap(([name, value]) => [`--${name}`, value]);

describe('yo fastify-gitlab <name>: a new service', () => {
  it('writes the service with the defaults for what is not given (--defaults)', async () => {
    const result = await runGenerator().withArguments(['orders']).withOptions({ defaults: true });
    expect(ordersFiles(result)).toMatchInlineSnapshot(`
      {
        "apps/orders/.dockerignore": {
          "stateCleared": "modified",
        },
        "apps/orders/Dockerfile": {
          "stateCleared": "modified",
        },
        "apps/orders/README.md": {
          "stateCleared": "modified",
        },
        "apps/orders/project.json": {
          "stateCleared": "modified",
        },
        "apps/orders/src/app.ts": {
          "stateCleared": "modified",
        },
        "apps/orders/src/main.ts": {
          "stateCleared": "modified",
        },
        "apps/orders/src/options.ts": {
          "stateCleared": "modified",
        },
        "apps/orders/src/routes/hello/index.ts": {
          "stateCleared": "modified",
        },
        "apps/orders/src/routes/index.ts": {
          "stateCleared": "modified",
        },
        "apps/orders/src/schemas/hello.ts": {
          "stateCleared": "modified",
        },
        "apps/orders/src/service.ts": {
          "stateCleared": "modified",
        },
        "apps/orders/test/helper.ts": {
          "stateCleared": "modified",
        },
        "apps/orders/test/openapi.test.ts": {
          "stateCleared": "modified",
        },
        "apps/orders/test/options.test.ts": {
          "stateCleared": "modified",
        },
        "apps/orders/test/routes/hello.test.ts": {
          "stateCleared": "modified",
        },
        "apps/orders/tsconfig.json": {
          "stateCleared": "modified",
        },
        "apps/orders/vitest.config.ts": {
          "stateCleared": "modified",
        },
      }
    `);
    // 3000 is the fixture's fibonacci: the default is the first free port after it.
    expect(recorded(result)).toEqual({ description: 'The orders service.', port: 3001, registry: 'gitlab', deploy: 'none', smoke: '/api/ping', limits: { memory: '256m', pids: 128 }, templateVersion });
    expect(JSON.parse(read(result, 'project.json'))).toMatchObject({ name: 'orders', tags: ['type:service'], sourceRoot: 'apps/orders/src' });
  });

  it('asks for every answer not given as an option, and only those', async () => {
    const result = await runGenerator()
      .withOptions({ port: '3005' })
      .withAnswers({ name: 'orders', description: 'Takes orders.', registry: 'dockerhub', deploy: 'droplet', smoke: '/api/hello/orders' });
    // Review apps are asked for a droplet or Ansible deploy, signing for any; both stay off unless answered yes.
    expect(result.askedQuestions.map((question) => question.name)).toEqual(['name', 'description', 'registry', 'deploy', 'smoke', 'reviewApps', 'sign']);
    expect(recorded(result)).toEqual({ description: 'Takes orders.', port: 3005, registry: 'dockerhub', deploy: 'droplet', smoke: '/api/hello/orders', limits: { memory: '256m', pids: 128 }, templateVersion });
  });

  it('records the smoke path given as --smoke, after the deploy target, for the pipeline to read', async () => {
    const result = await runGenerator().withArguments(['orders', '--defaults', '--smoke', '/api/hello/smoke?lang=en']);
    expect(recorded(result)).toMatchObject({ smoke: '/api/hello/smoke?lang=en' });
    expect(read(result, 'project.json')).toContain('      "deploy": "none",\n      "smoke": "/api/hello/smoke?lang=en",\n      "limits": { "memory": "256m", "pids": 128 }\n    }');
  });

  it('records review apps, asked for with --review-apps, after the deploy target, for the pipeline to read', async () => {
    const result = await runGenerator().withArguments(['orders', '--defaults', '--deploy', 'droplet', '--review-apps']);
    expect(recorded(result)).toMatchObject({ deploy: 'droplet', reviewApps: true });
    expect(read(result, 'project.json')).toContain('      "deploy": "droplet",\n      "reviewApps": true,\n      "smoke": "/api/ping",');
  });

  it('records signing, asked for with --sign, for the pipeline to read', async () => {
    const result = await runGenerator().withArguments(['orders', '--defaults', '--deploy', 'droplet', '--review-apps', '--sign']);
    expect(recorded(result)).toMatchObject({ deploy: 'droplet', reviewApps: true, sign: true });
    expect(read(result, 'project.json')).toContain('      "deploy": "droplet",\n      "reviewApps": true,\n      "sign": true,\n      "smoke": "/api/ping",');
    expect(recorded(await runGenerator().withArguments(['orders', '--defaults', '--sign']))).toMatchObject({ deploy: 'none', sign: true });
  });

  it('takes the name as --name too', async () => {
    const result = await runGenerator().withOptions({ name: 'orders', defaults: true });
    result.assertFile('apps/orders/project.json');
  });

  it('writes into the workspace root when run from a subfolder', async () => {
    const first = await runGenerator().withArguments(['orders']).withOptions({ defaults: true });
    mkdirSync(join(first.cwd, 'apps/orders/src/deep'), { recursive: true });
    await runAgainIn(join(first.cwd, 'apps/orders/src/deep')).withArguments(['invoices']).withOptions({ defaults: true });
    expect(readFileSync(join(first.cwd, 'apps/invoices/project.json'), 'utf8')).toContain('"name": "invoices"');
    expect(treeOf(join(first.cwd, 'apps/orders/src/deep'))).toEqual({});
  });

  it('puts the port in the Dockerfile and the service definition', async () => {
    const result = await runGenerator().withArguments(['orders', ...allAnswers()]);
    expect(read(result, 'Dockerfile')).toMatch(/PORT=3100 \\\n/);
    expect(read(result, 'Dockerfile')).toContain('\nEXPOSE 3100\n');
    expect(read(result, 'src/service.ts')).toContain('defaultPort: 3100,');
    expect(read(result, 'README.md')).toContain('http://localhost:3100');
  });

  it('keeps a description with quotes and backslashes exact in code and JSON', async () => {
    const description = `Orders: "big" ones, Bob's \\ and \${not} a template`;
    const result = await runGenerator().withArguments(['orders', '--defaults', '--description', description]);
    const { service } = (await import(join(result.cwd, 'apps/orders/src/service.ts'))) as { service: object };
    expect(service).toEqual({ name: 'orders', description, defaultPort: 3001 });
    expect(recorded(result)).toMatchObject({ description });
  });

  it.each(Object.keys(registries))('records registry %s', async (registry) => {
    const result = await runGenerator().withArguments(['orders', '--defaults', '--registry', registry]);
    expect(recorded(result)).toMatchObject({ registry });
    expect(read(result, 'README.md')).toContain(`Images go to ${registries[registry as keyof typeof registries]}`);
  });

  // Cloud Run pulls from Docker Hub, not from GitLab's registry (refused below).
  const deployFiles = { none: [], droplet: [], ansible: [], 'cloud-run': ['deploy/service.yaml'] };
  it.each(Object.entries(deployFiles))('records deploy target %s and writes its files: %j', async (deploy, files) => {
    const result = await runGenerator().withArguments(['orders', ...allAnswers({ deploy, registry: 'dockerhub' })]);
    expect(recorded(result)).toMatchObject({ deploy });
    expect(read(result, 'README.md')).toContain(`deploy: ${deployTargets[deploy as keyof typeof deployTargets]}`);
    const written = Object.keys(ordersFiles(result)).filter((path) => path.startsWith('apps/orders/deploy/'));
    expect(written).toEqual(files.map((file) => `apps/orders/${file}`));
  });

  it('writes a Cloud Run service with its name and port', async () => {
    const result = await runGenerator().withArguments(['orders', ...allAnswers({ deploy: 'cloud-run', registry: 'dockerhub' })]);
    const yaml = read(result, 'deploy/service.yaml');
    expect(yaml).toContain('\n  name: orders\n');
    expect(yaml).toContain('- containerPort: 3100\n');
    expect(yaml).toContain('- image: ${IMAGE}\n');
  });
});

describe('yo fastify-gitlab: refused answers write nothing', () => {
  const fixtureFiles = Object.keys(fixtureWorkspace).sort();

  it.each([
    ['../x', 'not a path'],
    ['/etc/x', 'not a path'],
    ['apps/x', 'not a path'],
    ['.hidden', 'not a path'],
    ['Orders', 'kebab-case'],
    ['order_book', 'kebab-case'],
    ['order--book', 'kebab-case'],
    ['1orders', 'kebab-case'],
    ['orders-', 'kebab-case'],
    ['o', '2 to 40 characters'],
    ['o'.repeat(41), '2 to 40 characters'],
    ['class', 'reserved'],
    ['libs', 'reserved'],
    ['service-kit', 'already an Nx project'],
    ['tools', 'reserved'],
  ])('refuses the name %j (%s)', async (name, reason) => {
    const context = runGenerator().withOptions({ name, defaults: true });
    await expect(context).rejects.toThrow(reason);
    expect(Object.keys(treeOf(context.targetDirectory ?? '')).sort()).toEqual(fixtureFiles);
  });

  it.each([
    [['--port', '80'], 'port must be a whole number from 1024 to 65535: got "80"'],
    [['--port', '70000'], 'port must be a whole number from 1024 to 65535'],
    [['--port', 'http'], 'got "http"'],
    [['--port', '3000'], 'port 3000 is already used by fibonacci'],
    [['--registry', 'ecr'], 'registry must be one of gitlab, dockerhub: got "ecr"'],
    [['--deploy', 'k8s'], 'deploy must be one of none, droplet, ansible, cloud-run, app-engine: got "k8s"'],
    // gitlab is the default registry: Cloud Run can't pull from it, App Engine from neither.
    [['--deploy', 'cloud-run'], "deploy cloud-run needs --registry dockerhub: Cloud Run pulls images only from Artifact Registry or Docker Hub, not from the project's GitLab container registry"],
    [['--deploy', 'cloud-run', '--registry', 'gitlab'], 'deploy cloud-run needs --registry dockerhub'],
    [
      ['--deploy', 'app-engine', '--registry', 'dockerhub'],
      'deploy app-engine is not supported yet: App Engine pulls images only from Artifact Registry, which this generator does not push to. Choose --deploy droplet, ansible, cloud-run (with --registry dockerhub) or none',
    ],
    [['--deploy', 'app-engine'], 'deploy app-engine is not supported yet'],
    [['--review-apps'], '--review-apps needs --deploy droplet or ansible: review apps run beside production on its host, and deploy is "none"'],
    [['--review-apps', '--deploy', 'cloud-run', '--registry', 'dockerhub'], '--review-apps needs --deploy droplet or ansible'],
    [['--description', 'two\nlines'], 'description must be one line'],
    [['--description', 'x'.repeat(201)], 'description must be at most 200 characters'],
    [['--smoke', 'api/ping'], 'smoke must be a path on the service starting with /, e.g. /api/ping, made of letters, digits and - . _ ~ % / ? & = + , : @: got "api/ping"'],
    [['--smoke', 'http://example.com/api/ping'], 'smoke must be a path on the service starting with /'],
    [['--smoke', '/api/ping"; rm -rf ~; echo "'], 'smoke must be a path on the service starting with /'],
    [['--smoke', '/api/$CI_JOB_TOKEN'], 'got "/api/$CI_JOB_TOKEN"'],
    [['--smoke', '/two words'], 'got "/two words"'],
    [['--smoke', `/${'x'.repeat(200)}`], 'smoke must be at most 200 characters: got 201'],
    // The smoke test GETs new URL(path, service URL), which takes //host/x to that host.
    [['--smoke', '//evil.example/x'], 'smoke must be a path on the service itself: "//evil.example/x" resolves to another host (evil.example)'],
    [['--smoke', '///evil.example'], 'resolves to another host (evil.example)'],
    [['--smoke', '//'], 'smoke must be a path on the service itself: "//" resolves to another host (none)'],
  ])('refuses %j', async (options, message) => {
    const context = runGenerator().withArguments(['orders', '--defaults', ...options]);
    await expect(context).rejects.toThrow(message);
    expect(Object.keys(treeOf(context.targetDirectory ?? '')).sort()).toEqual(fixtureFiles);
  });

  it('refuses a registry the deploy target cannot pull from when answered at the prompts too, before writing', async () => {
    const context = runGenerator().withAnswers({ name: 'orders', description: 'Takes orders.', port: '3100', registry: 'gitlab', deploy: 'cloud-run', smoke: '/api/ping' });
    await expect(context).rejects.toThrow('deploy cloud-run needs --registry dockerhub');
    expect(Object.keys(treeOf(context.targetDirectory ?? '')).sort()).toEqual(fixtureFiles);
  });

  it('reports every problem at once', async () => {
    const context = runGenerator().withArguments(['Orders', '--port', '1', '--registry', 'x', '--deploy', 'y', '--smoke', 'z', '--description', 'ok']);
    await expect(context).rejects.toThrow(/name must be kebab-case.*\nport must be.*\nregistry must be.*\ndeploy must be.*\nsmoke must be/);
  });

  it('without a terminal, names the options to pass for the missing answers, or --defaults', async () => {
    const context = runGenerator(withoutTerminal()).withArguments(['orders', '--registry', 'dockerhub', '--deploy', 'droplet']);
    await expect(context).rejects.toThrow(
      'No terminal to ask on (stdin is not a TTY), and these answers are missing: description, port, smoke.\n' +
        'Add them to the command: --description <description> --port <port> --smoke <smoke>\n' +
        'or pass --defaults to take the default for every answer not given (see yo fastify-gitlab --help).',
    );
    expect(Object.keys(treeOf(context.targetDirectory ?? '')).sort()).toEqual(fixtureFiles);
  });

  it('without a terminal and with --defaults, asks only for the name', async () => {
    const context = runGenerator(withoutTerminal()).withOptions({ defaults: true });
    await expect(context).rejects.toThrow('these answers are missing: name.\nAdd them to the command: <name> (the first argument, or --name <name>)');
    expect(Object.keys(treeOf(context.targetDirectory ?? '')).sort()).toEqual(fixtureFiles);
  });

  it('without a terminal, runs when every answer is given', async () => {
    const result = await runGenerator(withoutTerminal()).withArguments(['orders', '--defaults']);
    result.assertFile('apps/orders/project.json');
  });

  it('names a service whose recorded settings are broken', async () => {
    const context = runGenerator()
      .withFiles({ 'apps/broken/project.json': { name: 'broken', metadata: { service: { description: 'x', port: 'x', registry: 'gitlab', deploy: 'none' } } } })
      .commitFiles()
      .withArguments(['orders', '--defaults']);
    await expect(context).rejects.toThrow('apps/broken/project.json: metadata.service.port must be a whole number');
  });

  it.each([
    [{ name: 'broken', metadata: { service: { ...fixtureWorkspace['apps/fibonacci/project.json'].metadata.service, templateVersion: 'v1' } } }, 'apps/broken/project.json: metadata.service.templateVersion must be the git tree id'],
    [{ name: 'broken', metadata: { service: { ...fixtureWorkspace['apps/fibonacci/project.json'].metadata.service, smoke: 'ping' } } }, 'apps/broken/project.json: metadata.service.smoke must be a path on the service starting with /'],
    ['{\n<<<<<<< yours\n', 'apps/broken/project.json is not valid JSON: '],
  ])('names a project.json it cannot read: %j', async (projectJson, message) => {
    const context = runGenerator().withFiles({ 'apps/broken/project.json': projectJson }).commitFiles().withArguments(['orders', '--defaults']);
    await expect(context).rejects.toThrow(message);
  });

  it('refuses to run outside an Nx workspace', async () => {
    const first = await runGenerator().withArguments(['orders', '--defaults']);
    const outside = join(first.cwd, '..', `not-a-workspace-${String(process.pid)}`);
    mkdirSync(outside);
    const context = runAgainIn(outside).withArguments(['orders', '--defaults']);
    await expect(context).rejects.toThrow('Run it inside the workspace: no nx.json');
    expect(treeOf(outside)).toEqual({});
  });
});

describe('yo fastify-gitlab <existing service>', () => {
  async function scaffoldOrders(overrides: Record<string, string> = {}) {
    const result = await runGenerator().withArguments(['orders', ...allAnswers(overrides)]);
    return result.cwd;
  }

  it('changes nothing when run again with the same answers', async () => {
    const workspace = await scaffoldOrders();
    const before = treeOf(workspace);
    const again = await runAgainIn(workspace).withArguments(['orders', ...allAnswers()]);
    expect(treeOf(workspace)).toEqual(before);
    expect(ordersFiles(again)).toEqual({});
  });

  it('refuses other answers without --force, naming the files they would change', async () => {
    const workspace = await scaffoldOrders();
    const before = treeOf(workspace);
    const context = runAgainIn(workspace).withArguments(['orders', ...allAnswers({ port: '3200' })]);
    await expect(context).rejects.toThrow(
      /apps\/orders already exists, and these answers would change:\n {2}apps\/orders\/project.json\n {2}apps\/orders\/src\/service.ts\n {2}apps\/orders\/Dockerfile\n.*--force/,
    );
    expect(treeOf(workspace)).toEqual(before);
  });

  it('with --force rewrites the template-owned files and keeps the service its own', async () => {
    const workspace = await scaffoldOrders({ deploy: 'cloud-run', registry: 'dockerhub' });
    const route = join(workspace, 'apps/orders/src/routes/hello/index.ts');
    writeFileSync(route, '// our own route now\n');
    rmSync(join(workspace, 'apps/orders/README.md'));
    await runAgainIn(workspace).withArguments(['orders', '--defaults', '--force', '--port', '3200', '--deploy', 'droplet']);
    const tree = treeOf(join(workspace, 'apps/orders'));
    expect(JSON.parse(tree['project.json'] ?? '')).toMatchObject({
      metadata: { service: { description: 'Takes orders.', port: 3200, registry: 'dockerhub', deploy: 'droplet' } },
    });
    expect(tree.Dockerfile).toContain('EXPOSE 3200');
    expect(tree['deploy/service.yaml']).toBeUndefined();
    expect(tree['src/routes/hello/index.ts']).toBe('// our own route now\n');
    // A file the service owns is written once, when it is scaffolded, even if it was deleted since.
    expect(tree['README.md']).toBeUndefined();
  });

  it('with --force refuses while a file it would rewrite has uncommitted changes, as the upgrade does', async () => {
    const workspace = await scaffoldOrders();
    gitIn(workspace, ['init', '--quiet', '--initial-branch=main']);
    commitAll(workspace, 'Scaffold orders');
    const dockerfile = join(workspace, 'apps/orders/Dockerfile');
    writeFileSync(dockerfile, `${readFileSync(dockerfile, 'utf8')}# our own line\n`);
    const before = treeOf(join(workspace, 'apps'));
    await expect(runAgainIn(workspace).withArguments(['orders', ...allAnswers({ port: '3200' }), '--force'])).rejects.toThrow(
      /^These files, which --force would rewrite, have uncommitted changes:\n {2} M apps\/orders\/Dockerfile\nCommit or stash them first/,
    );
    expect(treeOf(join(workspace, 'apps'))).toEqual(before);

    // A change to a file it does not rewrite (the service's own route) is no obstacle.
    gitIn(workspace, ['checkout', '--', 'apps/orders/Dockerfile']);
    writeFileSync(join(workspace, 'apps/orders/src/routes/hello/index.ts'), '// our own route now\n');
    await runAgainIn(workspace).withArguments(['orders', ...allAnswers({ port: '3200' }), '--force']);
    expect(readFileSync(dockerfile, 'utf8')).toContain('EXPOSE 3200');
  });

  it('keeps the templates version an existing service records, even with --force: the upgrade starts from it', async () => {
    const workspace = await scaffoldOrders();
    const projectFile = join(workspace, 'apps/orders/project.json');
    const olderVersion = 'ab'.repeat(20);
    writeFileSync(projectFile, readFileSync(projectFile, 'utf8').replace(templateVersion, olderVersion));
    await runAgainIn(workspace).withArguments(['orders', ...allAnswers({ port: '3200' }), '--force']);
    expect(JSON.parse(readFileSync(projectFile, 'utf8'))).toMatchObject({ metadata: { service: { port: 3200, templateVersion: olderVersion } } });
  });

  it('keeps the smoke path it records when run again with --defaults, and changes it only with --force', async () => {
    const workspace = await scaffoldOrders();
    const before = treeOf(workspace);
    await runAgainIn(workspace).withArguments(['orders', '--defaults']);
    expect(treeOf(workspace)).toEqual(before);
    await expect(runAgainIn(workspace).withArguments(['orders', '--defaults', '--smoke', '/api/ping'])).rejects.toThrow(
      /these answers would change:\n {2}apps\/orders\/project.json\nRun again with --force/,
    );
    expect(treeOf(workspace)).toEqual(before);
    await runAgainIn(workspace).withArguments(['orders', '--defaults', '--smoke', '/api/ping', '--force']);
    expect(JSON.parse(readFileSync(join(workspace, 'apps/orders/project.json'), 'utf8'))).toMatchObject({ metadata: { service: { smoke: '/api/ping', port: 3100 } } });
  });

  it('keeps the limits a service records, set by hand in project.json, when run again (they are never asked)', async () => {
    const workspace = await scaffoldOrders();
    const projectFile = join(workspace, 'apps/orders/project.json');
    writeFileSync(projectFile, readFileSync(projectFile, 'utf8').replace('"memory": "256m", "pids": 128', '"memory": "1g", "pids": 64'));
    const before = treeOf(workspace);
    await runAgainIn(workspace).withArguments(['orders', '--defaults']);
    expect(treeOf(workspace)).toEqual(before);
    expect(JSON.parse(readFileSync(projectFile, 'utf8'))).toMatchObject({ metadata: { service: { limits: { memory: '1g', pids: 64 } } } });
  });

  it('takes the default for a limit a service leaves out, as the deploy does', async () => {
    const workspace = await scaffoldOrders();
    const projectFile = join(workspace, 'apps/orders/project.json');
    writeFileSync(projectFile, readFileSync(projectFile, 'utf8').replace('"memory": "256m", "pids": 128', '"memory": "1g"'));
    await runAgainIn(workspace).withArguments(['orders', '--defaults', '--force']);
    expect(JSON.parse(readFileSync(projectFile, 'utf8'))).toMatchObject({ metadata: { service: { limits: { memory: '1g', pids: 128 } } } });
  });

  it('refuses a folder under apps/ that is not a service, unless --force', async () => {
    const workspace = await scaffoldOrders();
    mkdirSync(join(workspace, 'apps/legacy'));
    writeFileSync(join(workspace, 'apps/legacy/notes.txt'), 'keep me\n');
    await expect(runAgainIn(workspace).withArguments(['legacy', '--defaults'])).rejects.toThrow('apps/legacy already exists');
    expect(treeOf(join(workspace, 'apps/legacy'))).toEqual({ 'notes.txt': 'keep me\n' });
  });

  it('shares another service port only with --force', async () => {
    const workspace = await scaffoldOrders();
    await expect(runAgainIn(workspace).withArguments(['invoices', '--defaults', '--port', '3100'])).rejects.toThrow('already used by orders');
    await runAgainIn(workspace).withArguments(['invoices', '--defaults', '--port', '3100', '--force']);
    expect(readFileSync(join(workspace, 'apps/invoices/Dockerfile'), 'utf8')).toContain('EXPOSE 3100');
  });
});
