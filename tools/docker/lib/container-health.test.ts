import { describe, expect, it } from 'vitest';
import { healthcheckCommand } from './container-health.ts';

describe("the image's health check command, as smoke runs it once", () => {
  it('is the exec form as written', () => {
    expect(healthcheckCommand(['CMD', 'node', '-e', 'process.exit(0)'])).toEqual(['node', '-e', 'process.exit(0)']);
  });

  it("is the shell form through the image's /bin/sh, as the engine runs it", () => {
    expect(healthcheckCommand(['CMD-SHELL', 'wget -q -O- localhost:3000/health'])).toEqual(['/bin/sh', '-c', 'wget -q -O- localhost:3000/health']);
  });

  it.each([[undefined], [[]], [['NONE']], [['CMD']]])('is none for %j: nothing to run', (test) => {
    expect(healthcheckCommand(test)).toBeUndefined();
  });
});
