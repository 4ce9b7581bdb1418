import { systemClock, type Clock } from '../clock.ts';

/** What one look at the new container says. */
export type Observation = { healthy: true } | { healthy: false; failed: string } | { healthy: false; waiting: string };

export interface WaitOptions {
  timeoutMs: number;
  intervalMs: number;
}

export type WaitOutcome = { healthy: true; afterMs: number } | { healthy: false; reason: string };

/**
 * Kamal's rule: look once per interval until healthy; stop at once when the container has failed (it
 * exited or restarted: waiting longer will not help), and give up after the timeout, naming the last answer.
 */
export async function waitUntilHealthy(look: () => Promise<Observation>, { timeoutMs, intervalMs }: WaitOptions, clock: Clock = systemClock): Promise<WaitOutcome> {
  const start = clock.now();
  let last = 'no answer yet';
  for (;;) {
    const lookedAt = clock.now();
    const observation = await look();
    if (observation.healthy) return { healthy: true, afterMs: clock.now() - start };
    if ('failed' in observation) return { healthy: false, reason: observation.failed };
    last = observation.waiting;
    const elapsed = clock.now() - start;
    if (elapsed >= timeoutMs) {
      return { healthy: false, reason: `not healthy after ${Math.round(elapsed / 1000)} s; last answer: ${last}` };
    }
    await clock.sleep(Math.max(0, Math.min(intervalMs - (clock.now() - lookedAt), timeoutMs - elapsed)));
  }
}
