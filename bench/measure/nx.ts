import { execFile } from 'node:child_process';
import { appendFile, chmod, lstat, mkdir, mkdtemp, readdir, readlink, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { formatMs, type Section } from '../lib/report.ts';
import { runCommand } from '../lib/run-command.ts';
import { workspaceRoot, type ServiceProject } from '../lib/services.ts';

const run = promisify(execFile);
const targets = 'lint typecheck test build';

interface NxRun {
  label: string;
  command: string;
  ms: number;
  projects: number;
}

/**
 * `npm test`'s targets in a fresh clone of HEAD (its own Nx cache, no daemon): everything with an
 * empty cache, the same again from the cache, then `nx affected` after a one-line change to one service.
 */
export async function measureNx(changed: ServiceProject): Promise<Section> {
  const copy = await mkdtemp(join(os.tmpdir(), 'bench-nx-'));
  try {
    // mkdtemp makes it private; the generator's end-to-end test runs yo as uid 1000, which must get in.
    await chmod(copy, 0o755);
    const head = (await run('git', ['rev-parse', 'HEAD'], { cwd: workspaceRoot })).stdout.trim();
    await run('git', ['clone', '--quiet', '--shared', '--no-checkout', workspaceRoot, copy]);
    await run('git', ['checkout', '--quiet', '--detach', head], { cwd: copy });
    await linkNodeModules(join(workspaceRoot, 'node_modules'), join(copy, 'node_modules'));

    const runs: NxRun[] = [];
    runs.push(await timeNx(copy, 'everything, empty cache', ['run-many', '-t', ...targets.split(' ')]));
    runs.push(await timeNx(copy, 'everything again, from the cache', ['run-many', '-t', ...targets.split(' ')]));
    // src/options.ts is the service's own (the generator's drift test owns main.ts and app.ts).
    const changedFile = join(copy, relative(workspaceRoot, changed.root), 'src/options.ts');
    await appendFile(changedFile, '// bench: a one-line change\n');
    runs.push(await timeNx(copy, `\`nx affected\` after a change to ${changed.name}`, ['affected', '--base=HEAD', '-t', ...targets.split(' ')]));

    return {
      table: {
        title: 'Nx: what a change costs',
        columns: ['run', 'projects', 'time'],
        rows: runs.map(({ label, projects, ms }) => [label, String(projects), formatMs(ms)]),
        notes: [`\`nx <command> -t ${targets}\` (what \`npm test\` runs) in a fresh clone of HEAD with its own cache and no Nx daemon.`],
      },
      data: runs,
    };
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

async function timeNx(cwd: string, label: string, args: string[]): Promise<NxRun> {
  const startedAt = performance.now();
  const { code, output } = await runCommand(process.execPath, ['node_modules/.bin/nx', ...args, '--output-style=static'], {
    cwd,
    // Nx shares its cache between checkouts of one repository (~/.nx/<id>); the clone gets its own.
    env: {
      ...process.env,
      NX_CACHE_DIRECTORY: join(cwd, '.nx/bench-cache'),
      NX_WORKSPACE_DATA_DIRECTORY: join(cwd, '.nx/bench-data'),
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_TUI: 'false',
    },
  });
  const ms = performance.now() - startedAt;
  if (code !== 0) throw new Error(`nx ${args.join(' ')} failed in the bench's clone:\n${output.slice(-4000)}`);
  // "… for 4 projects" or "… for project fibonacci"
  const projects = /for project \S+/.test(output) ? 1 : Number(/for (\d+) projects/.exec(output)?.[1] ?? 0);
  return { label, command: `nx ${args.join(' ')}`, ms, projects };
}

/**
 * The clone's node_modules: a link to each installed package, except that links npm made to the
 * workspace's own packages (libs/*) are remade to point into the clone, as `npm ci` would have.
 */
async function linkNodeModules(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from)) {
    const source = join(from, entry);
    const target = join(to, entry);
    const stat = await lstat(source);
    if (stat.isSymbolicLink()) await symlink(await readlink(source), target);
    else if (entry.startsWith('@') && stat.isDirectory()) await linkNodeModules(source, target);
    else await symlink(source, target);
  }
}
