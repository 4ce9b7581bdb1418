import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { describe, expect, it, onTestFinished } from 'vitest';
import { services, startBundle, validPathsOf } from './support.ts';

// Pipelined keep-alive connections: each holds requests the service has read but not yet answered,
// which is what a shutdown can lose.
const connections = 20;
const pipelining = 10;
const loadBeforeSignalMs = 1500;
const busyWindowMs = 100;

interface LogLine {
  msg?: string;
  time?: number;
  reqId?: string;
  req?: { url?: string };
  res?: { statusCode?: number };
}

describe.each(services)('$name shutting down under load', (service) => {
  it('answers every request it accepted, then exits 0 on SIGTERM', async () => {
    // One log line per request and response: the service's own record of what it accepted.
    const server = await startBundle(service, { LOG_REQUESTS: 'true' });
    const logs: LogLine[] = [];
    if (server.child.stdout === null) throw new Error('the service\'s stdout is not piped');
    createInterface({ input: server.child.stdout }).on('line', (line) => logs.push(JSON.parse(line) as LogLine));
    const paths = await validPathsOf(server);

    // Each request carries a probe number in its query string, to match the client's view to the log.
    const answers = new Map<number, number | string>();
    let nextProbe = 0;
    let loading = true;
    const pool = new Pool(server.url, { connections, pipelining });
    onTestFinished(() => pool.destroy());
    const load = Promise.all(
      Array.from({ length: connections * pipelining }, async () => {
        while (loading) {
          const probe = nextProbe++;
          const path = paths[probe % paths.length] ?? '/health';
          try {
            const response = await pool.request({ method: 'GET', path: `${path}${path.includes('?') ? '&' : '?'}probe=${probe}`, signal: AbortSignal.timeout(15_000) });
            await response.body.dump();
            answers.set(probe, response.statusCode);
          } catch (error) {
            answers.set(probe, failureCode(error));
            await sleep(10);
          }
        }
      }),
    );
    await sleep(loadBeforeSignalMs);
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    loading = false;
    await load;

    const shutdownAt = logs.findIndex((line) => line.msg === 'shutting down: finishing in-flight requests');
    const accepted = new Map<string, { probe: number; at: number }>();
    const completed = new Map<string, { statusCode: number; at: number }>();
    logs.forEach((line, at) => {
      const probe = /[?&]probe=(\d+)/.exec(line.req?.url ?? '')?.[1];
      if (line.msg === 'incoming request' && line.reqId && probe) accepted.set(line.reqId, { probe: Number(probe), at });
      if (line.msg === 'request completed' && line.reqId) completed.set(line.reqId, { statusCode: line.res?.statusCode ?? 0, at });
    });
    const lost: string[] = [];
    let inFlightAtSignal = 0;
    for (const [reqId, { probe, at }] of accepted) {
      const done = completed.get(reqId);
      if (done === undefined || answers.get(probe) !== done.statusCode) lost.push(`probe ${probe}: server ${done?.statusCode ?? 'never finished'}, client ${answers.get(probe) ?? 'nothing'}`);
      if (done !== undefined && at < shutdownAt && done.at > shutdownAt) inFlightAtSignal++;
    }
    const signalTime = logs[shutdownAt]?.time ?? 0;
    const acceptedJustBeforeSignal = [...accepted.values()].filter(({ at }) => at < shutdownAt && (logs[at]?.time ?? 0) >= signalTime - busyWindowMs).length;
    const notAccepted: Record<string, number> = {};
    for (const answer of answers.values()) if (typeof answer === 'string') notAccepted[answer] = (notAccepted[answer] ?? 0) + 1;
    console.log(
      `${service.name}: ${answers.size} requests, ${accepted.size} accepted (${acceptedJustBeforeSignal} in the last ${busyWindowMs} ms before SIGTERM, ` +
        `${inFlightAtSignal} still in flight at it); not accepted once the listener closed: ${JSON.stringify(notAccepted)}`,
    );

    expect(exit, server.output().slice(-2000)).toEqual({ code: 0, signal: null });
    expect(shutdownAt, 'the shutdown log line').toBeGreaterThan(-1);
    expect(lost, 'accepted requests whose answer the client did not get').toEqual([]);
    // A request whose handler runs synchronously is never in flight at the instant the signal is handled,
    // so what shows the service was busy is how many it accepted just before.
    expect(acceptedJustBeforeSignal, `requests accepted in the last ${busyWindowMs} ms before SIGTERM`).toBeGreaterThan(0);
    const acceptedBeforeSignal = [...accepted.values()].filter(({ at }) => at < shutdownAt);
    expect(acceptedBeforeSignal.filter(({ probe }) => answers.get(probe) !== 200), 'requests accepted before SIGTERM that did not get a 200').toEqual([]);
  });
});

function failureCode(error: unknown): string {
  return (error as { code?: string }).code ?? String(error);
}
