import { renderOverview } from './lib/args.ts';
import { CliError, UsageError } from './lib/errors.ts';
import { redactSecrets } from './lib/redact.ts';
import baseImage from './commands/base-image.ts';
import build from './commands/build.ts';
import type { Command } from './commands/command.ts';
import push from './commands/push.ts';
import release from './commands/release.ts';
import smoke from './commands/smoke.ts';

const commands: readonly Command[] = [build, push, release, smoke, baseImage];

/** `node tools/docker/cli.ts <command> [options]`: what the Nx targets docker-build, docker-push, docker-release and smoke run. */
export async function main([name, ...args]: string[]): Promise<number> {
  const overview = renderOverview(commands.map((command) => command.spec));
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(overview);
    return name === undefined ? 2 : 0;
  }
  try {
    const command = commands.find((candidate) => candidate.spec.name === name);
    if (!command) throw new UsageError(`unknown command "${name}"; the commands are: ${commands.map((candidate) => candidate.spec.name).join(', ')}`);
    await command.main(args);
    return 0;
  } catch (error) {
    const known = error instanceof CliError;
    const message = known ? error.message : `unexpected failure: ${(error as Error).stack ?? String(error)}`;
    process.stderr.write(`tools/docker ${name}: ${redactSecrets(message, process.env)}\n`);
    return known ? error.exitCode : 1;
  }
}

// dockerode keeps connections to the engine alive: leave once the work is done.
if (import.meta.main) process.exit(await main(process.argv.slice(2)));
