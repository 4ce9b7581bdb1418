import { redactSecrets } from '../lib/redact.ts';
import { parseCommandArgs, renderHelp, type CommandSpec, type OptionSpecs, type OptionValues } from '../lib/args.ts';

export interface Command {
  spec: CommandSpec;
  main(args: string[]): Promise<void>;
}

/** A command: its options and help text as data, and what it does with the parsed values. */
export function defineCommand<O extends OptionSpecs>(spec: CommandSpec<O>, run: (values: OptionValues<O>) => Promise<void>): Command {
  return {
    spec,
    async main(args) {
      const parsed = parseCommandArgs(spec, args);
      if (parsed.help) process.stdout.write(renderHelp(spec));
      else await run(parsed.values);
    },
  };
}

/** Everything a command prints goes through here, so no registry secret from the environment can reach a log. */
export function print(line: string): void {
  process.stdout.write(`${redactSecrets(line, process.env)}\n`);
}
