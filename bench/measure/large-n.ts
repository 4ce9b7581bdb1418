import { bundledService, falconMissing, falconOriginal, type Launcher } from '../lib/contenders.ts';
import { formatMs, formatRatio, notMeasured, type Section } from '../lib/report.ts';
import { startServer } from '../lib/server-process.ts';
import type { ServiceProject } from '../lib/services.ts';
import { median, ratio } from '../lib/stats.ts';

/** The ceiling FIB_MAX_N allows (apps/fibonacci/src/options.ts), so the largest answer either server can give. */
const largestN = 100_000;
const sizes = [10_000, largestN];

/**
 * One request at a time for large n that neither server has answered before (n, n−1, n−2, …): the
 * cost of the big-integer work itself, which a cache never hides for a new n. Then the same n again,
 * which our service answers from its cache.
 */
export async function measureLargeN(fibonacci: ServiceProject, samples: number): Promise<Section> {
  const env = { FIB_MAX_N: String(largestN) };
  const falconAbsent = falconMissing();
  const contenders: [string, Launcher][] = [['fibonacci (bundle)', bundledService(fibonacci, env)]];
  if (falconAbsent === undefined) contenders.push(['Falcon + gunicorn', falconOriginal(env)]);

  const results = new Map<string, { first: number[]; again: number[] }>();
  for (const [label, launcher] of contenders) {
    const server = await startServer(label, launcher);
    try {
      for (const size of sizes) {
        const first: number[] = [];
        const again: number[] = [];
        for (let k = 0; k < samples; k++) {
          first.push(await timeRequest(`${server.url}/api/fibonacci/${size - k}`));
          again.push(await timeRequest(`${server.url}/api/fibonacci/${size - k}`));
        }
        results.set(`${size} ${label}`, { first, again });
      }
    } finally {
      await server.stop();
    }
  }

  const firstMedian = (size: number, label: string) => {
    const list = results.get(`${size} ${label}`)?.first;
    return list === undefined ? undefined : median(list);
  };
  const rows = sizes.flatMap((size) =>
    contenders.map(([label]) => {
      const result = results.get(`${size} ${label}`);
      if (result === undefined) return [String(size), label, 'n/a', 'n/a', ''];
      const speedup = label === contenders[0]?.[0] ? '' : formatRatio(ratio(firstMedian(size, label) ?? 0, firstMedian(size, contenders[0]?.[0] ?? '')));
      return [size.toLocaleString('en-US'), label, formatMs(median(result.first)), formatMs(median(result.again)), speedup];
    }),
  );
  return {
    table: {
      title: 'Large n, one request at a time',
      columns: ['n', 'server', 'new n', 'same n again', 'this ÷ fibonacci (new n)'],
      rows,
      notes: [
        `Medians over ${samples} consecutive n ending at the given one, each asked twice; FIB_MAX_N=${largestN} on both servers. Times are whole HTTP round trips on loopback.`,
        ...(falconAbsent === undefined ? [] : [notMeasured(`Falcon + gunicorn: ${falconAbsent}`)]),
      ],
    },
    data: Object.fromEntries(results),
  };
}

async function timeRequest(url: string): Promise<number> {
  const startedAt = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return performance.now() - startedAt;
}
