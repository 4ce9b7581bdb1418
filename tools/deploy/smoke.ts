import { parseArgs } from 'node:util';
import { systemClock, type Clock } from './clock.ts';

const usage = `Usage: node tools/deploy/smoke.ts <url> --path <path> [--timeout 60]

The smoke test after a deploy (the seeds' \`curl $HOST/api/ping\`): GET <url><path> every 2 s until it
answers 2xx, for up to --timeout seconds. <path> is the service's project.json metadata.service.smoke, which
the child pipeline passes to the smoke job. Exit status 0 when it did, 1 when it never did, 2 on bad usage.`;

export interface SmokeResult {
  ok: boolean;
  line: string;
}

/** One GET; the line says what came back. */
export async function smokeOnce(url: string, clock: Clock = systemClock): Promise<SmokeResult> {
  try {
    const response = await fetch(url, { signal: clock.timeout(5_000) });
    const body = (await response.text()).replace(/\s+/g, ' ').slice(0, 200);
    return { ok: response.ok, line: `GET ${url} → ${response.status} ${body}` };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { ok: false, line: `GET ${url} → no answer (${error instanceof Error ? error.message : String(error)}${cause})` };
  }
}

export interface SmokeOptions {
  intervalMs?: number;
  clock?: Clock;
}

export async function smoke(url: string, timeoutMs: number, { intervalMs = 2_000, clock = systemClock }: SmokeOptions = {}): Promise<boolean> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const result = await smokeOnce(url, clock);
    console.log(result.line);
    if (result.ok) return true;
    if (clock.now() + intervalMs > deadline) return false;
    await clock.sleep(intervalMs);
  }
}

export async function main(argv: string[], clock: Clock = systemClock): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { path: { type: 'string' }, timeout: { type: 'string', default: '60' }, help: { type: 'boolean', short: 'h' } },
  });
  const [base] = positionals;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (base === undefined || base === '' || !/^https?:\/\//.test(base) || !/^\d+$/.test(values.timeout)) {
    console.error(`smoke: ${base === undefined || base === '' ? 'the URL is empty (is DEPLOY_URL set by the deploy job?)' : `bad URL or --timeout: ${base}`}\n\n${usage}`);
    return 2;
  }
  if (!values.path?.startsWith('/')) {
    const given = values.path === undefined ? 'none was given' : `got ${JSON.stringify(values.path)}`;
    console.error(`smoke: --path must be the path to GET, starting with / (the service's metadata.service.smoke); ${given}\n\n${usage}`);
    return 2;
  }
  const url = `${base.replace(/\/+$/, '')}${values.path}`;
  if (await smoke(url, Number(values.timeout) * 1000, { clock })) return 0;
  console.error(`smoke: ${url} did not answer 2xx within ${values.timeout} s`);
  return 1;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
