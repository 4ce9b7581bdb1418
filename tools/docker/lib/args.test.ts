import { describe, expect, it } from 'vitest';
import { parseCommandArgs, renderHelp, renderOverview, type CommandSpec } from './args.ts';
import { UsageError } from './errors.ts';

const spec = {
  name: 'build',
  summary: 'Build images',
  description: 'Builds the image of each project.',
  options: {
    project: { type: 'string', multiple: true, placeholder: '<name>', description: 'A project' },
    affected: { type: 'boolean', description: 'Affected projects' },
    'base-image': { type: 'string', placeholder: '<image>', env: 'NODE_IMAGE', description: 'Base image' },
  },
  examples: ['node tools/docker/cli.ts build --project fibonacci'],
} as const satisfies CommandSpec;

describe('parseCommandArgs', () => {
  it('collects repeated options, and gives absent ones their empty value', () => {
    expect(parseCommandArgs(spec, ['--project', 'a', '--project=b'])).toEqual({
      help: false,
      values: { project: ['a', 'b'], affected: false, 'base-image': undefined },
    });
    expect(parseCommandArgs(spec, ['--affected', '--base-image', 'local/node:24'])).toEqual({
      help: false,
      values: { project: [], affected: true, 'base-image': 'local/node:24' },
    });
  });

  it('answers help for -h and --help, whatever else is given', () => {
    expect(parseCommandArgs(spec, ['-h'])).toEqual({ help: true });
    expect(parseCommandArgs(spec, ['--project', 'a', '--help'])).toEqual({ help: true });
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--project'], "Option '--project <value>' argument missing"],
    [['fibonacci'], "Unexpected argument 'fibonacci'. This command does not take positional arguments"],
  ])('refuses %j with a usage error that points at --help', (args, message) => {
    expect(() => parseCommandArgs(spec, args)).toThrow(UsageError);
    expect(() => parseCommandArgs(spec, args)).toThrow(`${message}. See: node tools/docker/cli.ts build --help`);
  });
});

describe('help text', () => {
  it('lists every option with its value, notes and the help flag', () => {
    expect(renderHelp(spec)).toMatchInlineSnapshot(`
      "Usage: node tools/docker/cli.ts build [options]

      Builds the image of each project.

      Options:
            --project <name>      A project [repeatable]
            --affected            Affected projects
            --base-image <image>  Base image [env NODE_IMAGE]
        -h, --help                Show this help

      Examples:
        node tools/docker/cli.ts build --project fibonacci
      "
    `);
  });

  it('lists the commands with their summaries', () => {
    expect(renderOverview([spec, { ...spec, name: 'base-image', summary: 'Build the base' }])).toContain(
      ['Commands:', '  build       Build images', '  base-image  Build the base'].join('\n'),
    );
  });
});
