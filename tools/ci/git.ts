import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether `sha` is HEAD or one of its ancestors; false as well when the clone does not have that commit. */
export async function isAncestorOfHead(sha: string, cwd = process.cwd()): Promise<boolean> {
  try {
    await run('git', ['merge-base', '--is-ancestor', sha, 'HEAD'], { cwd });
    return true;
  } catch (error) {
    // Exit 1: not an ancestor. An unknown commit is exit 128 too, like "not a repository", which is a real failure.
    const { code, stderr } = error as { code?: unknown; stderr?: string };
    if (code === 1 || (code === 128 && /not a valid (commit|object) name/i.test(stderr ?? ''))) return false;
    throw error;
  }
}
