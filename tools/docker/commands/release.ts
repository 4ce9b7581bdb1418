import { writeFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { credentialsForHost } from '../lib/credentials.ts';
import { followStream } from '../lib/daemon-stream.ts';
import { connectEngine } from '../lib/engine.ts';
import { CliError, errorMessage } from '../lib/errors.ts';
import { parsePinnedImage } from '../lib/naming.ts';
import { provenanceFile, provenanceStatement, requireProvenanceVariables } from '../lib/provenance.ts';
import { releaseTags, type Revision } from '../lib/tags.ts';
import { defineCommand, print } from './command.ts';
import { pushTag } from './push.ts';
import { checkLogin, credentialsFor, hasRegistry, resolveTargets, targetOptions, type Target } from './targets.ts';

/** The tags this release writes: --to, or what the ref gives (latest; a release tag's semver forms). */
function tagsToWrite(to: string | undefined, revision: Revision): string[] {
  if (to !== undefined) return [to];
  const tags = releaseTags(revision);
  if (tags === undefined) throw new CliError(`git tag "${revision.tag ?? ''}" is not a release tag (v<semver>, e.g. v1.2.3): nothing is released`);
  return tags;
}

/** The image the pipeline tested: pinned by digest (--image), or a tag of the target's own repository. */
interface TestedImage {
  reference: string;
  repository: string;
  digest?: string;
}

/** Pulls the tested image, with the credentials of the registry it is in; answers the digest the registry serves it by. */
async function pullTested(docker: Docker, tested: TestedImage): Promise<string> {
  const { reference, repository } = tested;
  const credentials = credentialsForHost(repository, process.env);
  if (credentials) await checkLogin(docker, credentials);
  const pull = await docker.pull(reference, credentials ? { authconfig: credentials.auth } : {}).catch((error: unknown) => {
    throw new CliError(`pulling ${reference} failed: ${errorMessage(error)}`);
  });
  await followStream(docker, pull, print, `pulling ${reference}`);
  if (tested.digest !== undefined) return tested.digest;
  const { RepoDigests } = await docker.getImage(reference).inspect();
  const digest = RepoDigests.find((pinned) => pinned.startsWith(`${repository}@`))?.split('@')[1];
  if (digest === undefined) throw new CliError(`${reference} was pulled, but the engine knows no digest for it in ${repository}`);
  return digest;
}

async function release(docker: Docker, target: Target, tested: TestedImage, tags: string[]): Promise<string> {
  const credentials = credentialsFor(target);
  const testedDigest = await pullTested(docker, tested);
  const source = tested.reference;
  await checkLogin(docker, credentials);
  print(`── ${target.service.name}: releasing ${source} as ${target.repository}:${tags.join(', ')}`);
  const digests = new Set<string>();
  for (const tag of tags) {
    await docker.getImage(source).tag({ repo: target.repository, tag });
    digests.add(await pushTag(docker, target.repository, tag, credentials));
  }
  const [digest] = digests;
  // The engine pushes the layers it pulled; a registry that stored other bytes would make the release something untested.
  if (digest === undefined || digests.size > 1 || digest !== testedDigest) {
    throw new CliError(`${target.repository} now serves ${[...digests].join(', ')}, not the tested ${testedDigest}: the release is not what was tested`);
  }
  print(`released ${target.repository}:${tags.join(', ')} = ${source} (${digest}), not rebuilt`);
  return digest;
}

export default defineCommand(
  {
    name: 'release',
    summary: 'Copy the tested image to the service registry under its release tags, without rebuilding (pull, tag, push)',
    description: [
      'Pulls the tested image (--image, the TESTED_IMAGE the image job hands on; or <repository>:<from>) with the',
      "credentials of the registry it is in, tags it with the release's tags and pushes them to the service's own",
      'registry with its credentials: latest for the default branch; for a release tag (v1.2.3) 1.2.3, 1.2 and 1.',
      'Nothing is rebuilt, and the release fails unless the registry serves the very digest that was tested.',
      'For a local image (no registry configured) it only adds the tags.',
    ].join('\n'),
    options: {
      ...targetOptions,
      image: {
        type: 'string',
        placeholder: '<repository>@<digest>',
        description: 'The tested image, pinned by digest (what the pipeline passes); one project only',
      },
      from: { type: 'string', placeholder: '<tag>', description: 'Without --image: the tested tag (default: the commit SHA, CI_COMMIT_SHA or git HEAD)' },
      to: { type: 'string', placeholder: '<tag>', description: "The tag to write (default: latest, or a release tag's semver forms)" },
      dotenv: {
        type: 'string',
        placeholder: '<file>',
        description: 'Write RELEASED_IMAGE=<repository>:<tag>@<digest> there (a GitLab dotenv report) for the deploy jobs; one project only',
      },
      provenance: {
        type: 'string',
        placeholder: '<file>',
        description: "Write the released digest's provenance there: an in-toto Statement v1 with a SLSA Provenance v1 predicate (commit, pipeline, GitLab instance), from the job's CI_* variables; one project only",
      },
    },
    examples: [
      'node tools/docker/cli.ts release --project fibonacci --image "$TESTED_IMAGE" --dotenv release.env   # what the pipeline does',
      'node tools/docker/cli.ts release --project fibonacci',
      'node tools/docker/cli.ts release --project fibonacci --from 1.4.0 --to stable',
    ],
  },
  async (values) => {
    const { targets, revision } = await resolveTargets(values);
    if (targets.length === 0) {
      print('No affected project has a Dockerfile: nothing to release.');
      return;
    }
    // Deploys pull by digest, so the job that deploys must learn exactly which one this release pushed.
    for (const [option, value] of [['--image', values.image], ['--dotenv', values.dotenv], ['--provenance', values.provenance]] as const) {
      if (value !== undefined && targets.length > 1) {
        throw new CliError(`${option} names one image, but ${targets.length} projects were selected: release them one at a time`);
      }
    }
    // Checked before anything is pushed: a release whose provenance cannot be written would stand without one.
    if (values.provenance !== undefined) requireProvenanceVariables(process.env);
    const pinned = values.image === undefined ? undefined : { reference: values.image, ...parsePinnedImage(values.image, '--image') };
    const tags = tagsToWrite(values.to, revision);
    const docker = await connectEngine();
    for (const target of targets) {
      const tested = pinned ?? { reference: `${target.repository}:${values.from ?? revision.sha}`, repository: target.repository };
      const source = tested.reference;
      if (!hasRegistry(target)) {
        for (const tag of tags) {
          await docker.getImage(source).tag({ repo: target.repository, tag }).catch((error: unknown) => {
            throw new CliError(`tagging ${source} failed: ${errorMessage(error)}`);
          });
        }
        print(`tagged ${source} as ${target.repository}:${tags.join(', ')} (local image: no registry to push to)`);
        continue;
      }
      const digest = await release(docker, target, tested, tags);
      if (values.dotenv !== undefined) await writeFile(values.dotenv, `RELEASED_IMAGE=${target.repository}:${tags[0] ?? ''}@${digest}\n`);
      if (values.provenance !== undefined) {
        // An image built elsewhere (--from) may have no labels at all: the engine says null.
        const labels = (await docker.getImage(source).inspect()).Config.Labels as Record<string, string> | null;
        const [baseImage, baseDigest] = ['name', 'digest'].map((key) => labels?.[`org.opencontainers.image.base.${key}`]);
        const released = { project: target.service.name, repository: target.repository, digest, tags, tested: source, baseImage, baseDigest };
        const statement = provenanceStatement(released, process.env, new Date());
        await writeFile(values.provenance, provenanceFile(statement));
        print(`provenance of ${target.repository}@${digest}: ${values.provenance}`);
      }
    }
  },
);
