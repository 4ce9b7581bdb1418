import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

export const PROGRAM = 'node tools/docker/cli.ts';

interface OptionBase {
  description: string;
  /** The environment variable read when the option is absent, shown in --help. */
  env?: string;
  short?: string;
}
export interface StringOption extends OptionBase {
  type: 'string';
  multiple?: boolean;
  /** What the value is, e.g. `<name>` in `--project <name>`. */
  placeholder: string;
}
export interface BooleanOption extends OptionBase {
  type: 'boolean';
}
export type OptionSpec = StringOption | BooleanOption;
export type OptionSpecs = Record<string, OptionSpec>;

export type OptionValues<O extends OptionSpecs> = {
  [K in keyof O]: O[K] extends BooleanOption ? boolean : O[K] extends { multiple: true } ? string[] : string | undefined;
};

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  name: string;
  /** One line, for the list of commands. */
  summary: string;
  /** What --help says under the usage line. */
  description: string;
  options: O;
  examples: string[];
}

const helpOption: BooleanOption = { type: 'boolean', short: 'h', description: 'Show this help' };

export type Parsed<O extends OptionSpecs> = { help: true } | { help: false; values: OptionValues<O> };

/** Parses a command's arguments strictly: an unknown option or a stray word is a usage error naming it. */
export function parseCommandArgs<O extends OptionSpecs>(spec: CommandSpec<O>, args: string[]): Parsed<O> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: { ...spec.options, help: helpOption }, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\.$/, '')}. See: ${PROGRAM} ${spec.name} --help`);
  }
  if (parsed.values.help === true) return { help: true };

  const values: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    const value = parsed.values[name];
    if (option.type === 'boolean') values[name] = value === true;
    else if (option.multiple === true) values[name] = value ?? [];
    else values[name] = value;
  }
  return { help: false, values: values as OptionValues<O> };
}

function optionLabel(name: string, option: OptionSpec): string {
  const long = option.type === 'string' ? `--${name} ${option.placeholder}` : `--${name}`;
  return option.short === undefined ? `    ${long}` : `-${option.short}, ${long}`;
}

function optionText(option: OptionSpec): string {
  const notes = [option.type === 'string' && option.multiple === true ? 'repeatable' : '', option.env ? `env ${option.env}` : ''].filter(Boolean);
  return [option.description, ...notes.map((note) => `[${note}]`)].join(' ');
}

function table(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

export function renderHelp(spec: CommandSpec): string {
  const options = Object.entries({ ...spec.options, help: helpOption }).map(([name, option]): [string, string] => [optionLabel(name, option), optionText(option)]);
  return [
    `Usage: ${PROGRAM} ${spec.name} [options]`,
    '',
    spec.description,
    '',
    'Options:',
    ...table(options),
    '',
    'Examples:',
    ...spec.examples.map((example) => `  ${example}`),
    '',
  ].join('\n');
}

export function renderOverview(commands: readonly CommandSpec[]): string {
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Builds, pushes, promotes and smoke-tests the Docker image of every Nx project that has a Dockerfile.',
    '',
    'Commands:',
    ...table(commands.map((command) => [command.name, command.summary])),
    '',
    `Run \`${PROGRAM} <command> --help\` for a command's options.`,
    '',
  ].join('\n');
}
