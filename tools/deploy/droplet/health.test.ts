import { describe, expect, it } from 'vitest';
import { waitUntilHealthy, type Observation } from './health.ts';

/** Answers the given observations in turn, then repeats the last one; counts the looks. */
function looks(...observations: Observation[]) {
  let count = 0;
  const look = async () => observations[Math.min(count++, observations.length - 1)] ?? { healthy: false as const, failed: 'nothing to say' };
  return { look, count: () => count };
}

const waiting = (answer: string): Observation => ({ healthy: false, waiting: answer });

describe('waitUntilHealthy', () => {
  it('looks again until the new version is healthy', async () => {
    const probe = looks(waiting('connection refused'), waiting('HTTP 503'), { healthy: true });
    const outcome = await waitUntilHealthy(probe.look, { timeoutMs: 5_000, intervalMs: 10 });
    expect(outcome).toMatchObject({ healthy: true });
    expect(probe.count()).toBe(3);
  });

  it('stops at once when the container has failed: waiting longer would not help', async () => {
    const probe = looks(waiting('connection refused'), { healthy: false, failed: 'it exited with code 1' });
    const outcome = await waitUntilHealthy(probe.look, { timeoutMs: 60_000, intervalMs: 10 });
    expect(outcome).toEqual({ healthy: false, reason: 'it exited with code 1' });
    expect(probe.count()).toBe(2);
  });

  it('gives up after the timeout, naming the last answer', async () => {
    const probe = looks(waiting('connection refused'), waiting('HTTP 503'));
    const outcome = await waitUntilHealthy(probe.look, { timeoutMs: 100, intervalMs: 20 });
    expect(outcome).toEqual({ healthy: false, reason: expect.stringMatching(/^not healthy after \d+ s; last answer: HTTP 503$/) as string });
  });
});
