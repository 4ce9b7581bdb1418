import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchmarksPage, updateBenchmarksPage } from './lib/docs-page.ts';
import { describeMachine } from './lib/machine.ts';
import { renderMarkdown, type BenchReport, type Section } from './lib/report.ts';
import { discoverServices, workspaceRoot, type ServiceProject } from './lib/services.ts';
import { measureHttp, type HttpOptions } from './measure/http.ts';
import { measureImages } from './measure/images.ts';
import { measureLargeN } from './measure/large-n.ts';
import { measureNx } from './measure/nx.ts';
import { measureScaffold } from './measure/scaffold.ts';
import { measureStartup } from './measure/startup.ts';

const usage = `npm run bench [-- --quick] [-- --only=http,large-n,startup,nx,scaffold,images] [-- --update-docs]
  --quick          one short round (a rough look, not numbers to publish)
  --only           run only these measurements
  --update-docs    put the tables into ${benchmarksPage}`;

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, 'update-docs': { type: 'boolean', default: false }, help: { type: 'boolean' } },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const http: HttpOptions = values.quick
  ? { connections: 100, durationSeconds: 2, warmupSeconds: 1, rounds: 1 }
  : { connections: 100, durationSeconds: 3, warmupSeconds: 1, rounds: 5 };
const startupRuns = values.quick ? 3 : 10;
const largeNSamples = values.quick ? 3 : 10;
const scaffoldRuns = values.quick ? 1 : 3;
const containerStarts = values.quick ? 1 : 5;

type Measurement = (services: ServiceProject[], fibonacci: ServiceProject | undefined) => Promise<Section[]>;
const withFibonacci = (measure: (fibonacci: ServiceProject) => Promise<Section[]>): Measurement => async (_services, fibonacci) =>
  fibonacci ? measure(fibonacci) : [];
const measurements: Record<string, Measurement> = {
  http: withFibonacci((fibonacci) => measureHttp(fibonacci, http)),
  'large-n': withFibonacci(async (fibonacci) => [await measureLargeN(fibonacci, largeNSamples)]),
  startup: async (services) => [await measureStartup(services, startupRuns)],
  nx: async (services) => (services[0] ? [await measureNx(services[0])] : []),
  scaffold: async () => [await measureScaffold(scaffoldRuns)],
  images: async (services) => [await measureImages(services, containerStarts)],
};

const chosen = values.only?.split(',') ?? Object.keys(measurements);
const unknown = chosen.filter((name) => !(name in measurements));
if (unknown.length > 0) {
  console.error(`bench: unknown measurement ${unknown.join(', ')}\n${usage}`);
  process.exit(2);
}

const services = await discoverServices();
const build = spawnSync(process.execPath, ['node_modules/.bin/nx', 'run-many', '-t', 'build', `--projects=${services.map((s) => s.name).join(',')}`], {
  cwd: workspaceRoot,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (build.status !== 0) throw new Error('bench: `nx run-many -t build` failed; the bench measures the bundles it makes');

const report: BenchReport = {
  machine: await describeMachine(),
  startedAt: new Date().toISOString(),
  settings: { connections: http.connections, 'seconds per run': http.durationSeconds, 'warm-up seconds': http.warmupSeconds, rounds: http.rounds },
  targets: [],
  sections: [],
};
const fibonacci = services.find((service) => service.name === 'fibonacci');
const failed: string[] = [];
for (const name of chosen) {
  console.error(`bench: ${name}…`);
  try {
    const sections = (await measurements[name]?.(services, fibonacci)) ?? [];
    report.sections.push(...sections);
    report.targets.push(...sections.flatMap((section) => section.targets ?? []));
  } catch (error) {
    // One broken measurement must not cost the others' numbers: say so in the table and fail at the end.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`bench: ${name} failed: ${message}`);
    failed.push(name);
    report.sections.push({ table: { title: `${name}: failed`, columns: ['error'], rows: [[message.split('\n')[0] ?? '']] }, data: { error: message } });
  }
}
report.machine['load average (1 min) at the end'] = os.loadavg()[0]?.toFixed(2) ?? 'unknown';

const markdown = renderMarkdown(report);
const resultsDir = join(workspaceRoot, 'bench/results');
await mkdir(resultsDir, { recursive: true });
await writeFile(join(resultsDir, 'latest.md'), markdown);
await writeFile(join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(markdown);
if (values['update-docs']) await updateBenchmarksPage(join(workspaceRoot, benchmarksPage), markdown);
if (failed.length > 0) {
  console.error(`bench: ${failed.join(', ')} failed (see above)`);
  process.exitCode = 1;
}
