import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { expectHealthy, services, startBundle, validPathsOf } from './support.ts';

/** Short, so the check is quick; the default (10 s) is for real hosts. */
const requestTimeoutMs = 2_000;
/** How often a slow client sends its next byte: it is never silent for long, so only the request deadline can cut it. */
const trickleEveryMs = 200;

/**
 * A client that sends `head` and then one more byte of `tail` each `trickleEveryMs`, never finishing its request,
 * until the server answers. A byte that reaches the server after it closed the connection is answered with a reset,
 * which can overtake the 408 on a busy machine: the client then sees the reset, after the same deadline.
 */
function slowClient(port: number, head: string, tail: string) {
  const socket = connect(port, '127.0.0.1');
  const startedAt = performance.now();
  let received = '';
  let error: string | undefined;
  let sent = 0;
  const trickle = setInterval(() => {
    if (!socket.writable) return;
    socket.write(tail[sent % tail.length] ?? 'x');
    sent++;
  }, trickleEveryMs);
  socket.on('data', (chunk: Buffer) => {
    clearInterval(trickle);
    received += chunk.toString();
  });
  socket.on('error', (cause: NodeJS.ErrnoException) => (error = cause.code ?? cause.message));
  socket.write(head);
  const closed = new Promise<{ received: string; error: string | undefined; heldMs: number }>((resolve) => {
    socket.once('close', () => {
      clearInterval(trickle);
      resolve({ received, error, heldMs: performance.now() - startedAt });
    });
  });
  return { closed, isClosed: () => socket.closed };
}

describe.each(services)('$name and slow clients', (service) => {
  it(`cuts off a client that sends its headers or body slowly at REQUEST_TIMEOUT_MS (${requestTimeoutMs} ms) with a 408, serving others meanwhile`, async () => {
    const server = await startBundle(service, { REQUEST_TIMEOUT_MS: String(requestTimeoutMs) });
    const paths = await validPathsOf(server);

    const slow = [
      slowClient(server.port, 'GET /health HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n'),
      slowClient(server.port, 'POST /api/ping HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n', 'abc'),
    ];
    // Others are served the whole time the slow ones hold their connections.
    const served: number[] = [];
    while (slow.some((client) => !client.isClosed())) {
      for (const path of paths) {
        const response = await fetch(server.url + path);
        await response.arrayBuffer();
        served.push(response.status);
      }
      await sleep(100);
    }
    const outcomes = await Promise.all(slow.map((client) => client.closed));

    console.log(`${service.name}: slow clients cut off after ${outcomes.map(({ heldMs }) => `${Math.round(heldMs)} ms`).join(' and ')}; ${served.length} other requests served meanwhile`);
    for (const { received, error, heldMs } of outcomes) {
      if (error === undefined || received !== '') expect(received).toMatch(/^HTTP\/1\.1 408 /);
      else expect(error).toBe('ECONNRESET');
      expect(heldMs).toBeGreaterThanOrEqual(requestTimeoutMs - 5);
    }
    expect(served.length).toBeGreaterThan(0);
    expect(served.filter((status) => status < 200 || status >= 300), 'other clients refused').toEqual([]);
    await expectHealthy(server, paths);
  });
});
