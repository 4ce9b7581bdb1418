import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { bareNode, bundledService, falconMissing, falconOriginal, falconPerCore, plainFastify, type Launcher } from '../lib/contenders.ts';
import { runLoad, type LoadResult } from '../lib/load.ts';
import { randomIndices } from '../lib/random-mix.ts';
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

/** What the load asks for: one URL again and again, or a new path for each request. */
interface Workload {
  name: string;
  path: string;
  /** A fresh sequence of requests, the same for every server (the one URL when absent). */
  requests?: () => autocannon.Request[];
}

/** fibonacci's default FIB_MAX_N, which every server here runs with. */
const maxN = 10_000;
const randomMix = 'random n, 0 to 10 000';
const oneUrl = (path: string): Workload => ({ name: path, path });
const workloads: Workload[] = [
  oneUrl('/api/fibonacci/30'),
  oneUrl('/api/fibonacci/10000'),
  {
    name: randomMix,
    path: '/api/fibonacci/',
    requests: () => {
      const next = randomIndices(20_261_129, maxN);
      return [{ method: 'GET', setupRequest: (request) => ({ ...request, path: fibonacciPath(next()) }) }];
    },
  },
  oneUrl('/api/ping'),
];
const paths = workloads.filter((workload) => workload.requests === undefined).map((workload) => workload.path);
const ours = 'fibonacci (bundle)';
const bare = 'bare node:http';
const falcon = 'Falcon + gunicorn (the original: 1 worker)';
const falconAllCores = 'Falcon + gunicorn, 1 worker per core';

/**
 * Throughput and latency of the bundled fibonacci service beside a bare node:http server (the
 * ceiling) and the Falcon/gunicorn original, all running at once and measured in turns: every round
 * visits each workload and server once, starting with a different server, and the medians are compared.
 * For the random mix the ceiling answers from a table of every answer, which plain Fastify computes first.
 */
export async function measureHttp(fibonacci: ServiceProject, options: HttpOptions): Promise<Section[]> {
  const service = await startServer(ours, bundledService(fibonacci));
  const running: RunningServer[] = [service];
  const tableDir = await mkdtemp(join(tmpdir(), 'bench-answers-'));
  try {
    const bodies = Object.fromEntries(await Promise.all(paths.map(async (path) => [path, await bodyOf(service.url + path)] as const)));
    const fastify = await startServer('plain Fastify', plainFastify(bodies));
    running.push(fastify);
    const table = { ...(await answersOf(fastify.url, Array.from({ length: maxN + 1 }, (_, n) => fibonacciPath(n)))), ...bodies };
    const tableFile = join(tableDir, 'answers.json');
    await writeFile(tableFile, JSON.stringify(table));
    const contenders: Contender[] = [{ label: bare, launcher: bareNode({ file: tableFile }) }];
    const falconAbsent = falconMissing();
    if (falconAbsent === undefined) {
      contenders.push({ label: falcon, launcher: falconOriginal() }, { label: falconAllCores, launcher: falconPerCore() });
    }

    const servers = new Map<string, RunningServer>([[ours, service], ['plain Fastify', fastify]]);
    for (const { label, launcher } of contenders) {
      const server = await startServer(label, launcher);
      running.push(server);
      servers.set(label, server);
    }
    // Everyone answers every path with the same bytes. Asking each n once also puts the servers where a service
    // is after running a while, for the random mix: the first answer for an n is what the Large n table shows.
    for (const [label, server] of servers) {
      const answers = await answersOf(server.url, Object.keys(table));
      for (const [path, body] of Object.entries(answers)) {
        if (body !== table[path]) throw new Error(`${label} answers ${path} with other bytes than our service:\n${body.slice(0, 200)}`);
      }
    }
    const idleRss = new Map([...servers].map(([label, server]) => [label, residentBytes(server.child.pid ?? 0)]));

    const samples = new Map<string, Sample[]>();
    const labels = [...servers.keys()];
    for (let round = 0; round < options.rounds; round++) {
      for (const workload of workloads) {
        for (const label of rotate(labels, round)) {
          const server = servers.get(label);
          if (server === undefined) continue;
          const key = `${workload.name} ${label}`;
          samples.set(key, [...(samples.get(key) ?? []), await measureOnce(server, workload, options)]);
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
    await rm(tableDir, { recursive: true, force: true });
  }
}

function fibonacciPath(n: number): string {
  return `/api/fibonacci/${n}`;
}

/** The server's answers to the paths, path → body, fetched a few at a time. */
async function answersOf(baseUrl: string, paths: string[]): Promise<Record<string, string>> {
  const answers: Record<string, string> = {};
  let next = 0;
  const fetcher = async () => {
    for (let path = paths[next++]; path !== undefined; path = paths[next++]) answers[path] = await bodyOf(baseUrl + path);
  };
  await Promise.all(Array.from({ length: 8 }, fetcher));
  return answers;
}

async function measureOnce(server: RunningServer, workload: Workload, options: HttpOptions): Promise<Sample> {
  const url = server.url + workload.path;
  await runLoad({ url, requests: workload.requests?.(), connections: options.connections, durationSeconds: options.warmupSeconds });
  const pid = server.child.pid ?? 0;
  const cpuBefore = cpuSeconds(pid);
  const result = await runLoad({ url, requests: workload.requests?.(), connections: options.connections, durationSeconds: options.durationSeconds });
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
  const capacityOver = (path: string, label: string) => {
    const reference = cpu(path, label);
    return reference === undefined ? undefined : ratio(reference, cpu(path, ours));
  };

  const rows = workloads.map((workload) => workload.name).flatMap((path) =>
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
      columns: ['workload', 'server', 'req/s', 'p50', 'p99', 'server CPU per request', 'errors + non-2xx', 'fibonacci ÷ this'],
      rows,
      notes: [
        `Medians of ${options.rounds} round${options.rounds === 1 ? '' : 's'}; each round measures every path on every server for ${options.durationSeconds} s after ${options.warmupSeconds} s of warm-up, ` +
          `with ${options.connections} connections from autocannon in the bench process. All servers run at the same time and take turns.`,
        'bare node:http and plain Fastify (no logger, plugins or schemas) answer the very bytes our service sends; they show what Node and the framework cost on their own. ' +
          'For one URL both send a fixed body. For the random mix (each request a new n from a seeded sequence, the same for every server) bare node:http looks every answer up in a table, and plain Fastify computes each one with our service\'s code, with no cache. ' +
          'Before the rounds every server is asked every path once and must answer the same bytes; so the random mix shows a service that has run a while, and the Large n table shows what a first answer costs.',
        'Our service is one Node process (as in its image). The original runs gunicorn\'s default, one sync worker (`gunicorn --bind 0.0.0.0:8000 fibonacci:app` in its tutorial): the targets compare with that; a second Falcon server has one worker per core, all the machine against our one process. Server CPU per request is user + system time of the server process tree.',
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
      target('fibonacci ÷ the Falcon original, n = 10 000, req/s', 25, oursOver('/api/fibonacci/10000', falcon), falconAbsent),
      target('fibonacci ÷ the Falcon original, n = 10 000, requests per CPU second', 25, capacityOver('/api/fibonacci/10000', falcon), falconAbsent),
      target(`fibonacci ÷ bare node:http (every answer in a table), ${randomMix}, req/s`, 0.8, oursOver(randomMix, bare)),
      target(`fibonacci ÷ bare node:http (every answer in a table), ${randomMix}, requests per CPU second`, 0.8, capacityOver(randomMix, bare)),
      target(`fibonacci ÷ the Falcon original, ${randomMix}, req/s`, 8, oursOver(randomMix, falcon), falconAbsent),
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
      notes: [
        `Resident memory of the whole process tree (gunicorn: master and workers); per connection = (peak − idle) ÷ ${connections} connections.`,
        `Idle is after every server answered every n from 0 to ${maxN} once: our service then keeps every answer in its response cache, and bare node:http holds its table.`,
      ],
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
