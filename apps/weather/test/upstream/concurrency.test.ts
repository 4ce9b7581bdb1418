import { describe, expect, it, vi } from 'vitest';
import { ConcurrencyLimit } from '../../src/upstream/concurrency.ts';
import { Upstream } from '../../src/upstream/upstream.ts';

/** Lets every promise callback that can run, run: what is still pending after it waits on something outside. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyLimit', () => {
  it('lets `max` callers in at once, and the others in the order they came as slots are given back', async () => {
    const limit = new ConcurrencyLimit(2);
    const entered: number[] = [];
    const releases = new Map<number, () => void>();
    const never = new AbortController().signal;
    for (const caller of [1, 2, 3, 4]) {
      void limit.acquire(never).then((release) => {
        entered.push(caller);
        releases.set(caller, release);
      });
    }
    await settle();
    expect(entered).toEqual([1, 2]);
    releases.get(2)?.();
    releases.get(2)?.(); // a second release gives nothing back
    await settle();
    expect(entered).toEqual([1, 2, 3]);
    releases.get(1)?.();
    await settle();
    expect(entered).toEqual([1, 2, 3, 4]);
  });

  it('drops a waiting caller whose signal aborts, with the signal\'s reason, and keeps its turn for the next', async () => {
    const limit = new ConcurrencyLimit(1);
    const never = new AbortController().signal;
    const release = await limit.acquire(never);
    const deadline = new AbortController();
    const dropped = limit.acquire(deadline.signal);
    const next = limit.acquire(never);
    deadline.abort(new Error('deadline passed'));
    await expect(dropped).rejects.toThrow('deadline passed');
    release();
    await expect(next).resolves.toBeTypeOf('function');
  });
});

describe('Upstream', () => {
  it('has at most maxConcurrent requests in flight; the others wait within the deadline, and a 504 frees their place', async () => {
    const answers: (() => void)[] = [];
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(
      () =>
        new Promise((resolve) => {
          answers.push(() => {
            resolve(new Response('{}', { status: 200 }));
          });
        }),
    );
    try {
      const upstream = new Upstream('Test', { timeoutMs: 1000, maxConcurrent: 2 });
      const never = new AbortController().signal;
      const deadline = new AbortController();
      const calls = [upstream.getJson(new URL('http://upstream.test/1'), never), upstream.getJson(new URL('http://upstream.test/2'), never)];
      const timedOut = upstream.getJson(new URL('http://upstream.test/3'), deadline.signal);
      const waiting = upstream.getJson(new URL('http://upstream.test/4'), never);
      await settle();
      expect(fetchSpy).toHaveBeenCalledTimes(2);

      deadline.abort();
      await expect(timedOut).rejects.toMatchObject({ statusCode: 504, code: 'WEATHER_UPSTREAM_TIMEOUT' });
      answers.shift()?.();
      await calls[0];
      await settle();
      expect(fetchSpy).toHaveBeenCalledTimes(3);
      expect(fetchSpy.mock.calls.map(([url]) => (url instanceof URL ? url.href : url))).toEqual(['http://upstream.test/1', 'http://upstream.test/2', 'http://upstream.test/4']);
      for (const answer of answers.splice(0)) answer();
      await expect(Promise.all([calls[1], waiting])).resolves.toHaveLength(2);
    } finally {
      fetchSpy.mockRestore();
    }
  });
});
