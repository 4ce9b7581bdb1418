import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './cli.ts';

/** main() with console output captured; nothing here reaches a host. */
async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => err.push(line));
  const code = await main(args, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('tools/deploy/cli.ts', () => {
  it('prints its commands, options and variables with --help, and without arguments', async () => {
    for (const args of [['--help'], []]) {
      const { code, out } = await run(args);
      expect(code).toBe(0);
      expect(out).toContain('droplet deploy');
      expect(out).toContain('ansible deploy');
      expect(out).toContain('--health-timeout');
      expect(out).toContain('SSH_KNOWN_HOSTS');
    }
  });

  it('refuses an unknown command with exit status 2, pointing to --help', async () => {
    const { code, err } = await run(['droplet', 'destroy', '--project', 'fibonacci']);
    expect(code).toBe(2);
    expect(err).toContain('deploy: unknown command "droplet destroy"');
    expect(err).toContain('--help');
  });

  it('refuses missing settings before connecting anywhere', async () => {
    const { code, err } = await run(['droplet', 'status', '--project', 'fibonacci', '--host', 'droplet.example.com']);
    expect(code).toBe(2);
    expect(err).toContain('SSH_KNOWN_HOSTS');
  });
});
