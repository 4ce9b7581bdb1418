import type { Clock } from '../clock.ts';

/**
 * A clock that moves only when it is slept on or told to: a sleep returns at once, the clock that much later,
 * and a request's time limit never runs out (the suite's hang guard stands in for it).
 */
export function fakeClock() {
  let now = 0;
  const slept: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    timeout: () => new AbortController().signal,
  };
  return {
    clock,
    /** Every sleep asked for, in order. */
    slept,
    advance: (ms: number) => {
      now += ms;
    },
  };
}
