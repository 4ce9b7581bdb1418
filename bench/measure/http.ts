import { bareNode, bundledService, falconMissing, falconOriginal, plainFastify, type Launcher } from '../lib/contenders.ts';
import { runLoad, type LoadResult } from '../lib/load.ts';
import { cpuSeconds, residentBytes } from '../lib/proc.ts';
import { formatCount, formatMiB, formatMs, formatRatio, notMeasured, type Section } from '../lib/report.ts';
import { startServer, type RunningServer } from '../lib/server-process.ts';
import type { ServiceProject } from '../lib/services.ts';
import { median, ratio } from '../lib/stats.ts';

export interface HttpOptions {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
}

interface Contender {
  label: string;
  launcher: Launcher;
}

interface Sample extends LoadResult {
  cpuMicrosecondsPerRequest: number;
}

const paths = ['/api/fibonacci/30', '/api/fibonacci/10000', '/api/ping'];
const ours = 'fibonacci (bundle)';
const bare = 'bare node:http';
const falcon = 'Falcon + gunicorn';

/**
 * Throughput and latency of the bundled fibonacci service beside a bare node:http server (the
 * ceiling) and the Falcon/gunicorn original, all running at once and measured in turns: every round
 * visits each path and server once, starting with a different server, and the medians are compared.
 */
export async function measureHttp(fibonacci: ServiceProject, options: HttpOptions): Promise<Section[]> {
  const service = await startServer(ours, bundledService(fibonacci));
  const running: RunningServer[] = [service];
  try {
    const bodies = Object.fromEntries(await Promise.all(paths.map(async (path) => [path, await bodyOf(service.url + path)] as const)));
    const contenders: Contender[] = [
      { label: bare, launcher: bareNode(bodies) },
      { label: 'plain Fastify', launcher: plainFastify(bodies) },
    ];
    const falconAbsent = falconMissing();
    if (falconAbsent === undefined) contenders.push({ label: falcon, launcher: falconOriginal() });

    const servers = new Map<string, RunningServer>([[ours, service]]);
    for (const { label, launcher } of contenders) {
      const server = await startServer(label, launcher);
      running.push(server);
      servers.set(label, server);
      for (const path of paths) {
        const body = await bodyOf(server.url + path);
        if (body !== bodies[path]) throw new Error(`${label} answers ${path} with other bytes than our service:\n${body.slice(0, 200)}`);
      }
    }
    const idleRss = new Map([...servers].map(([label, server]) => [label, residentBytes(server.child.pid ?? 0)]));

    const samples = new Map<string, Sample[]>();
    const labels = [...servers.keys()];
    for (let round = 0; round < options.rounds; round++) {
      for (const path of paths) {
        for (const label of rotate(labels, round)) {
          const server = servers.get(label);
          if (server === undefined) continue;
          const key = `${path} ${label}`;
          samples.set(key, [...(samples.get(key) ?? []), await measureOnce(server, path, options)]);
        }
      }
    }
    const peakRss = new Map([...servers].map(([label, server]) => [label, residentBytes(server.child.pid ?? 0, 'VmHWM')]));
    return [
      throughputSection(labels, samples, options, falconAbsent),
      memorySection(labels, idleRss, peakRss, options.connections),
    ];
  } finally {
    await Promise.all(running.map((server) => server.stop()));
  }
}

async function measureOnce(server: RunningServer, path: string, options: HttpOptions): Promise<Sample> {
  const url = server.url + path;
  await runLoad({ url, connections: options.connections, durationSeconds: options.warmupSeconds });
  const pid = server.child.pid ?? 0;
  const cpuBefore = cpuSeconds(pid);
  const result = await runLoad({ url, connections: options.connections, durationSeconds: options.durationSeconds });
  const cpuMicrosecondsPerRequest = ((cpuSeconds(pid) - cpuBefore) * 1e6) / Math.max(1, result.responses);
  return { ...result, cpuMicrosecondsPerRequest };
}

function throughputSection(labels: string[], samples: Map<string, Sample[]>, options: HttpOptions, falconAbsent: string | undefined): Section {
  const medians = new Map(
    [...samples].map(([key, list]) => [
      key,
      {
        requestsPerSecond: median(list.map((sample) => sample.requestsPerSecond)),
        p50Ms: median(list.map((sample) => sample.p50Ms)),
        p99Ms: median(list.map((sample) => sample.p99Ms)),
        cpuMicrosecondsPerRequest: median(list.map((sample) => sample.cpuMicrosecondsPerRequest)),
        failures: list.reduce((total, sample) => total + sample.errors + sample.non2xx, 0),
      },
    ]),
  );
  const rps = (path: string, label: string) => medians.get(`${path} ${label}`)?.requestsPerSecond;
  const oursOver = (path: string, label: string) => ratio(rps(path, ours) ?? 0, rps(path, label));
  // Requests a core can serve, from the CPU each request took: steadier than req/s on a shared machine.
  const cpu = (path: string, label: string) => medians.get(`${path} ${label}`)?.cpuMicrosecondsPerRequest;
  const capacityOver = (path: string, label: string) => ratio(cpu(path, label) ?? 0, cpu(path, ours));

  const rows = paths.flatMap((path) =>
    labels.map((label) => {
      const result = medians.get(`${path} ${label}`);
      if (result === undefined) return [path, label, 'n/a', '', '', '', '', ''];
      return [
        path,
        label,
        formatCount(result.requestsPerSecond),
        formatMs(result.p50Ms),
        formatMs(result.p99Ms),
        `${result.cpuMicrosecondsPerRequest.toFixed(0)} µs`,
        String(result.failures),
        label === ours ? '' : formatRatio(oursOver(path, label)),
      ];
    }),
  );
  const target = (name: string, goal: number, value: number | undefined, why?: string) => ({
    name,
    goal: `≥ ${goal}×`,
    measured: value === undefined ? notMeasured(why ?? 'no reference server') : formatRatio(value),
    met: value === undefined ? undefined : value >= goal,
  });
  return {
    table: {
      title: 'HTTP throughput and latency (fibonacci)',
      columns: ['path', 'server', 'req/s', 'p50', 'p99', 'server CPU per request', 'errors + non-2xx', 'fibonacci ÷ this'],
      rows,
      notes: [
        `Medians of ${options.rounds} round${options.rounds === 1 ? '' : 's'}; each round measures every path on every server for ${options.durationSeconds} s after ${options.warmupSeconds} s of warm-up, ` +
          `with ${options.connections} connections from autocannon in the bench process. All servers run at the same time and take turns.`,
        'bare node:http and plain Fastify (no logger, plugins or schemas) answer the very bytes our service sends; they show what Node and the framework cost on their own.',
        'Our service is one Node process (as in its image); gunicorn runs one sync worker per core. Server CPU per request is user + system time of the server process tree.',
        'req/s swings with whatever else runs on the machine (see the load average above); requests per CPU second (1 ÷ server CPU per request) is the steadier comparison of what each server can do.',
        ...(falconAbsent === undefined ? [] : [notMeasured(`Falcon + gunicorn: ${falconAbsent}`)]),
      ],
    },
    data: Object.fromEntries(samples),
    targets: [
      target('fibonacci ÷ bare node:http, n = 30, req/s', 0.9, oursOver('/api/fibonacci/30', bare)),
      target('fibonacci ÷ bare node:http, n = 30, requests per CPU second', 0.9, capacityOver('/api/fibonacci/30', bare)),
      target('fibonacci ÷ bare node:http, n = 10 000, req/s', 0.7, oursOver('/api/fibonacci/10000', bare)),
      target('fibonacci ÷ bare node:http, n = 10 000, requests per CPU second', 0.7, capacityOver('/api/fibonacci/10000', bare)),
      target('fibonacci ÷ Falcon + gunicorn, n = 10 000, req/s', 25, oursOver('/api/fibonacci/10000', falcon), falconAbsent),
      target('fibonacci ÷ Falcon + gunicorn, n = 10 000, requests per CPU second', 25, capacityOver('/api/fibonacci/10000', falcon), falconAbsent),
    ],
  };
}

function memorySection(labels: string[], idle: Map<string, number>, peak: Map<string, number>, connections: number): Section {
  const rows = labels.map((label) => {
    const idleBytes = idle.get(label) ?? 0;
    const peakBytes = peak.get(label) ?? 0;
    return [label, formatMiB(idleBytes), formatMiB(peakBytes), `${((peakBytes - idleBytes) / connections / 1024).toFixed(0)} KiB`];
  });
  return {
    table: {
      title: 'Memory',
      columns: ['server', 'resident, idle', 'resident, peak under load', 'per connection under load'],
      rows,
      notes: [`Resident memory of the whole process tree (gunicorn: master and workers); per connection = (peak − idle) ÷ ${connections} connections.`],
    },
    data: Object.fromEntries(labels.map((label) => [label, { idleBytes: idle.get(label), peakBytes: peak.get(label) }])),
  };
}

async function bodyOf(url: string): Promise<string> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return response.text();
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % Math.max(1, items.length);
  return [...items.slice(shift), ...items.slice(0, shift)];
}
