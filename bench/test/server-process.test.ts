import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bareNode } from '../lib/contenders.ts';
import { cpuSeconds, processTree, residentBytes } from '../lib/proc.ts';
import { startServer } from '../lib/server-process.ts';

/** As long as the hang guard: the tests wait for the server itself, not for the bench's give-up timers. */
const patienceMs = 10 * 60_000;

describe('startServer', () => {
  it('resolves once the port accepts connections, and stops the process with SIGTERM', async () => {
    const server = await startServer('bare', bareNode({ '/api/ping': '{"ping":"pong"}' }), patienceMs);
    try {
      expect(server.startMs).toBeGreaterThan(0);
      const response = await fetch(`${server.url}/api/ping`);
      expect(await response.text()).toBe('{"ping":"pong"}');
    } finally {
      await server.stop(patienceMs);
    }
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });

  it('tries another port when another process takes the one it chose before the server listens', async () => {
    const squatter = createServer();
    const ports: number[] = [];
    const launcher = (port: number) => {
      // Without a host, listen() binds at once, before the server process is even spawned.
      if (ports.push(port) === 1) squatter.listen(port);
      return bareNode({ '/api/ping': '{"ping":"pong"}' })(port);
    };
    const server = await startServer('bare', launcher, patienceMs);
    try {
      expect(ports).toHaveLength(2);
      expect(server.port).toBe(ports[1]);
      expect(await (await fetch(`${server.url}/api/ping`)).text()).toBe('{"ping":"pong"}');
    } finally {
      squatter.close();
      await server.stop(patienceMs);
    }
  });

  it('fails with the output of a process that exits before it listens', async () => {
    const crashing = () => ({ command: process.execPath, args: ['-e', 'console.error("no such setting"); process.exit(3)'] });
    await expect(startServer('crashing', crashing, patienceMs)).rejects.toThrow(/crashing exited before listening on \d+:\nno such setting/);
  });
});

describe('/proc readings', () => {
  it('sees a server process, its CPU time and its memory', async () => {
    const server = await startServer('bare', bareNode({}), patienceMs);
    try {
      const pid = server.child.pid ?? 0;
      expect(processTree(pid)).toEqual([pid]);
      expect(cpuSeconds(pid)).toBeGreaterThan(0);
      expect(residentBytes(pid)).toBeGreaterThan(10 * 2 ** 20);
      expect(residentBytes(pid, 'VmHWM')).toBeGreaterThanOrEqual(residentBytes(pid));
    } finally {
      await server.stop(patienceMs);
    }
  });

  it('counts a process and its children together', () => {
    expect(processTree(process.pid)[0]).toBe(process.pid);
  });
});
