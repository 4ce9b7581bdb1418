import { bareNode, bundledService, serviceFromSources, type Launcher } from '../lib/contenders.ts';
import { formatMs, type Section } from '../lib/report.ts';
import { startServer } from '../lib/server-process.ts';
import type { ServiceProject } from '../lib/services.ts';
import { median } from '../lib/stats.ts';

const goalMs = 150;

/** Spawn to the port accepting connections, median of `runs` cold starts, for each service and a bare node:http. */
export async function measureStartup(services: ServiceProject[], runs: number): Promise<Section> {
  const contenders: [string, Launcher][] = [
    ['bare node:http', bareNode({})],
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
      columns: ['server', 'median', 'fastest', 'slowest'],
      rows: [...results].map(([label, times]) => [label, formatMs(medians.get(label) ?? 0), formatMs(Math.min(...times)), formatMs(Math.max(...times))]),
      notes: [`From spawning \`node\` to the port accepting a TCP connection, ${runs} cold starts each, in turns. Services run with their default settings.`],
    },
    data: Object.fromEntries(results),
    targets: services.map((service) => {
      const value = medians.get(`${service.name} (bundle)`) ?? Infinity;
      return { name: `${service.name} bundle: start → listen`, goal: `≤ ${goalMs} ms`, measured: formatMs(value), met: value <= goalMs };
    }),
  };
}
