import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { dockerfileBaseImage, inspectBaseImage } from '../lib/base-image-facts.ts';
import { contextFiles, packContext } from '../lib/build-context.ts';
import { followStream } from '../lib/daemon-stream.ts';
import { connectEngine } from '../lib/engine.ts';
import { envVar } from '../lib/env.ts';
import { CliError, errorMessage } from '../lib/errors.ts';
import { formatBytes, formatSeconds } from '../lib/format.ts';
import { imageSbom } from '../lib/image-sbom.ts';
import { scanImage } from '../lib/image-secrets.ts';
import { buildArgs, ociLabels, parseBuildArgs, withLabels } from '../lib/labels.ts';
import { imageVersion, type Revision } from '../lib/tags.ts';
import { formatFinding, MAX_SCANNED_BYTES } from '../../secrets/scan.ts';
import { defineCommand, print } from './command.ts';
import { resolveTargets, targetOptions, type Target } from './targets.ts';

interface BuildSettings {
  revision: Revision;
  baseImage: string | undefined;
  extraArgs: Record<string, string>;
  licenses: string | undefined;
  /** Where to write a copy of the image's SBOM, for the pipeline to keep (a GitLab cyclonedx report). */
  sbomFile: string | undefined;
}

/** The bundle's SBOM that `nx build` wrote (tools/build/bundle.ts), in the image in place of the one on disk. */
const BUNDLE_SBOM = 'dist/sbom.cdx.json';

async function buildImage(docker: Docker, target: Target, contextDir: string, settings: BuildSettings): Promise<void> {
  const { service, repository, tags } = target;
  const dockerfile = readFileSync(join(contextDir, 'Dockerfile'), 'utf8');
  if (dockerfile.includes('dist/') && !existsSync(join(contextDir, 'dist'))) {
    throw new CliError(`${service.root}/dist is missing: run \`npx nx build ${service.name}\` first (\`npx nx docker-build ${service.name}\` does both)`);
  }
  const [primary, ...others] = tags;
  print(`── ${service.name}: building ${service.root}/Dockerfile as ${repository}, tags ${tags.join(', ')}`);
  const started = performance.now();
  const bundleSbom = await readFile(join(contextDir, BUNDLE_SBOM), 'utf8').catch(() => {
    throw new CliError(`${service.root}/${BUNDLE_SBOM} is missing: run \`npx nx build ${service.name}\`, which writes it beside the bundle`);
  });
  const baseReference = settings.baseImage ?? dockerfileBaseImage(dockerfile, `${service.root}/Dockerfile`);
  const base = await inspectBaseImage(docker, baseReference, print);
  const sbom = imageSbom(bundleSbom, { repository, version: imageVersion(settings.revision), base });
  const labels = ociLabels({
    project: service.name,
    description: service.description,
    revision: settings.revision,
    licenses: settings.licenses,
    baseImage: baseReference,
    baseDigest: base.fromRegistry ? base.digest : undefined,
  });
  const generated = { Dockerfile: withLabels(dockerfile, labels), [BUNDLE_SBOM]: sbom };
  const output = await docker
    .buildImage(packContext(contextDir, await contextFiles(contextDir), generated), {
      t: `${repository}:${primary}`,
      buildargs: buildArgs(settings.revision, settings.baseImage, settings.extraArgs),
      rm: true,
      forcerm: true,
    })
    .catch((error: unknown) => {
      throw new CliError(`building ${service.name} failed: ${errorMessage(error)}`);
    });
  await followStream(docker, output, print, `building ${service.name}`);
  const image = docker.getImage(`${repository}:${primary}`);
  for (const tag of others) await image.tag({ repo: repository, tag });

  if (settings.sbomFile !== undefined) await writeFile(settings.sbomFile, sbom);
  const { Id, Size } = await image.inspect();
  print(`── ${service.name}: built ${repository}:${primary} (${Id.slice(7, 19)}) in ${formatSeconds(performance.now() - started)}: ${formatBytes(Size)}, ${formatBytes(Size - base.size)} over ${baseReference}`);
  await checkNoSecrets(docker, target, baseReference);
}

/**
 * The image's own layers, config and history must hold no secret. One that does is removed from the engine, so no
 * later push (the image job's next step, or `docker-push` by hand) can send it to a registry.
 */
async function checkNoSecrets(docker: Docker, { service, repository, tags }: Target, baseImage: string): Promise<void> {
  const { findings, binaries, tooLarge, files, baseLayers } = await scanImage(docker, `${repository}:${tags[0]}`, baseImage);
  for (const file of tooLarge) print(`   not scanned for secrets, larger than ${formatBytes(MAX_SCANNED_BYTES)}: ${file}`);
  if (findings.length > 0) {
    for (const tag of tags) await docker.getImage(`${repository}:${tag}`).remove();
    throw new CliError([
      `${service.name}: the image holds ${findings.length === 1 ? 'a secret' : `${findings.length} secrets`}, so it was removed and nothing is pushed:`,
      ...findings.map((finding) => `  ${formatFinding(finding)}`),
      'Give secrets to the container at run time (docs/supply-chain.md#secret-scanning), never in a build argument, ENV, LABEL or file.',
    ].join('\n'));
  }
  print(`── ${service.name}: no secret in the ${files} text files of its own layers (${binaries} binary files not read), its config or its history; ${baseLayers} base image layers left out`);
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
      'version, revision, source, created, licenses, base.name, base.digest). The image holds its CycloneDX SBOM at',
      '/app/sbom.cdx.json: the bundle\'s npm packages (dist/sbom.cdx.json from `nx build`), the base image by digest',
      'and its Node runtime. Progress streams as it comes; a failed build exits non-zero with the engine\'s message.',
      "Then the image's own layers (not the base image's), environment, labels and history are scanned for secrets",
      "(secretlint's recommended rules): a secret found fails the build, naming its file and rule with the value masked,",
      'and the image is removed from the engine so that no push can send it.',
    ].join('\n'),
    options: {
      ...targetOptions,
      'base-image': {
        type: 'string',
        placeholder: '<image>',
        env: 'NODE_IMAGE',
        description: "Base image for the Dockerfile's NODE_IMAGE argument (default: the Dockerfile's own)",
      },
      sbom: {
        type: 'string',
        placeholder: '<file>',
        description: "Also write the image's CycloneDX SBOM there (the pipeline's cyclonedx report); one project only",
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
      'node tools/docker/cli.ts build --project fibonacci --sbom sbom.cdx.json   # what the pipeline does',
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
    if (values.sbom !== undefined && targets.length > 1) {
      throw new CliError(`--sbom names one image's SBOM, but ${targets.length} projects were selected: build them one at a time`);
    }
    const docker = await connectEngine();
    const { license } = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as { license?: string };
    const settings = { revision, baseImage: values['base-image'] ?? envVar(process.env, 'NODE_IMAGE'), extraArgs, licenses: license, sbomFile: values.sbom };
    for (const target of targets) await buildImage(docker, target, join(workspaceRoot, target.service.root), settings);
  },
);
