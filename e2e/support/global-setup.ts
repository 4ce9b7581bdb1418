import type { TestProject } from 'vitest/node';
import { ensureBaseImage, type BaseImage } from '../../tools/docker/lib/base-image.ts';
import { connectEngine } from '../../tools/docker/lib/engine.ts';
import { formatBytes, formatSeconds } from '../../tools/docker/lib/format.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseImage: BaseImage;
  }
}

/**
 * Before any test: a Docker engine must answer (the suite fails here, saying how to start one, rather than
 * skip), and the local Node 24 base image must exist, so nothing is pulled from the internet.
 */
export default async function setup(project: TestProject) {
  const started = performance.now();
  const docker = await connectEngine().catch((error: unknown) => {
    throw new Error(`The end-to-end suite needs a Docker engine, and none answered.\n${(error as Error).message}`);
  });
  const baseImage = await ensureBaseImage(docker);
  const how = baseImage.built ? `built in ${formatSeconds(performance.now() - started)}` : 'reused';
  console.log(`e2e: base image ${baseImage.name} (Node ${baseImage.nodeVersion}): ${formatBytes(baseImage.size)}, ${how}`);
  project.provide('baseImage', baseImage);
  return () => {
    console.log(`e2e: suite took ${formatSeconds(performance.now() - started)}`);
  };
}
