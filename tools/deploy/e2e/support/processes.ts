import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program to the end and returns what it printed, whatever its exit status. */
export function capture(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): Promise<Output> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { env: options.env, cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) resolve({ code: 0, stdout, stderr });
      else if (typeof error.code === 'number') resolve({ code: error.code, stdout, stderr });
      else reject(new Error(`${command} could not run: ${error.message}`));
    });
    // A program that exits without reading its input closes the pipe: its exit status tells what happened.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

/** Like capture, but a non-zero exit is an error quoting stderr. */
export async function check(command: string, args: string[], options: Parameters<typeof capture>[2] = {}): Promise<string> {
  const result = await capture(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.code}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** A daemon of the suite's own, its output in a log file; stopped by its pid only. */
export function startDaemon(command: string, args: string[], logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  return spawn(command, args, { stdio: ['ignore', log, log] });
}

export async function stopDaemon(child: ChildProcess | undefined): Promise<void> {
  if (child?.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5_000).then(() => child.kill('SIGKILL'))]);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Polls until `ready` resolves true; fails naming `what` and the log to read. */
export async function waitFor(what: string, ready: () => Promise<boolean>, logFile: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not start within ${timeoutMs / 1000} s: see ${logFile}`);
}

/** Fails loudly, saying how to get the missing piece, instead of letting the suite skip. */
export async function requireProgram(program: string, args: string[], install: string): Promise<void> {
  const result = await capture(program, args).catch((error: unknown) => ({ code: -1, stdout: '', stderr: String(error) }));
  if (result.code !== 0) {
    throw new Error(`the deploy e2e suite needs ${program} (${result.stderr.trim().split('\n')[0] ?? ''}): ${install}, or run bash .ci/provision-deploy.sh`);
  }
}
