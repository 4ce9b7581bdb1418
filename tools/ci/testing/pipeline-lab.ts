import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { endOf, Sandbox, type Variables } from './sandbox.ts';

const workspace = fileURLToPath(new URL('../../..', import.meta.url));
/** yo refuses to run as root: started by root, it switches itself to this uid (package default-uid, on Linux). */
const yoUid = 1000;

/** One job as `gitlab-ci-local --list-json` lists it. */
export interface ListedJob {
  name: string;
  stage: string;
  when: string;
  allow_failure: boolean;
  needs?: { job: string }[];
}

/** One job as `gitlab-ci-local --preview` expands it. */
export interface ExpandedJob {
  stage?: string;
  trigger?: unknown;
  environment?: { name: string; url?: string; on_stop?: string; auto_stop_in?: string; action?: string };
  resource_group?: string;
}

/**
 * A throwaway git copy of this workspace where gitlab-ci-local runs the pipeline for real: each change is a branch
 * off main with one commit, checked out in a worktree of its own, so that several scenarios can run at once, two
 * at a time (one per core).
 */
export class PipelineLab {
  readonly sandbox: Sandbox;
  readonly mainSha: string;
  private readonly changes = new Map<string, string>();
  private readonly lanes = lanesOf(2);
  private checkouts = 0;

  private constructor(sandbox: Sandbox, mainSha: string) {
    this.sandbox = sandbox;
    this.mainSha = mainSha;
  }

  static async open(): Promise<PipelineLab> {
    const sandbox = await Sandbox.copyOf(workspace);
    return new PipelineLab(sandbox, await sandbox.git('rev-parse', 'main'));
  }

  /** A branch off main whose one commit appends a comment line to each file; remembered by name. */
  async change(name: string, files: string[]): Promise<void> {
    await this.sandbox.git('checkout', '--quiet', '-b', name, 'main');
    for (const file of files) await this.sandbox.write(file, `${readFileSync(join(this.sandbox.dir, file), 'utf8')}\n// ${name}\n`);
    this.changes.set(name, await this.sandbox.commitAll(`change ${files.join(', ')}`));
    await this.sandbox.git('checkout', '--quiet', 'main');
  }

  /**
   * A branch off main whose one commit adds the service the real `yo fastify-gitlab <args>` scaffolds, unedited, as
   * a team adds one. Run by root, yo works as uid 1000: apps/ and a HOME are that user's while it runs.
   */
  async scaffold(name: string, args: string[]): Promise<void> {
    await this.sandbox.git('checkout', '--quiet', '-b', name, 'main');
    const home = await mkdtemp(join(tmpdir(), 'pipeline-yo-home-'));
    const apps = join(this.sandbox.dir, 'apps');
    const asRoot = process.getuid?.() === 0;
    if (asRoot) await Promise.all([chown(home, yoUid, yoUid), chown(apps, yoUid, yoUid)]);
    try {
      const env = { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: home, NO_UPDATE_NOTIFIER: '1' };
      await promisify(execFile)(join(workspace, 'node_modules/.bin/yo'), ['fastify-gitlab', ...args], { cwd: this.sandbox.dir, env });
    } finally {
      if (asRoot) await chown(apps, 0, 0);
      await rm(home, { recursive: true, force: true });
    }
    this.changes.set(name, await this.sandbox.commitAll(`yo fastify-gitlab ${args.join(' ')}`));
    await this.sandbox.git('checkout', '--quiet', 'main');
  }

  /** Runs `work` in a checkout of its own of a change, once one of the two lanes is free. */
  inCheckoutOf<T>(changeName: string, work: (checkout: Sandbox) => Promise<T>): Promise<T> {
    return this.lanes(async () => {
      const commit = this.changes.get(changeName);
      if (!commit) throw new Error(`no change named ${changeName}`);
      return work(await this.sandbox.worktree(`${changeName}-${String(++this.checkouts)}`, commit));
    });
  }

  /** The variables GitLab sets in a merge request pipeline targeting main. */
  mergeRequest(): Variables {
    return {
      CI_PIPELINE_SOURCE: 'merge_request_event',
      CI_MERGE_REQUEST_IID: '7',
      CI_MERGE_REQUEST_DIFF_BASE_SHA: this.mainSha,
      CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
      CI_COMMIT_BRANCH: null,
    };
  }

  remove(): Promise<void> {
    return this.sandbox.remove();
  }
}

export async function listJobs(checkout: Sandbox, args: string[], variables: Variables): Promise<ListedJob[]> {
  const listed = await checkout.gitlabCiLocal(['--list-json', ...args], variables);
  expect(listed.code, endOf(listed)).toBe(0);
  return JSON.parse(listed.stdout.slice(listed.stdout.indexOf('['))) as ListedJob[];
}

/** Runs at most `count` pieces of work at once, the others waiting their turn in order. */
function lanesOf(count: number) {
  let free = count;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    else free--;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}
