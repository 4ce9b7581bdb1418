import { DeployError } from '../deploy-error.ts';
import type { ExecResult, SshSession } from '../ssh/session.ts';
import { shellQuote as q } from './layout.ts';

/** What the lock holder prints once it has the lock. */
const lockedLine = 'locked';

/** flock's exit status when --wait ran out (its --conflict-exit-code): the lock is someone else's. */
const busyCode = 75;

/**
 * The host command that holds a deployment's lock: `flock` on the lock file, kept for as long as the command's
 * stdin stays open, so the lock lives exactly as long as the SSH session that holds it (a killed deploy's
 * connection drops, sshd closes that stdin, the lock is free). The CI resource_group only orders CI jobs;
 * this also orders a rollback run by hand, or from another pipeline, against a deploy.
 */
function holdLockCommand(lockFile: string, timeoutS: number): string {
  const dir = lockFile.slice(0, lockFile.lastIndexOf('/')) || '/';
  return (
    `mkdir -p ${q(dir)} && exec flock --wait ${timeoutS} --conflict-exit-code ${busyCode} ${q(lockFile)} ` +
    `sh -c ${q(`echo ${lockedLine} && exec cat >/dev/null`)}`
  );
}

/** Why the lock was not taken, from how the holder ended. */
function lockRefusal(name: string, lockFile: string, timeoutS: number, result: ExecResult): DeployError {
  if (result.code === busyCode) {
    return new DeployError(`another deploy of ${name} is running on the host (waited ${timeoutS} s for ${lockFile}); try again when it is done`);
  }
  const output = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-30).join('\n  ');
  return new DeployError(`could not lock ${lockFile} on the host (exit ${result.code}; it needs flock, from util-linux)${output ? `:\n  ${output}` : ''}`);
}

/**
 * Waits up to `timeoutS` for the lock on the host, and gives back what frees it; `name` is what it guards, for the
 * refusal. `ssh` runs the holder: the deploy's SSH session, or the Ansible deploy's own `ssh` process.
 */
export async function holdLock(ssh: Pick<SshSession, 'hold'>, name: string, lockFile: string, timeoutS: number): Promise<() => Promise<void>> {
  const held = await ssh.hold(holdLockCommand(lockFile, timeoutS), lockedLine);
  if ('release' in held) return held.release;
  throw lockRefusal(name, lockFile, timeoutS, held);
}
