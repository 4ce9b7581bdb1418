import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import tarFs from 'tar-fs';
import { extract } from 'tar-stream';
import { emptyReport, MAX_SCANNED_BYTES, scanInto, scanSource, type ScanReport, type Source } from '../../secrets/scan.ts';

/** What `docker save` writes beside the layers: which config and layer files make the image. */
interface SavedManifest {
  Config: string;
  Layers: string[];
}

/** The parts of an image's config a secret can hide in besides its files. */
interface ImageConfig {
  config?: { Env?: string[] | null; Labels?: Record<string, string> | null; Cmd?: string[] | null; Entrypoint?: string[] | null };
  history?: { created_by?: string }[];
  rootfs: { diff_ids: string[] };
}

export interface ImageScan extends ScanReport {
  /** How many layers were the base image's, left out. */
  baseLayers: number;
}

/** The environment, labels, commands and build history (each step's command, with its build args), as sources. */
export function configSources(config: ImageConfig): Source[] {
  const { Env, Labels, Cmd, Entrypoint } = config.config ?? {};
  return [
    { file: 'image config: Env', content: (Env ?? []).join('\n') },
    { file: 'image config: Labels', content: Object.entries(Labels ?? {}).map(([key, value]) => `${key}=${value}`).join('\n') },
    { file: 'image config: Entrypoint and Cmd', content: [...(Entrypoint ?? []), ...(Cmd ?? [])].join('\n') },
    { file: 'image history', content: (config.history ?? []).map((step) => step.created_by ?? '').join('\n') },
  ];
}

/** How many of the image's first layers are the base image's own: the same diff IDs, in the same order. */
export function sharedPrefix(layers: string[], baseLayers: string[]): number {
  let shared = 0;
  while (shared < layers.length && shared < baseLayers.length && layers[shared] === baseLayers[shared]) shared++;
  return shared;
}

/**
 * Every regular file in one layer's tar, with its bytes; a file over the scan's size limit is named without being
 * read into memory (content undefined).
 */
async function readLayer(path: string, onFile: (name: string, content: Buffer | undefined) => Promise<void>): Promise<void> {
  const entries = extract();
  entries.on('entry', (header, stream, next) => {
    const wanted = header.type === 'file';
    const tooLarge = (header.size ?? 0) > MAX_SCANNED_BYTES;
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      if (wanted && !tooLarge) chunks.push(chunk);
    });
    stream.on('end', () => {
      if (wanted) onFile(header.name, tooLarge ? undefined : Buffer.concat(chunks)).then(() => { next(); }, next);
      else next();
    });
  });
  await pipeline(createReadStream(path), entries);
}

/** Scans each regular file of one layer. */
async function scanLayer(path: string, layer: number, into: ScanReport): Promise<void> {
  await readLayer(path, async (name, content) => {
    const file = `layer ${layer}: /${name}`;
    if (content === undefined) into.tooLarge.push(file);
    else await scanInto(into, { file, content });
  });
}

/**
 * Scans an image on the engine for secrets: every file its own layers add (a file deleted by a later layer is still
 * in the image, in the layer that added it), and its environment, labels, commands and history. The base image's
 * layers are left out when the engine has it: the base is pinned by digest and reviewed once (docs/supply-chain.md).
 */
export async function scanImage(docker: Docker, reference: string, baseImage: string | undefined): Promise<ImageScan> {
  const saved = await mkdtemp(join(tmpdir(), 'image-secrets-'));
  try {
    await pipeline(await docker.getImage(reference).get(), tarFs.extract(saved));
    const manifest = JSON.parse(await readFile(join(saved, 'manifest.json'), 'utf8')) as [SavedManifest];
    const { Config, Layers } = manifest[0];
    const config = JSON.parse(await readFile(join(saved, Config), 'utf8')) as ImageConfig;
    const base = baseImage === undefined ? undefined : await docker.getImage(baseImage).inspect().catch(() => undefined);
    const scan: ImageScan = { ...emptyReport(), baseLayers: sharedPrefix(config.rootfs.diff_ids, base?.RootFS.Layers ?? []) };
    for (const source of configSources(config)) scan.findings.push(...(await scanSource(source)));
    for (const [index, layer] of Layers.entries()) {
      if (index >= scan.baseLayers) await scanLayer(join(saved, layer), index + 1, scan);
    }
    return scan;
  } finally {
    await rm(saved, { recursive: true, force: true });
  }
}
