import { describe, expect, it } from 'vitest';
import { fakeClock } from '../testing/fake-clock.ts';
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
    const { clock, slept } = fakeClock();
    const probe = looks(waiting('connection refused'), waiting('HTTP 503'), { healthy: true });
    const outcome = await waitUntilHealthy(probe.look, { timeoutMs: 30_000, intervalMs: 1_000 }, clock);
    expect(outcome).toEqual({ healthy: true, afterMs: 2_000 });
    expect(probe.count()).toBe(3);
    expect(slept).toEqual([1_000, 1_000]);
  });

  it('looks once per interval, however long a look takes', async () => {
    const { clock, slept, advance } = fakeClock();
    const probe = looks(waiting('HTTP 503'), { healthy: true });
    const slowLook = async () => {
      advance(300);
      return probe.look();
    };
    expect(await waitUntilHealthy(slowLook, { timeoutMs: 30_000, intervalMs: 1_000 }, clock)).toEqual({ healthy: true, afterMs: 1_300 });
    expect(slept).toEqual([700]);
  });

  it('stops at once when the container has failed: waiting longer would not help', async () => {
    const { clock } = fakeClock();
    const probe = looks(waiting('connection refused'), { healthy: false, failed: 'it exited with code 1' });
    const outcome = await waitUntilHealthy(probe.look, { timeoutMs: 60_000, intervalMs: 1_000 }, clock);
    expect(outcome).toEqual({ healthy: false, reason: 'it exited with code 1' });
    expect(probe.count()).toBe(2);
  });

  it('gives up after the timeout, naming the last answer', async () => {
    const { clock } = fakeClock();
    const probe = looks(waiting('connection refused'), waiting('HTTP 503'));
    const outcome = await waitUntilHealthy(probe.look, { timeoutMs: 30_000, intervalMs: 1_000 }, clock);
    expect(outcome).toEqual({ healthy: false, reason: 'not healthy after 30 s; last answer: HTTP 503' });
    // At 0, 1, ..., 30 s: the last look is at the deadline itself.
    expect(probe.count()).toBe(31);
  });
});
