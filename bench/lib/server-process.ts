import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { listensOn } from './proc.ts';

export interface ServerCommand {
  command: string;
  args: string[];
  cwd?: string;
  /** Added to a minimal environment (PATH only), so the caller's settings do not leak into a measurement. */
  env?: Record<string, string>;
}

export interface RunningServer {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly child: ChildProcess;
  /** Milliseconds from spawn until the port accepted a connection. */
  readonly startMs: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last 64 KiB of stdout and stderr, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const host = '127.0.0.1';
const outputLimit = 64 * 1024;

/** A port that was free a moment ago (the kernel picks it), on loopback. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  // Closed before the caller hands the port on, so its server does not race ours for it.
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('loopback gave no port');
  return address.port;
}

/** Another process took the port between freePort() and the server's own listen. */
class PortTaken extends Error {}

/** Starts a server process on a free port and resolves once it accepts connections on it. */
export async function startServer(name: string, command: (port: number) => ServerCommand, timeoutMs = 15_000): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await freePort(), name, command, timeoutMs);
    } catch (error) {
      // On a busy machine another process may take the port before the server listens; three times in a row is no chance.
      if (!(error instanceof PortTaken) || attempt === 3) throw error;
    }
  }
}

async function startOn(port: number, name: string, command: (port: number) => ServerCommand, timeoutMs: number): Promise<RunningServer> {
  const { command: file, args, cwd, env } = command(port);
  const startedAt = performance.now();
  const child = spawn(file, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-outputLimit);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  // 'close', not 'exit': by then its stdout and stderr have been read to the end too.
  const exited = once(child, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const running = () => child.exitCode === null && child.signalCode === null;

  const server: RunningServer = {
    name,
    port,
    url: `http://${host}:${port}`,
    child,
    startMs: 0,
    exited,
    output: () => output,
    stop: async (graceMs = 10_000) => {
      if (running()) {
        child.kill('SIGTERM');
        const outcome = await Promise.race([exited, sleep(graceMs, 'timeout' as const, { ref: false })]);
        if (outcome === 'timeout') child.kill('SIGKILL');
      }
      // Also when it exited by itself: its output may still be unread, and the caller may go on to remove what it used.
      await exited;
    },
  };

  const deadline = startedAt + timeoutMs;
  // Connections to the port are not enough: they could reach another process that took it.
  while (!((await accepts(port)) && listensOn(child.pid ?? 0, port))) {
    if (!running()) {
      await exited; // its last words are only all read by then
      const message = `${name} exited before listening on ${port}:\n${output}`;
      throw /EADDRINUSE|Address already in use/.test(output) ? new PortTaken(message) : new Error(message);
    }
    if (performance.now() > deadline) {
      await server.stop();
      throw new Error(`${name} did not listen on ${port} within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(2);
  }
  return { ...server, startMs: performance.now() - startedAt };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}
