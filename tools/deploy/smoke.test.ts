import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, smoke, smokeOnce } from './smoke.ts';
import { fakeClock } from './testing/fake-clock.ts';
import { refusedPort } from './testing/refused-port.ts';

let server: Server | undefined;

/** A local server answering each request with the next status of the list (the last one repeats). */
async function serve(...statuses: number[]): Promise<string> {
  let count = 0;
  server = createServer((_req, res) => {
    res.statusCode = statuses[Math.min(count++, statuses.length - 1)] ?? 500;
    res.end(res.statusCode === 200 ? '{"ping":"pong"}' : '{"message":"starting"}');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/ping`;
}

/** What smoke() prints, line by line. */
function printed(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => lines.push(line));
  return lines;
}

afterEach(async () => {
  vi.restoreAllMocks();
  const closing = server;
  if (closing) await new Promise((resolve) => closing.close(resolve));
  server = undefined;
});

describe('smoke', () => {
  it('passes once the service answers 2xx, printing each answer', async () => {
    const lines = printed();
    const { clock, slept } = fakeClock();
    const url = await serve(503, 503, 200);
    expect(await smoke(url, 60_000, { clock })).toBe(true);
    expect(lines).toEqual([`GET ${url} → 503 {"message":"starting"}`, `GET ${url} → 503 {"message":"starting"}`, `GET ${url} → 200 {"ping":"pong"}`]);
    expect(slept).toEqual([2_000, 2_000]);
  });

  it('fails when the service never answers 2xx in time', async () => {
    const lines = printed();
    const { clock } = fakeClock();
    expect(await smoke(await serve(500), 10_000, { intervalMs: 2_000, clock })).toBe(false);
    // At 0, 2, ..., 10 s: a GET at the deadline itself still counts.
    expect(lines).toHaveLength(6);
  });

  it('says so when nothing answers at all', async () => {
    const closed = await refusedPort();
    try {
      expect(await smokeOnce(`http://127.0.0.1:${closed.port}/api/ping`)).toEqual({
        ok: false,
        line: expect.stringMatching(/no answer \(fetch failed: connect ECONNREFUSED/) as string,
      });
    } finally {
      await closed.release();
    }
  });
});

describe('node tools/deploy/smoke.ts', () => {
  const script = fileURLToPath(new URL('smoke.ts', import.meta.url));
  /** The script as the smoke job runs it; its exit code, stdout and stderr. */
  async function runScript(args: string[]) {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args]);
      return { code: 0, stdout, stderr };
    } catch (error) {
      const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
      return { code, stdout, stderr };
    }
  }

  /** A service that answers one path, as fibonacci answers its recorded smoke path, and 404 elsewhere. */
  async function serveOnly(path: string, body: string): Promise<string> {
    server = createServer((req, res) => {
      res.statusCode = req.url === path ? 200 : 404;
      res.end(req.url === path ? body : '{"message":"not found"}');
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('GETs the path it is given on the deployed URL', async () => {
    const lines = printed();
    const errors = vi.spyOn(console, 'error');
    const url = await serveOnly('/api/fibonacci/8', '{"n":8,"value":21}');
    // In process, on a clock of its own: one GET that took long must not turn into a second one.
    expect(await main([`${url}/`, '--path', '/api/fibonacci/8'], fakeClock().clock)).toBe(0);
    expect(lines).toEqual([`GET ${url}/api/fibonacci/8 → 200 {"n":8,"value":21}`]);
    expect(errors).not.toHaveBeenCalled();
  });

  it('fails when that path does not answer 2xx, whatever else does', async () => {
    const url = await serveOnly('/api/ping', '{"ping":"pong"}');
    const result = await runScript([url, '--path', '/api/fibonacci/8', '--timeout', '0']);
    expect(result).toMatchObject({ code: 1, stderr: `smoke: ${url}/api/fibonacci/8 did not answer 2xx within 0 s\n` });
  });

  it.each([
    [[], 'none was given'],
    [['--path', 'api/ping'], 'got "api/ping"'],
  ])('wants the path from the service settings (%j): exit 2, saying so', async (args, given) => {
    const result = await runScript(['http://127.0.0.1:9', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`smoke: --path must be the path to GET, starting with / (the service's metadata.service.smoke); ${given}\n`);
  });
});
