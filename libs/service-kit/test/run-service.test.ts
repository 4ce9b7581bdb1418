import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';

const main = fileURLToPath(new URL('./fixtures/main.ts', import.meta.url));
const slowHandlers = fileURLToPath(new URL('./fixtures/slow-handlers.ts', import.meta.url));

interface LogLine {
  msg: string;
  level: number;
  [key: string]: unknown;
}

/** Runs a service's main as a real process, with its JSON log lines collected. */
function startMain(env: Record<string, string>, nodeOptions: string[] = []) {
  const child = spawn(process.execPath, [...nodeOptions, main], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const logs: LogLine[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as LogLine;
      logs.push(entry);
      const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(entry.msg)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => {
      reject(new Error(`main.ts exited with ${String(code)}: ${stderr}`));
    });
  });
  const exited = once(child, 'exit').then(([code]) => code as number);
  return { child, logs, listening, exited, stderr: () => stderr };
}

describe('runService', () => {
  it('listens on PORT, logs JSON, and exits 0 on SIGTERM', async () => {
    const server = startMain({});
    const url = await server.listening;
    const response = await fetch(`${url}/api/hello/ada`);
    expect(await response.json()).toEqual({ greeting: 'hello ada' });

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.logs.map((line) => line.msg)).toContain('shutting down: finishing in-flight requests');
    expect(server.logs.every((line) => typeof line.level === 'number')).toBe(true);
  });

  it('finishes a request that is in flight when SIGTERM arrives', async () => {
    const server = startMain({}, ['--import', slowHandlers]);
    const url = await server.listening;
    const inFlight = fetch(`${url}/api/hello/ada`);
    await new Promise((resolve) => {
      setTimeout(resolve, 150);
    });
    server.child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ greeting: 'hello ada' });
    expect(await server.exited).toBe(0);
  });

  it.each([
    [{ PORT: 'eighty' }, 'example: PORT must be a whole number from 0 to 65535, got "eighty"'],
    [{ GREETINGS: '9' }, 'example: GREETINGS must be a whole number from 1 to 3, got "9"'],
  ])('refuses %j before listening, in one line naming the variable', async (env, message) => {
    const server = startMain(env);
    await expect(server.listening).rejects.toThrow();
    expect(await server.exited).toBe(1);
    expect(server.stderr().trim()).toBe(message);
  });
});
