import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import helpers, { type RunContext } from 'yeoman-test';
import type AppGenerator from '../../generators/app/generator.ts';
import type UpgradeGenerator from '../../generators/upgrade/generator.ts';
import './test-adapter.ts';

export const appGenerator = fileURLToPath(new URL('../../generators/app/index.js', import.meta.url));

/** The smallest workspace the generator reads: nx.json, one service on port 3000, two other projects. */
export const fixtureWorkspace = {
  'nx.json': '{}\n',
  'tsconfig.base.json': '{}\n',
  'apps/fibonacci/project.json': {
    name: 'fibonacci',
    metadata: { service: { description: 'Fibonacci numbers.', port: 3000, registry: 'dockerhub', deploy: 'ansible' } },
  },
  'libs/service-kit/project.json': { name: 'service-kit' },
  'tools/project.json': { name: 'tools' },
};

const contexts: RunContext<AppGenerator | UpgradeGenerator>[] = [];
afterEach(() => {
  // Newest first: each restores the working folder the one before it started in.
  for (const context of contexts.splice(0).reverse()) context.cleanup();
});

/** yeoman-test passes --force unless told otherwise; a user's run has it only when they type it. */
const asTyped = { force: false };

/**
 * `yo fastify-gitlab` run in-process (yeoman-test) in a fresh copy of the fixture workspace; `environment` options
 * go to the Yeoman environment (see `withoutTerminal`).
 */
export function runGenerator(environment: object = {}): RunContext<AppGenerator> {
  const context = helpers.run<AppGenerator>(appGenerator, { autoCleanup: false }, environment).withOptions(asTyped).withFiles(fixtureWorkspace).commitFiles();
  contexts.push(context);
  return context;
}

/**
 * Environment options for a run as yo makes it from a script: its own terminal adapter (the environment's default
 * when `adapter` is undefined, in place of yeoman-test's mock) on a stdin that is not a TTY and has ended.
 */
export const withoutTerminal = () => ({ adapter: undefined, stdin: new PassThrough().end(), stdout: new PassThrough(), stderr: new PassThrough() });

/** Runs the generator again in the folder of an earlier run, as a second `yo` in the same workspace would. */
export function runAgainIn(folder: string): RunContext<AppGenerator> {
  const context = helpers.run<AppGenerator>(appGenerator, { autoCleanup: false, cwd: folder, tmpdir: false }).withOptions(asTyped);
  contexts.push(context);
  return context;
}

export interface GeneratorRun {
  /** Everything the generator logged, one line per call. */
  output: string;
  /** Why the run failed: yo prints the message and exits non-zero. */
  error: Error | undefined;
}

/**
 * `yo fastify-gitlab[:upgrade] <args>` run in-process in a copy of the workspace, from the copy's own generator:
 * its own templates and files.ts, which a test may have changed.
 */
export async function generateIn(root: string, generator: 'app' | 'upgrade', args: string[]): Promise<GeneratorRun> {
  const path = join(root, 'generators/fastify-gitlab/generators', generator, 'index.js');
  const context = helpers.run<AppGenerator | UpgradeGenerator>(path, { autoCleanup: false, cwd: root, tmpdir: false }).withOptions(asTyped).withArguments(args);
  contexts.push(context);
  let error: Error | undefined;
  try {
    await context;
  } catch (thrown) {
    error = thrown as Error;
  }
  const log = context.env.adapter.log as unknown as { mock: { calls: { arguments: unknown[] }[] } };
  return { output: log.mock.calls.map((call) => call.arguments.join(' ')).join('\n'), error };
}

/** Every file under a folder with its contents, to compare a tree before and after a run. */
export function treeOf(folder: string): Record<string, string> {
  const files = readdirSync(folder, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return Object.fromEntries(
    files.map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return [relative(folder, path), readFileSync(path, 'utf8')];
    }),
  );
}
