import { writeFile } from 'node:fs/promises';
import { credentialsForHost } from '../lib/credentials.ts';
import { connectEngine } from '../lib/engine.ts';
import { CliError, errorMessage } from '../lib/errors.ts';
import { parsePinnedImage, splitImageReference } from '../lib/naming.ts';
import { copyImage, type CopiedImage } from '../lib/registry/copy.ts';
import { registryEndpoint } from '../lib/registry/endpoint.ts';
import { openSession, pullScope, pushScope } from '../lib/registry/session.ts';
import { provenanceFile, provenanceStatement, requireProvenanceVariables } from '../lib/provenance.ts';
import { releaseTags, type Revision } from '../lib/tags.ts';
import { defineCommand, print } from './command.ts';
import { credentialsFor, hasRegistry, resolveTargets, targetOptions, type Target } from './targets.ts';

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

/**
 * Copies the tested image from the registry it is in to the target's, registry to registry, under the release's tags.
 * `siblings` are the other services' repositories: those in the target's registry may already hold the base layers.
 */
async function release(target: Target, tested: TestedImage, tags: string[], siblings: string[]): Promise<CopiedImage> {
  const from = registryEndpoint(tested.repository);
  const to = registryEndpoint(target.repository);
  if (from === undefined || to === undefined) throw new CliError(`${tested.repository} is a local image: a release copies from a registry`);
  // Within one registry the tested repository holds every blob; across registries, other services' repositories there may.
  const sameRegistry = from.origin === to.origin;
  const mountable = sameRegistry
    ? []
    : siblings.flatMap((repository) => {
        const sibling = registryEndpoint(repository);
        return sibling?.origin === to.origin && sibling.name !== to.name ? [sibling.name] : [];
      });
  // The target's token must also allow reading whatever a blob can be mounted from.
  const targetScopes = [pushScope(to.name), ...(sameRegistry ? [from.name] : mountable).map(pullScope)];
  const source = { session: await openSession(from, credentialsForHost(tested.repository, process.env), [pullScope(from.name)]), name: from.name };
  const destination = { session: await openSession(to, credentialsFor(target), targetScopes), name: to.name, siblings: mountable };
  print(`── ${target.service.name}: releasing ${tested.reference} as ${target.repository}:${tags.join(', ')}`);
  const copied = await copyImage(source, destination, tested.digest ?? splitImageReference(tested.reference).tag ?? 'latest', tags);
  const { present, mounted, uploaded } = copied.blobs;
  print(`blobs: ${String(uploaded)} uploaded, ${String(mounted)} mounted, ${String(present)} already there`);
  print(`released ${target.repository}:${tags.join(', ')} = ${tested.reference} (${copied.digest}), not rebuilt`);
  return copied;
}

export default defineCommand(
  {
    name: 'release',
    summary: 'Copy the tested image to the service registry under its release tags, registry to registry, without rebuilding',
    description: [
      'Copies the tested image (--image, the TESTED_IMAGE the image job hands on; or <repository>:<from>) from the',
      "registry it is in, with that registry's credentials, to the service's own registry with its credentials, over",
      "the registries' HTTP API (no Docker engine): each missing layer is mounted (from the tested repository, or another",
      "service's repository, in the same registry) or streamed across,",
      "then the same manifest bytes are written under the release's tags: latest for the default branch; for a",
      'release tag (v1.2.3) 1.2.3, 1.2 and 1. Nothing is rebuilt, and the release fails unless every tag serves the',
      'very digest that was tested. For a local image (no registry configured) the engine only adds the tags.',
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
      'provenance-predicate': {
        type: 'string',
        placeholder: '<file>',
        description: "Write that provenance's bare SLSA predicate there (what cosign attest --predicate takes, for the sign job); one project only",
      },
    },
    examples: [
      'node tools/docker/cli.ts release --project fibonacci --image "$TESTED_IMAGE" --dotenv release.env   # what the pipeline does',
      'node tools/docker/cli.ts release --project fibonacci',
      'node tools/docker/cli.ts release --project fibonacci --from 1.4.0 --to stable',
    ],
  },
  async (values) => {
    const { targets, siblingsOf, revision } = await resolveTargets(values);
    if (targets.length === 0) {
      print('No affected project has a Dockerfile: nothing to release.');
      return;
    }
    // Deploys pull by digest, so the job that deploys must learn exactly which one this release pushed.
    const predicateFile = values['provenance-predicate'];
    const provenanceFiles = [values.provenance, predicateFile].filter((file) => file !== undefined);
    for (const [option, value] of [['--image', values.image], ['--dotenv', values.dotenv], ['--provenance', values.provenance], ['--provenance-predicate', predicateFile]] as const) {
      if (value !== undefined && targets.length > 1) {
        throw new CliError(`${option} names one image, but ${targets.length} projects were selected: release them one at a time`);
      }
    }
    // Checked before anything is pushed: a release whose provenance cannot be written would stand without one.
    if (provenanceFiles.length > 0) requireProvenanceVariables(process.env);
    const pinned = values.image === undefined ? undefined : { reference: values.image, ...parsePinnedImage(values.image, '--image') };
    const tags = tagsToWrite(values.to, revision);
    for (const target of targets) {
      const tested = pinned ?? { reference: `${target.repository}:${values.from ?? revision.sha}`, repository: target.repository };
      const source = tested.reference;
      if (!hasRegistry(target)) {
        const docker = await connectEngine();
        for (const tag of tags) {
          await docker.getImage(source).tag({ repo: target.repository, tag }).catch((error: unknown) => {
            throw new CliError(`tagging ${source} failed: ${errorMessage(error)}`);
          });
        }
        print(`tagged ${source} as ${target.repository}:${tags.join(', ')} (local image: no registry to push to)`);
        continue;
      }
      const { digest, labels } = await release(target, tested, tags, siblingsOf(target));
      if (values.dotenv !== undefined) await writeFile(values.dotenv, `RELEASED_IMAGE=${target.repository}:${tags[0] ?? ''}@${digest}\n`);
      if (provenanceFiles.length > 0) {
        const [baseImage, baseDigest] = ['name', 'digest'].map((key) => labels[`org.opencontainers.image.base.${key}`]);
        const released = { project: target.service.name, repository: target.repository, digest, tags, tested: source, baseImage, baseDigest };
        const statement = provenanceStatement(released, process.env, new Date());
        if (values.provenance !== undefined) await writeFile(values.provenance, provenanceFile(statement));
        if (predicateFile !== undefined) await writeFile(predicateFile, provenanceFile(statement.predicate));
        print(`provenance of ${target.repository}@${digest}: ${provenanceFiles.join(', ')}`);
      }
    }
  },
);
