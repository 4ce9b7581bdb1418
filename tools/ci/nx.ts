import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { AffectedBase } from './affected-base.ts';

/**
 * The Nx arguments that run targets for what a base makes affected: `affected` from a commit, or `run-many` for
 * all. Static output prints every task's log, which CI needs (test reports, the coverage line).
 */
export function nxRunArgs(base: AffectedBase, targets: readonly string[]): string[] {
  const targetList = ['--targets', targets.join(','), '--output-style', 'static'];
  return base.kind === 'all' ? ['run-many', ...targetList] : ['affected', ...targetList, '--base', base.sha, '--head', 'HEAD'];
}

/** The Nx arguments that print, as JSON, the names of the affected projects tagged type:service. */
export function nxServicesArgs(base: AffectedBase): string[] {
  const affected = base.kind === 'all' ? [] : ['--affected', '--base', base.sha, '--head', 'HEAD'];
  return ['show', 'projects', ...affected, '--projects', 'tag:type:service', '--json'];
}

const nxBin = createRequire(import.meta.url).resolve('nx');

/** Runs the workspace's own Nx with this Node; resolves with its stdout when `capture` is set (stderr always passes through). */
export function nx(args: readonly string[], { capture = false, cwd = process.cwd() } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nxBin, ...args], { cwd, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`nx ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}
