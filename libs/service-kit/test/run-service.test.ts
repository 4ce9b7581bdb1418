import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { schemaSourcesFileVariable, type SchemaSourcesFile } from '../src/schemas/precompiled.ts';

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
    // The longest shutdown allowed: a test waits for the exit, not for the give-up timer on a slow machine.
    env: { PATH: process.env.PATH ?? '', PORT: '0', SHUTDOWN_TIMEOUT_MS: '600000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => logs.push(JSON.parse(line) as LogLine));
  // 'close', not 'exit': by then its stdout and stderr have been read to the end too.
  const exited = once(child, 'close').then(([code]) => code as number);
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });

  /** The first log line whose message matches, once main.ts has written it; rejects if it exits first. */
  const logged = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = logs.map((entry) => pattern.exec(entry.msg)).find((found) => found !== null);
        if (!match) return;
        lines.off('line', check);
        resolve(match);
      };
      lines.on('line', check);
      check();
      exited.then((code) => {
        reject(new Error(`main.ts exited with ${String(code)} before logging ${String(pattern)}: ${stderr}`));
      }, reject);
    });

  const listening = logged(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/).then(([, url]) => url);
  return { child, logs, logged, listening, exited, stderr: () => stderr };
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
    await server.logged(/^handler started$/);
    server.child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ greeting: 'hello ada' });
    expect(await server.exited).toBe(0);
  });

  it('with PRECOMPILE_SCHEMAS_TO, writes the code of its validators and serializers there and exits without listening', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'schema-sources-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'schemas.json');
    const server = startMain({ [schemaSourcesFileVariable]: file });
    await expect(server.listening).rejects.toThrow('exited with 0');
    expect(server.logs).toEqual([]);
    const { validators, serializers } = JSON.parse(await readFile(file, 'utf8')) as SchemaSourcesFile;
    expect(validators.length).toBeGreaterThan(0);
    expect(serializers.length).toBeGreaterThan(0);
    expect([...validators, ...serializers].every(([, code]) => code.includes('module.exports'))).toBe(true);
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
