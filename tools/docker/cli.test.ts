import { describe, expect, it, vi } from 'vitest';
import { main } from './cli.ts';
import { runCli } from './testing/run-cli.ts';

const COMMANDS = ['build', 'push', 'release', 'smoke', 'base-image'];

/** main() in this process, with what it writes captured: the cases about what the CLI says need no Node of their own. */
async function run(args: string[]) {
  const written = { stdout: '', stderr: '' };
  for (const stream of ['stdout', 'stderr'] as const) {
    vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
      written[stream] += String(chunk);
      return true;
    });
  }
  try {
    return { code: await main(args), ...written };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('node tools/docker/cli.ts', () => {
  it('lists its commands for --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
  });

  it.each(COMMANDS)('explains %s --help with its usage, options and examples', async (command) => {
    const { code, stdout } = await run([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: node tools/docker/cli.ts ${command} [options]`);
    expect(stdout).toContain('-h, --help');
    expect(stdout).toContain(`node tools/docker/cli.ts ${command}`);
  });

  it('exits 2 with the overview when no command is given, or an unknown one', async () => {
    expect(await run([])).toMatchObject({ code: 2, stderr: expect.stringContaining('Commands:') as string });
    expect(await run(['deploy'])).toMatchObject({ code: 2, stderr: 'tools/docker deploy: unknown command "deploy"; the commands are: build, push, release, smoke, base-image\n' });
  });

  it('exits 2 for an option the command does not have', async () => {
    const { code, stderr } = await run(['push', '--password', 'x']);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--password'. See: node tools/docker/cli.ts push --help");
  });

  // As a user runs it: the exit status reaches the shell, and the process leaves despite dockerode.
  it('fails, saying how to start one, when no Docker engine answers', async () => {
    const { code, stderr } = await runCli(['base-image'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(code).toBe(1);
    expect(stderr).toContain('Cannot reach the Docker engine at unix:///nonexistent/docker.sock (ENOENT)');
    expect(stderr).toContain('dockerd --bridge=none --iptables=false');
  });
});
