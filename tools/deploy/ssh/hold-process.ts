import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { ExecResult } from './session.ts';

/**
 * Waits until a long-running child prints the line `ready` (a lock holder that has its lock), and gives back
 * `release`, which closes its stdin, its cue to end, and waits until it has; a child that exits before
 * saying `ready` resolves to its result instead. SshSession.hold does the same over an SSH channel.
 */
export function holdProcess(child: ChildProcessWithoutNullStreams, ready: string): Promise<{ release: () => Promise<void> } | ExecResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const closed = new Promise<number>((done) => {
      child.on('close', (code) => {
        done(code ?? 255);
      });
    });
    // A child that ends without reading its stdin closes it: its exit status tells what happened.
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.split('\n').includes(ready)) {
        resolve({
          release: async () => {
            child.stdin.end();
            await closed;
          },
        });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void closed.then((code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
