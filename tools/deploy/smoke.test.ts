import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { smoke, smokeOnce } from './smoke.ts';

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

afterEach(async () => {
  vi.restoreAllMocks();
  const closing = server;
  if (closing) await new Promise((resolve) => closing.close(resolve));
  server = undefined;
});

describe('smoke', () => {
  it('passes once the service answers 2xx, printing each answer', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => lines.push(line));
    const url = await serve(503, 503, 200);
    expect(await smoke(url, 5_000, 10)).toBe(true);
    expect(lines).toEqual([`GET ${url} → 503 {"message":"starting"}`, `GET ${url} → 503 {"message":"starting"}`, `GET ${url} → 200 {"ping":"pong"}`]);
  });

  it('fails when the service never answers 2xx in time', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await smoke(await serve(500), 50, 10)).toBe(false);
  });

  it('says so when nothing answers at all', async () => {
    const url = await serve(200);
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    expect(await smokeOnce(url)).toEqual({ ok: false, line: expect.stringMatching(/no answer \(fetch failed: connect ECONNREFUSED/) as string });
  });
});
