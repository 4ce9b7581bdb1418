/** A failure the user can act on: the CLI prints its message alone, without a stack, and exits non-zero. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** A command line that cannot be understood: exit code 2, like most Unix tools. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** What went wrong, in the Docker engine's own words when it answered (dockerode puts them in `json.message`). */
export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { json, message } = error as { json?: { message?: unknown }; message?: unknown };
    if (typeof json?.message === 'string') return json.message.trim();
    if (typeof message === 'string') return message;
  }
  return String(error);
}
