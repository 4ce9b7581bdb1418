import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-fs';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { ensureBaseImage } from '../../tools/docker/lib/base-image.ts';
import { connectEngine } from '../../tools/docker/lib/engine.ts';
import { removeImages } from '../../tools/docker/testing/remove-images.ts';
import { formatMiB } from '../lib/report.ts';
import { runCommand } from '../lib/run-command.ts';
import { workspaceRoot } from '../lib/services.ts';
import { services } from './support.ts';

/** Our images live under this repository so they cannot clash with anyone else's on a shared engine. */
const repository = 'reliability-images';

// Secrets a CI job or a developer's shell has in its environment while it bundles and builds: none may
// end up in the image. Fresh random values, so a match can only be a leak.
const canaries = Object.fromEntries(
  ['CI_REGISTRY_PASSWORD', 'CI_JOB_TOKEN', 'DOCKER_HUB_TOKEN', 'OPENWEATHER_API_KEY', 'NPM_TOKEN'].map((name) => [name, `canary-${randomBytes(12).toString('hex')}`]),
);

/** Shapes of secrets that have no business in a service's own layers, whatever their value. */
const secretShapes: [string, RegExp][] = [
  ['private key', /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/],
  ['GitLab token', /\bglpat-[\w-]{20}/],
  ['npm token', /\bnpm_[A-Za-z0-9]{36}\b/],
  ['AWS access key', /\bAKIA[0-9A-Z]{16}\b/],
  ['.npmrc auth', /_authToken=/],
];

const docker = await connectEngine();
const base = await ensureBaseImage(docker);
const report: string[] = [];

afterAll(async () => {
  await removeImages(docker, [`${repository}/*`]);
  console.log([`images (base ${base.name}, ${formatMiB(base.size)}):`, ...report].join('\n'));
});

describe.each(services)('the $name image', (service) => {
  it('runs as a non-root user and has no secret from the build environment, nor any key or token, in any layer', async () => {
    await run(process.execPath, ['tools/build/bundle.ts', `apps/${service.name}`]);
    const output = await run(process.execPath, ['tools/docker/cli.ts', 'build', '--project', service.name, '--base-image', base.name]);
    const reference = /built (\S+) \(/.exec(output)?.[1];
    expect(reference, output).toBeDefined();
    const image = await docker.getImage(reference ?? '').inspect();

    expect(image.Config.User, 'the USER of the image').toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);

    const baseLayers = new Set((await docker.getImage(base.name).inspect()).RootFS.Layers);
    const layers = await unpackLayers(reference ?? '');
    const findings: string[] = [];
    let files = 0;
    for (const layer of layers) {
      for (const file of await walk(layer.dir)) {
        files++;
        const content = await readFile(file, 'latin1');
        const where = `${file.slice(layer.dir.length)} (layer ${layer.diffId.slice(7, 19)})`;
        for (const [name, value] of Object.entries(canaries)) if (content.includes(value)) findings.push(`${name} in ${where}`);
        // The base is Node itself (its binary holds PEM markers as strings); shapes are looked for in our layers.
        if (!baseLayers.has(layer.diffId)) for (const [shape, pattern] of secretShapes) if (pattern.test(content)) findings.push(`a ${shape} in ${where}`);
      }
    }
    const config = JSON.stringify([image.Config, (await docker.getImage(reference ?? '').history()) as unknown]);
    for (const [name, value] of Object.entries(canaries)) if (config.includes(value)) findings.push(`${name} in the image's config or history`);

    report.push(`  ${service.name}: ${formatMiB(image.Size)} (${formatMiB(image.Size - base.size)} over the base), user ${image.Config.User}, ${layers.length} layers, ${files} files scanned, ${findings.length} secrets found`);
    expect(findings).toEqual([]);
  });
});

/** Runs a workspace command with the canaries in its environment; resolves to its output, fails on a non-zero exit. */
async function run(command: string, args: string[]): Promise<string> {
  const { code, output } = await runCommand(command, args, { cwd: workspaceRoot, env: { ...process.env, ...canaries, IMAGE_REPOSITORY: repository } });
  if (code !== 0) throw new Error(`${args.join(' ')} failed:\n${output.slice(-3000)}`);
  return output;
}

interface Layer {
  diffId: string;
  dir: string;
}

/** `docker save`, every layer unpacked into a folder of its own (removed when the test ends), in order. */
async function unpackLayers(reference: string): Promise<Layer[]> {
  const root = await mkdtemp(join(os.tmpdir(), 'reliability-image-'));
  onTestFinished(() => rm(root, { recursive: true, force: true }));
  await pipeline(await docker.getImage(reference).get(), extract(join(root, 'saved')));
  const [manifest] = JSON.parse(await readFile(join(root, 'saved/manifest.json'), 'utf8')) as { Config: string; Layers: string[] }[];
  const config = JSON.parse(await readFile(join(root, 'saved', manifest?.Config ?? ''), 'utf8')) as { rootfs: { diff_ids: string[] } };
  const layers: Layer[] = [];
  for (const [index, layerTar] of (manifest?.Layers ?? []).entries()) {
    const dir = join(root, `layer-${index}`);
    await pipeline(createReadStream(join(root, 'saved', layerTar)), extract(dir, { dmode: 0o755, fmode: 0o644 }));
    layers.push({ diffId: config.rootfs.diff_ids[index] ?? '', dir });
  }
  return layers;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}
