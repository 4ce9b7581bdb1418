import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { contextFiles, packContext } from '../lib/build-context.ts';
import { followStream } from '../lib/daemon-stream.ts';
import { connectEngine } from '../lib/engine.ts';
import { envVar } from '../lib/env.ts';
import { CliError, errorMessage } from '../lib/errors.ts';
import { formatBytes, formatSeconds } from '../lib/format.ts';
import { buildArgs, ociLabels, parseBuildArgs } from '../lib/labels.ts';
import type { Revision } from '../lib/tags.ts';
import { defineCommand, print } from './command.ts';
import { resolveTargets, targetOptions, type Target } from './targets.ts';

interface BuildSettings {
  revision: Revision;
  baseImage: string | undefined;
  extraArgs: Record<string, string>;
  licenses: string | undefined;
}

async function buildImage(docker: Docker, target: Target, contextDir: string, settings: BuildSettings): Promise<void> {
  const { service, repository, tags } = target;
  if (readFileSync(join(contextDir, 'Dockerfile'), 'utf8').includes('dist/') && !existsSync(join(contextDir, 'dist'))) {
    throw new CliError(`${service.root}/dist is missing: run \`npx nx build ${service.name}\` first (\`npx nx docker-build ${service.name}\` does both)`);
  }
  const [primary, ...others] = tags;
  print(`── ${service.name}: building ${service.root}/Dockerfile as ${repository}, tags ${tags.join(', ')}`);
  const started = performance.now();
  const output = await docker
    .buildImage(packContext(contextDir, await contextFiles(contextDir)), {
      t: `${repository}:${primary}`,
      buildargs: buildArgs(settings.revision, settings.baseImage, settings.extraArgs),
      labels: ociLabels({ project: service.name, description: service.description, revision: settings.revision, licenses: settings.licenses, baseImage: settings.baseImage }),
      rm: true,
      forcerm: true,
    })
    .catch((error: unknown) => {
      throw new CliError(`building ${service.name} failed: ${errorMessage(error)}`);
    });
  await followStream(docker, output, print, `building ${service.name}`);
  const image = docker.getImage(`${repository}:${primary}`);
  for (const tag of others) await image.tag({ repo: repository, tag });

  const { Id, Size } = await image.inspect();
  const base = settings.baseImage === undefined ? undefined : await docker.getImage(settings.baseImage).inspect().catch(() => undefined);
  const overBase = base === undefined ? '' : `, ${formatBytes(Size - base.Size)} over ${settings.baseImage ?? ''}`;
  print(`── ${service.name}: built ${repository}:${primary} (${Id.slice(7, 19)}) in ${formatSeconds(performance.now() - started)}: ${formatBytes(Size)}${overBase}`);
}

export default defineCommand(
  {
    name: 'build',
    summary: 'Build the image of each project from its Dockerfile, tagged by commit and branch or tag',
    description: [
      "Builds <project root>/Dockerfile with the project's root as context (filtered by its .dockerignore), after",
      '`nx build` has written dist/. Tags: the commit SHA, then branch-<slug>, or tag-<slug> for a git tag (`release`',
      'alone writes latest and semver tags); from CI_COMMIT_SHA, CI_COMMIT_REF_SLUG and CI_COMMIT_TAG in a pipeline, else',
      'from git. Build args VERSION and NODE_IMAGE; OCI labels org.opencontainers.image.* (title, description,',
      'version, revision, source, created, licenses, base.name). Progress streams as it comes; a failed build exits',
      "non-zero with the engine's message.",
    ].join('\n'),
    options: {
      ...targetOptions,
      'base-image': {
        type: 'string',
        placeholder: '<image>',
        env: 'NODE_IMAGE',
        description: "Base image for the Dockerfile's NODE_IMAGE argument (default: the Dockerfile's own)",
      },
      'build-arg': {
        type: 'string',
        multiple: true,
        placeholder: '<KEY=VALUE>',
        description: 'Another build argument; never a secret: `docker history` shows them',
      },
    },
    examples: [
      'node tools/docker/cli.ts build --project fibonacci --base-image local/node:24',
      'NX_BASE=origin/main node tools/docker/cli.ts build --affected',
      'npx nx run-many -t docker-build        # the same through Nx, after each project\'s build',
    ],
  },
  async (values) => {
    const extraArgs = parseBuildArgs(values['build-arg']);
    const { targets, revision, workspaceRoot } = await resolveTargets(values);
    if (targets.length === 0) {
      print('No affected project has a Dockerfile: nothing to build.');
      return;
    }
    const docker = await connectEngine();
    const { license } = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as { license?: string };
    const settings = { revision, baseImage: values['base-image'] ?? envVar(process.env, 'NODE_IMAGE'), extraArgs, licenses: license };
    for (const target of targets) await buildImage(docker, target, join(workspaceRoot, target.service.root), settings);
  },
);
