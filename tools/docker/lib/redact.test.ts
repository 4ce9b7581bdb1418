import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact.ts';

describe('redactSecrets', () => {
  it('hides every registry password and token the environment holds', () => {
    const env = { CI_REGISTRY_PASSWORD: 'job-token-123', DOCKER_HUB_TOKEN: 'dckr_pat_456', CI_JOB_TOKEN: 'job-token-123', DOCKER_HUB_USER: 'alice' };
    expect(redactSecrets('alice used dckr_pat_456 and job-token-123 twice: job-token-123', env)).toBe('alice used [redacted] and [redacted] twice: [redacted]');
  });

  it('leaves text alone when no secret is set, or one too short to hide safely', () => {
    expect(redactSecrets('pushed fibonacci:abc', { DOCKER_HUB_TOKEN: 'abc' })).toBe('pushed fibonacci:abc');
  });
});
