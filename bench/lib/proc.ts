import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** What Linux's /proc says about a process and its children (gunicorn's workers, say). Linux only. */

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** The process and all its descendants that are alive now. */
export function processTree(pid: number): number[] {
  const children = readOrEmpty(`/proc/${pid}/task/${pid}/children`).split(' ').filter(Boolean).map(Number);
  return [pid, ...children.flatMap(processTree)];
}

/** User + system CPU seconds used so far by the process and its descendants. */
export function cpuSeconds(pid: number): number {
  return processTree(pid).reduce((total, member) => {
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const fields = readOrEmpty(`/proc/${member}/stat`).split(') ')[1]?.split(' ') ?? [];
    return total + (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / ticksPerSecond;
  }, 0);
}

/** Resident memory now (VmRSS) or at its peak (VmHWM), summed over the process tree, in bytes. */
export function residentBytes(pid: number, which: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  return processTree(pid).reduce((total, member) => {
    const kib = new RegExp(`^${which}:\\s+(\\d+) kB`, 'm').exec(readOrEmpty(`/proc/${member}/status`))?.[1];
    return total + Number(kib ?? 0) * 1024;
  }, 0);
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // the process exited between listing and reading
  }
}
