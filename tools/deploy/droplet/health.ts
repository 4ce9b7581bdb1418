import { setTimeout as sleep } from 'node:timers/promises';

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
export async function waitUntilHealthy(look: () => Promise<Observation>, { timeoutMs, intervalMs }: WaitOptions): Promise<WaitOutcome> {
  const start = Date.now();
  let last = 'no answer yet';
  for (;;) {
    const lookedAt = Date.now();
    const observation = await look();
    if (observation.healthy) return { healthy: true, afterMs: Date.now() - start };
    if ('failed' in observation) return { healthy: false, reason: observation.failed };
    last = observation.waiting;
    const elapsed = Date.now() - start;
    if (elapsed >= timeoutMs) {
      return { healthy: false, reason: `not healthy after ${Math.round(elapsed / 1000)} s; last answer: ${last}` };
    }
    await sleep(Math.max(0, Math.min(intervalMs - (Date.now() - lookedAt), timeoutMs - elapsed)));
  }
}
