import type Docker from 'dockerode';

/**
 * Removes (forced) every image on the engine a suite made or pulled: those with a tag or digest that one of
 * `patterns` names, in the engine's `reference` filter, where `*` stands for any part of one path segment
 * (`127.0.0.1:*` for a registry whose port changes each run). The engine lists the newest first, so an image
 * built FROM another goes before it.
 */
export async function removeImages(docker: Docker, patterns: readonly string[]): Promise<void> {
  const images = await docker.listImages({ filters: { reference: [...patterns] } });
  for (const image of images) await docker.getImage(image.Id).remove({ force: true });
}
