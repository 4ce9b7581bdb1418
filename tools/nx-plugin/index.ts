import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CreateNodes, CreateNodesResult, TargetConfiguration } from '@nx/devkit';

/**
 * What every project gets by convention, so project.json holds only its name, tags and settings:
 *   typecheck        any project with a tsconfig.json
 *   build, serve     a service (src/main.ts): an esbuild bundle, and the sources run by Node with watch
 *   docker-*, smoke  a project with a Dockerfile: its image, built, pushed, released and smoke-tested by tools/docker
 * Lint and test come from @nx/eslint and @nx/vitest, listed before this plugin in nx.json.
 */
export const createNodes: CreateNodes = [
  '**/project.json',
  (projectFiles, _options, context) =>
    projectFiles.map((projectFile) => {
      const root = dirname(projectFile);
      return [projectFile, { projects: { [root]: { targets: inferTargets(join(context.workspaceRoot, root)) } } }] as const;
    }),
];

export function inferTargets(absoluteRoot: string): NonNullable<CreateNodesResult['projects']>[string]['targets'] {
  const targets: Record<string, TargetConfiguration> = {};
  const has = (file: string) => existsSync(join(absoluteRoot, file));

  if (has('tsconfig.json')) {
    targets.typecheck = {
      // TypeScript 7's native compiler checks in a third of 5.9's CPU time; typescript-eslint still needs 5.9's API.
      command: 'node node_modules/typescript-7/bin/tsc -p {projectRoot}/tsconfig.json',
      cache: true,
      inputs: ['default', '^production', { externalDependencies: ['typescript-7'] }],
      metadata: { description: 'Type-check sources and tests (strict, no emit)' },
    };
  }

  if (has('src/main.ts')) {
    targets.build = {
      command: 'node tools/build/bundle.ts {projectRoot}',
      cache: true,
      inputs: ['production', '^production', '{workspaceRoot}/tools/build/**/*', '{workspaceRoot}/license-policy.json', { externalDependencies: ['esbuild'] }],
      outputs: ['{projectRoot}/dist'],
      metadata: { description: 'Bundle the service into dist/ (no node_modules needed at run time) with its SBOM, checking the license policy' },
    };
    targets.serve = {
      command: 'node --watch src/main.ts',
      options: { cwd: '{projectRoot}' },
      continuous: true,
      metadata: { description: 'Run the service from its sources, restarting on change' },
    };
  }

  if (has('Dockerfile')) Object.assign(targets, dockerTargets());

  return targets;
}

/** Not cached: each one acts on a Docker engine or a registry, whose state Nx cannot see. */
function dockerTargets(): Record<string, TargetConfiguration> {
  const cli = (command: string) => `node tools/docker/cli.ts ${command} --project {projectName}`;
  const metadata = (description: string) => ({ description, technologies: ['docker'] });
  return {
    'docker-build': {
      command: cli('build'),
      dependsOn: ['build'],
      metadata: metadata('Build the Docker image from dist/, tagged by commit SHA and branch or semver, with OCI labels'),
    },
    'docker-push': {
      command: cli('push'),
      dependsOn: ['docker-build'],
      metadata: metadata("Push the image's tags to its registry (GitLab or Docker Hub, credentials from the environment)"),
    },
    'docker-release': {
      command: cli('release'),
      metadata: metadata('Promote the tested commit-SHA tag to latest in the registry, without rebuilding'),
    },
    smoke: {
      command: cli('smoke'),
      metadata: metadata('Run the image, wait until healthy, call /health and its smoke endpoint, then remove it'),
    },
  };
}
