import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Python that Debian's python3-falcon and gunicorn packages install into (not a pyenv one on PATH). */
export const systemPython = '/usr/bin/python3';

/** Enough about this machine to read the numbers next to it, and to see a busy neighbour (load). */
export async function describeMachine(): Promise<Record<string, string>> {
  const [distribution, python] = await Promise.all([osName(), pythonVersions()]);
  return {
    CPU: `${os.cpus()[0]?.model ?? 'unknown'}, ${os.availableParallelism()} cores`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    OS: `${distribution}, Linux ${os.release()}`,
    Node: process.version,
    Python: python,
    'load average (1 min) at start': os.loadavg()[0]?.toFixed(2) ?? 'unknown',
  };
}

async function osName(): Promise<string> {
  const release = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release)?.[1] ?? os.type();
}

async function pythonVersions(): Promise<string> {
  try {
    const script = 'import sys, falcon, gunicorn; print(sys.version.split()[0], "falcon", falcon.__version__, "gunicorn", gunicorn.__version__)';
    return (await run(systemPython, ['-c', script])).stdout.trim();
  } catch {
    return 'no python3-falcon/gunicorn (apt-get install -y python3-falcon gunicorn)';
  }
}
