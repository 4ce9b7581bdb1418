import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { ExecResult } from './session.ts';

/** A command kept running: `release` closes its stdin, its cue to end, and waits until it has. */
export interface Held {
  release: () => Promise<void>;
}

/** A started command as holdUntilReady needs it: an SSH channel (SshSession.hold) or a child process (holdProcess). */
export interface StartedCommand {
  stdout: Readable;
  stderr: Readable;
  /** Closes the command's stdin. */
  endInput: () => void;
  /** Resolves with the exit status once the command has ended. */
  closed: Promise<number>;
}

/**
 * Waits until a long-running command prints the line `ready` (a lock holder that has its lock), and gives back
 * `release`; a command that exits before saying `ready` resolves to its result instead.
 */
export function holdUntilReady(command: StartedCommand, ready: string): Promise<Held | ExecResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    command.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.split('\n').includes(ready)) {
        resolve({
          release: async () => {
            command.endInput();
            await command.closed;
          },
        });
      }
    });
    command.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void command.closed.then((code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** holdUntilReady for a child process of this machine; one that cannot be started (no such program) rejects. */
export function holdProcess(child: ChildProcessWithoutNullStreams, ready: string): Promise<Held | ExecResult> {
  const closed = new Promise<number>((done) => {
    child.on('close', (code) => {
      done(code ?? 255);
    });
  });
  const failed = new Promise<never>((_, fail) => child.on('error', fail));
  // A child that ends without reading its stdin closes it: its exit status tells what happened.
  child.stdin.on('error', () => undefined);
  return Promise.race([holdUntilReady({ stdout: child.stdout, stderr: child.stderr, endInput: () => child.stdin.end(), closed }, ready), failed]);
}
