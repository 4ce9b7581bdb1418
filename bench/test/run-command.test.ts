import { describe, expect, it } from 'vitest';
import { runCommand } from '../lib/run-command.ts';

describe('runCommand', () => {
  it('collects stdout and stderr and gives the exit code', async () => {
    const result = await runCommand(process.execPath, ['-e', 'console.log("out"); console.error("err"); process.exit(3)'], { cwd: process.cwd() });
    expect(result.code).toBe(3);
    expect(result.output).toContain('out\n');
    expect(result.output).toContain('err\n');
  });
});
