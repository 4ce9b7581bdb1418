import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureBaseImage } from '../../tools/docker/lib/base-image.ts';
import { connectEngine } from '../../tools/docker/lib/engine.ts';
import { removeImages } from '../../tools/docker/testing/remove-images.ts';
import { formatMiB, formatMs, formatRatio, notMeasured, type Section } from '../lib/report.ts';
import { runCommand } from '../lib/run-command.ts';
import { freePort } from '../lib/server-process.ts';
import { workspaceRoot, type ServiceProject } from '../lib/services.ts';
import { median, ratio } from '../lib/stats.ts';

/** Our images live under this repository so they cannot clash with anyone else's on a shared engine. */
const repository = 'bench-images';
const layerGoalBytes = 10_000_000;
const startGoalMs = 200;
const healthyWithinMs = 30_000;

/** What a container runs: an image, and a command and settings instead of its own. */
interface Contender {
  name: string;
  image: string;
  cmd?: string[];
  env?: string[];
  startToHealthyMs: number[];
}

/** A service's image, started as it is. */
interface ImageResult extends Contender {
  bytes: number;
  overBase: number;
}

/** The floor of a container start here: the base image running bare node:http (bench/servers), answering /health. */
async function bareNodeOn(baseImage: string): Promise<Contender> {
  const server = await readFile(join(workspaceRoot, 'bench/servers/bare-node.mjs'), 'utf8');
  const bodies = JSON.stringify({ '/health': '{"status":"ok"}' });
  return { name: 'bare node:http', image: baseImage, cmd: ['node', '--input-type=module', '-e', server], env: [`BODIES=${bodies}`], startToHealthyMs: [] };
}

/**
 * Each service's image built by tools/docker on the local Node base (no pull), its size over that base, and the
 * time from `docker start` to /health answering 200, median of `starts`, beside the same for bare node:http on the
 * base: the services' and the floor's starts take turns, so a busy neighbour slows all alike.
 */
export async function measureImages(services: ServiceProject[], starts: number): Promise<Section> {
  const docker = await connectEngine().catch((error: unknown) => error as Error);
  if (docker instanceof Error) return unavailable(docker.message);
  const base = await ensureBaseImage(docker);
  const results: ImageResult[] = [];
  try {
    for (const service of services) {
      const image = await buildImage(service.name, base.name);
      const { Size } = await docker.getImage(image).inspect();
      results.push({ name: service.name, image, bytes: Size, overBase: Size - base.size, startToHealthyMs: [] });
    }
    const bare = await bareNodeOn(base.name);
    const contenders: Contender[] = [...results, bare];
    for (let start = 0; start < starts; start++) {
      for (const contender of contenders) contender.startToHealthyMs.push(await timeToHealthy(docker, contender));
    }
    const floorMs = median(bare.startToHealthyMs);
    const measured = results.map((result) => ({ ...result, startMs: median(result.startToHealthyMs) }));
    return {
      table: {
        title: 'Images',
        columns: ['service', 'image', 'over the base', 'start → /health 200 (median)', '÷ bare node:http'],
        rows: [
          ...measured.map(({ name, bytes, overBase, startMs }) => [name, formatMiB(bytes), formatMiB(overBase), formatMs(startMs), formatRatio(ratio(startMs, floorMs))]),
          [`${bare.name} on the base`, formatMiB(base.size), formatMiB(0), formatMs(floorMs), ''],
        ],
        notes: [
          `Built with \`node tools/docker/cli.ts build\` on ${base.name} (${formatMiB(base.size)}, Node ${base.nodeVersion}, made from this machine's node: no pull). ` +
            `Start → healthy: from \`docker start\` (host network) until GET /health answers 200, polled every 10 ms, ${starts} starts each, in turns. ` +
            `bare node:http on the base is the floor: the engine's start and Node's own, with no service.`,
        ],
      },
      data: { base, results, bareNode: bare.startToHealthyMs },
      targets: measured.flatMap(({ name, overBase, startMs }) => [
        { name: `${name} image: layers over the base`, goal: '≤ 10 MB', measured: `${(overBase / 1e6).toFixed(1)} MB`, met: overBase <= layerGoalBytes },
        {
          name: `${name} image: container start → /health 200`,
          goal: `≤ ${String(startGoalMs)} ms`,
          measured: `${formatMs(startMs)} (bare node:http on the base: ${formatMs(floorMs)})`,
          met: startMs <= startGoalMs,
        },
      ]),
    };
  } finally {
    await removeImages(docker, results.map(({ name }) => `${repository}/${name}`));
  }
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

async function timeToHealthy(docker: Awaited<ReturnType<typeof connectEngine>>, { image, cmd, env = [] }: Contender): Promise<number> {
  const port = await freePort();
  const container = await docker.createContainer({
    name: `bench-${randomUUID().slice(0, 8)}`,
    Image: image,
    ...(cmd && { Cmd: cmd }),
    Env: [`PORT=${port}`, 'HOST=127.0.0.1', ...env],
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
