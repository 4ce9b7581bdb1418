import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

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

/** Whether the process or one of its descendants holds the socket listening on the TCP port (not another process). */
export function listensOn(pid: number, port: number): boolean {
  const listening = listeningSockets(port);
  return processTree(pid).some((member) => socketsOf(member).some((inode) => listening.has(inode)));
}

/** The inodes of the sockets listening on the TCP port, over IPv4 and IPv6. */
function listeningSockets(port: number): Set<string> {
  const localPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const rows = ['tcp', 'tcp6'].flatMap((table) => readOrEmpty(`/proc/net/${table}`).trim().split('\n').slice(1));
  // Columns: sl, local_address, rem_address, st (0A: LISTEN), tx_queue:rx_queue, tr:tm->when, retrnsmt, uid, timeout, inode.
  const columns = rows.map((row) => row.trim().split(/\s+/));
  return new Set(columns.filter((column) => column[1]?.endsWith(localPort) && column[3] === '0A').map((column) => column[9] ?? ''));
}

/** The inodes of the process's open sockets. */
function socketsOf(pid: number): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return []; // the process exited between listing and reading
  }
  return fds.flatMap((fd) => {
    try {
      return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? [];
    } catch {
      return []; // closed since the listing
    }
  });
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // the process exited between listing and reading
  }
}
