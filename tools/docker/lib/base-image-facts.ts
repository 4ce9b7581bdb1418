import type Docker from 'dockerode';
import { followStream } from './daemon-stream.ts';
import { CliError, errorMessage } from './errors.ts';
import type { BaseImageFacts } from './image-sbom.ts';
import { splitImageReference } from './naming.ts';

/** The default of the Dockerfile's `ARG NODE_IMAGE=…`: the base image when no --base-image is given. */
export function dockerfileBaseImage(dockerfile: string, where: string): string {
  const image = /^ARG NODE_IMAGE=(\S+)\s*$/m.exec(dockerfile)?.[1];
  if (!image) throw new CliError(`${where} has no ARG NODE_IMAGE=<image> line: give the base image with --base-image`);
  return image;
}

/** A reference's repository as RepoDigests write it: Docker Hub's docker.io/ and library/ left out. */
function repositoryOf(reference: string): string {
  return splitImageReference(reference).repository.replace(/^docker\.io\//, '').replace(/^library\//, '');
}

/** What the build reads of its base image: the SBOM's facts, and its size, which the image's is compared with. */
export interface InspectedBaseImage extends BaseImageFacts {
  /** Bytes, as `docker images` counts them. */
  size: number;
}

/**
 * The base image's digest and Node version, for the SBOM, and its size, from one inspection. Pulled first when the engine lacks it (the build would
 * pull it anyway), so that what is recorded is what the build then uses.
 */
export async function inspectBaseImage(docker: Docker, reference: string, print: (line: string) => void): Promise<InspectedBaseImage> {
  const image = docker.getImage(reference);
  const inspect = await image.inspect().catch(async () => {
    await followStream(docker, await docker.pull(reference), print, `pulling the base image ${reference}`).catch((error: unknown) => {
      throw new CliError(`cannot pull the base image ${reference}: ${errorMessage(error)}`);
    });
    return image.inspect();
  });
  const nodeVersion = inspect.Config.Env.find((variable) => variable.startsWith('NODE_VERSION='))?.slice('NODE_VERSION='.length);
  if (!nodeVersion) throw new CliError(`the base image ${reference} sets no NODE_VERSION: the SBOM cannot name its Node runtime (the official node images and \`tools/docker base-image\` set it)`);
  const pinned = splitImageReference(reference).digest;
  const repository = repositoryOf(reference);
  const fromRepoDigests = inspect.RepoDigests.find((entry) => repositoryOf(entry) === repository)?.split('@')[1];
  const digest = pinned ?? fromRepoDigests;
  const facts = digest ? { reference, digest, fromRegistry: true, nodeVersion } : { reference, digest: inspect.Id, fromRegistry: false, nodeVersion };
  return { ...facts, size: inspect.Size };
}
