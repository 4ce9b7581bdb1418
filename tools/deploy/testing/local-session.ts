import { spawn } from 'node:child_process';
import { DeployError } from '../deploy-error.ts';
import type { Session } from '../droplet/host.ts';
import { holdProcess } from '../ssh/hold-until-ready.ts';
import type { ExecResult } from '../ssh/session.ts';

/**
 * A Session whose commands run in a local `sh` with `env` (a PATH with recording fakes of docker and nginx, say),
 * for testing DropletHost's commands themselves: the files they write, the flock they hold, the arguments
 * they pass. It makes no HTTP requests.
 */
export function localSession(env: NodeJS.ProcessEnv): Session {
  const start = (command: string) => spawn('sh', ['-c', command], { env });
  const exec = (command: string, stdin = '') =>
    new Promise<ExecResult>((resolve, reject) => {
      const child = start(command);
      // A command that does not read its stdin closes it: its exit status tells what happened.
      child.stdin.on('error', () => undefined);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        resolve({ code: code ?? 255, stdout, stderr });
      });
      child.stdin.end(stdin);
    });
  return {
    exec,
    run: async (command, stdin) => {
      const result = await exec(command, stdin);
      if (result.code !== 0) throw new DeployError(`\`${command}\` exited with ${result.code}: ${result.stderr}`);
      return result.stdout;
    },
    hold: (command, ready) => holdProcess(start(command), ready),
    get: () => Promise.reject(new Error('a local session makes no HTTP requests')),
  };
}
