/** A failure of ours to report as is: its message names the problem and what to do; no stack trace. */
export class DeployError extends Error {
  override name = 'DeployError';
}

/** A command line or environment that cannot work: nothing was done (exit status 2). */
export class UsageError extends DeployError {
  override name = 'UsageError';
}
