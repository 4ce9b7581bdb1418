import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GitError, runGit, withTempFolder } from '../../lib/git.ts';

/** Three versions of a file's text, for a merge. */
export interface ThreeVersions {
  /** The file as it is in the service. */
  ours: string;
  /** As the recorded templates rendered it; undefined for a file those templates did not have. */
  base: string | undefined;
  /** As the current templates render it. */
  theirs: string;
}

export interface Merged {
  text: string;
  /** How many conflict blocks the text holds, each between <<<<<<< and >>>>>>> markers. */
  conflicts: number;
}

/**
 * `git merge-file` on the three texts. A conflict shows all three (diff3 style), so the old template's lines
 * tell which side changed what; a file both sides added has no base, and shows two.
 */
export function mergeTexts({ ours, base, theirs }: ThreeVersions, labels: Record<keyof ThreeVersions, string>): Merged {
  return withTempFolder((folder) => {
    const file = (name: string, text: string) => {
      writeFileSync(join(folder, name), text);
      return name;
    };
    const style = base === undefined ? [] : ['--diff3'];
    const args = ['merge-file', '--stdout', ...style, '-L', labels.ours, '-L', labels.base, '-L', labels.theirs];
    const result = runGit(folder, [...args, file('ours', ours), file('base', base ?? ''), file('theirs', theirs)]);
    // The exit code is the number of conflicts, capped at 127; above that git failed.
    if (result.code > 127) throw new GitError(`git merge-file failed: ${result.stderr.trim()}`);
    return { text: result.stdout, conflicts: result.code };
  });
}

/** A unified diff of a file from `before` (undefined: it is new) to `after`, headed with its workspace path. */
export function unifiedDiff(path: string, before: string | undefined, after: string): string {
  return withTempFolder((folder) => {
    const file = (side: string, text: string) => {
      const relative = `${side}/${path}`;
      mkdirSync(dirname(join(folder, relative)), { recursive: true });
      writeFileSync(join(folder, relative), text);
      return relative;
    };
    const from = before === undefined ? '/dev/null' : file('a', before);
    const result = runGit(folder, ['diff', '--no-index', '--no-color', '--no-ext-diff', '--no-prefix', '--', from, file('b', after)]);
    // 1 means the files differ, which is why they are shown.
    if (result.code > 1) throw new GitError(`git diff failed: ${result.stderr.trim()}`);
    return result.stdout;
  });
}
