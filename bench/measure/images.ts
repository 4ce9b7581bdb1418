import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureBaseImage } from '../../tools/docker/lib/base-image.ts';
import { connectEngine } from '../../tools/docker/lib/engine.ts';
import { removeImages } from '../../tools/docker/testing/remove-images.ts';
import { formatMiB, formatMs, notMeasured, type Section } from '../lib/report.ts';
import { runCommand } from '../lib/run-command.ts';
import { freePort } from '../lib/server-process.ts';
import { workspaceRoot, type ServiceProject } from '../lib/services.ts';
import { median } from '../lib/stats.ts';

/** Our images live under this repository so they cannot clash with anyone else's on a shared engine. */
const repository = 'bench-images';
const layerGoalBytes = 10_000_000;
const healthyWithinMs = 30_000;

interface ImageResult {
  service: string;
  bytes: number;
  overBase: number;
  startToHealthyMs: number[];
}

/**
 * Each service's image built by tools/docker on the local Node base (no pull), its size over that
 * base, and the time from `docker start` to /health answering 200, median of `starts`.
 */
export async function measureImages(services: ServiceProject[], starts: number): Promise<Section> {
  const docker = await connectEngine().catch((error: unknown) => error as Error);
  if (docker instanceof Error) return unavailable(docker.message);
  const base = await ensureBaseImage(docker);
  const results: ImageResult[] = [];
  for (const service of services) {
    const reference = await buildImage(service.name, base.name);
    try {
      const { Size } = await docker.getImage(reference).inspect();
      const startToHealthyMs: number[] = [];
      for (let start = 0; start < starts; start++) startToHealthyMs.push(await timeToHealthy(docker, reference));
      results.push({ service: service.name, bytes: Size, overBase: Size - base.size, startToHealthyMs });
    } finally {
      await removeImages(docker, [`${repository}/${service.name}`]);
    }
  }
  return {
    table: {
      title: 'Images',
      columns: ['service', 'image', 'over the base', 'start → /health 200 (median)'],
      rows: results.map(({ service, bytes, overBase, startToHealthyMs }) => [service, formatMiB(bytes), formatMiB(overBase), formatMs(median(startToHealthyMs))]),
      notes: [
        `Built with \`node tools/docker/cli.ts build\` on ${base.name} (${formatMiB(base.size)}, Node ${base.nodeVersion}, made from this machine's node: no pull). ` +
          `Start → healthy: from \`docker start\` (host network) until GET /health answers 200, polled every 10 ms, ${starts} starts each.`,
      ],
    },
    data: { base, results },
    targets: results.map(({ service, overBase }) => ({
      name: `${service} image: layers over the base`,
      goal: '≤ 10 MB',
      measured: `${(overBase / 1e6).toFixed(1)} MB`,
      met: overBase <= layerGoalBytes,
    })),
  };
}

async function buildImage(project: string, baseImage: string): Promise<string> {
  const { code, output } = await runCommand(process.execPath, ['tools/docker/cli.ts', 'build', '--project', project, '--base-image', baseImage], {
    cwd: workspaceRoot,
    env: { ...process.env, IMAGE_REPOSITORY: repository },
  });
  const reference = /built (\S+) \(/.exec(output)?.[1];
  if (code !== 0 || reference === undefined) throw new Error(`tools/docker build --project ${project} failed:\n${output.slice(-3000)}`);
  return reference;
}

async function timeToHealthy(docker: Awaited<ReturnType<typeof connectEngine>>, image: string): Promise<number> {
  const port = await freePort();
  const container = await docker.createContainer({
    name: `bench-${randomUUID().slice(0, 8)}`,
    Image: image,
    Env: [`PORT=${port}`, 'HOST=127.0.0.1'],
    HostConfig: { NetworkMode: 'host' },
  });
  try {
    const startedAt = performance.now();
    await container.start();
    while (performance.now() - startedAt < healthyWithinMs) {
      const healthy = await fetch(`http://127.0.0.1:${port}/health`).then((response) => response.ok, () => false);
      if (healthy) return performance.now() - startedAt;
      await sleep(10);
    }
    throw new Error(`${image} did not answer /health within ${healthyWithinMs} ms`);
  } finally {
    await container.remove({ force: true });
  }
}

function unavailable(why: string): Section {
  return {
    table: { title: 'Images', columns: ['measurement', 'result'], rows: [['image size, start → healthy', notMeasured(why)]] },
    data: { measured: false, reason: why },
    targets: [{ name: 'image layers over the base', goal: '≤ 10 MB', measured: notMeasured('no Docker engine'), met: undefined }],
  };
}
