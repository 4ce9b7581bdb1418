import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startTestUpstream, testApiKey } from './upstream-helper.ts';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** The limits the service measures on the clock, at their widest: a busy machine must turn no healthy request into a 504 or 503, nor a shutdown into exit code 1. */
const unhurried = { UPSTREAM_TIMEOUT_MS: '60000', MAX_EVENT_LOOP_DELAY_MS: '0', SHUTDOWN_TIMEOUT_MS: '600000' };

/** src/main.ts as a real process, configured by environment only; resolves with its URL once it listens. */
async function startService(env: Record<string, string>) {
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', PORT: '0', ...unhurried, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  // 'close', not 'exit': a process can exit before all it wrote has been read.
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  onTestFinished(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await closed;
  });
  const stdout: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout.push(line);
      const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      if (listening) resolve(listening);
    });
    void closed.then((code) => {
      reject(new Error(`main.ts exited with ${String(code)}`));
    });
  });
  const stop = () => {
    child.kill('SIGTERM');
    return closed;
  };
  return { url, stdout, stop };
}

describe('the service as a process', () => {
  it('serves Open-Meteo by default, with no key and no signup', async () => {
    const fake = await startTestUpstream();
    const service = await startService({ OPEN_METEO_GEOCODING_URL: fake.url, OPEN_METEO_FORECAST_URL: fake.url });
    const response = await fetch(`${service.url}/api/weather?city=London`);
    expect(await response.json()).toMatchObject({ provider: 'open-meteo', place: 'London' });
    expect(await service.stop()).toBe(0);
    expect(service.stdout.join('\n')).toContain('"msg":"weather from open-meteo"');
  });

  it('takes the OpenWeather key from the environment and never writes it to its log', async () => {
    const fake = await startTestUpstream({ openWeatherApiKey: testApiKey });
    const service = await startService({ OPENWEATHER_API_KEY: testApiKey, OPENWEATHER_BASE_URL: fake.url, LOG_LEVEL: 'trace', LOG_REQUESTS: 'true' });
    expect((await fetch(`${service.url}/api/weather?city=London`)).status).toBe(200);
    fake.fail('reset');
    expect((await fetch(`${service.url}/api/weather?city=London&units=imperial`)).status).toBe(502);
    expect((await fetch(`${service.url}/weather`, { method: 'POST', body: new URLSearchParams({ city: 'London' }) })).status).toBe(502);
    expect(await service.stop()).toBe(0);

    const log = service.stdout.join('\n');
    expect(log).toContain('"msg":"weather from openweather"');
    expect(log).toContain('Could not reach OpenWeather');
    expect(log).not.toContain(testApiKey);
  });
});
