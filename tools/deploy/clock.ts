import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Time as the deploy's waits see it. Their tests hand in a clock of their own, so how many looks a wait takes
 * and when it gives up do not depend on how fast the machine running them is.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A signal that aborts after `ms`: one request's time limit. */
  timeout(ms: number): AbortSignal;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms) => {
    await sleep(ms);
  },
  timeout: (ms) => AbortSignal.timeout(ms),
};
