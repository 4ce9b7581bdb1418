import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { bareNode as bareNodeServer, bundledService, serviceFromSources, type Launcher } from '../lib/contenders.ts';
import { formatMs, formatRatio, type Section } from '../lib/report.ts';
import { startServer } from '../lib/server-process.ts';
import type { ServiceProject } from '../lib/services.ts';
import { median } from '../lib/stats.ts';

const goalMs = 150;
/** Node itself takes 35 to 65 ms to start on a 2-core host, depending on load: the goal scales with it. */
const goalOverBareNode = 2.5;
const bareNode = 'bare node:http';

/**
 * Spawn to the port accepting connections, median of `runs` starts, for each service and a bare node:http.
 * A bundle's first start has no V8 code cache, so it shows what a container without one pays.
 */
export async function measureStartup(services: ServiceProject[], runs: number): Promise<Section> {
  // What the first start of a bundle writes for the next ones (tools/build/code-cached-start.ts): empty, as in a new container.
  for (const service of services) await rm(join(dirname(service.bundle), 'service.cjs.cache'), { force: true });
  const contenders: [string, Launcher][] = [
    [bareNode, bareNodeServer({})],
    ...services.flatMap((service): [string, Launcher][] => [
      [`${service.name} (bundle)`, bundledService(service)],
      [`${service.name} (sources)`, serviceFromSources(service)],
    ]),
  ];
  const results = new Map<string, number[]>(contenders.map(([label]) => [label, []]));
  for (let run = 0; run < runs; run++) {
    for (const [label, launcher] of contenders) {
      const server = await startServer(label, launcher);
      await server.stop();
      results.get(label)?.push(server.startMs);
    }
  }
  const medians = new Map([...results].map(([label, times]) => [label, median(times)]));
  return {
    table: {
      title: 'Start to listen',
      columns: ['server', 'first start', 'median', 'fastest', 'slowest'],
      rows: [...results].map(([label, times]) => [label, formatMs(times[0] ?? 0), formatMs(medians.get(label) ?? 0), formatMs(Math.min(...times)), formatMs(Math.max(...times))]),
      notes: [
        `From spawning \`node\` to the port accepting a TCP connection, ${runs} starts each, in turns. Services run with their default settings.`,
        "A bundle's first start has no V8 code cache and writes one beside the bundle once it listens; the later ones read it (an image is built with it).",
      ],
    },
    data: Object.fromEntries(results),
    targets: services.map((service) => {
      const value = medians.get(`${service.name} (bundle)`) ?? Infinity;
      const overBare = value / (medians.get(bareNode) ?? Infinity);
      return {
        name: `${service.name} bundle: start → listen`,
        goal: `≤ ${goalMs} ms, or ≤ ${goalOverBareNode}× ${bareNode} started the same way`,
        measured: `${formatMs(value)} (${formatRatio(overBare)} ${bareNode})`,
        met: value <= goalMs || overBare <= goalOverBareNode,
      };
    }),
  };
}
