import { describe, expect, it } from 'vitest';
import { historyLine, imagesNewestFirst, imagesToPrune, parseHistory, rollbackTarget, type Release } from './history.ts';

const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const image = (version: string, n: number) => `registry.example.com/shop/fibonacci:${version}@${digest(n)}`;
const release = (version: string, n: number, color: Release['color'] = 'blue'): Release => ({ time: `2026-11-0${n}T00:00:00.000Z`, image: image(version, n), color });

describe('the host history', () => {
  const history = [release('1.0.0', 1), release('1.1.0', 2, 'green'), release('1.0.0', 1), release('1.2.0', 3, 'green')];

  it('is one JSON line per release, read back as written', () => {
    const text = history.map(historyLine).join('');
    expect(text.split('\n')).toHaveLength(history.length + 1);
    expect(parseHistory(text)).toEqual(history);
    expect(parseHistory('')).toEqual([]);
  });

  it('lists each image once, newest first', () => {
    expect(imagesNewestFirst(history)).toEqual([image('1.2.0', 3), image('1.0.0', 1), image('1.1.0', 2)]);
  });

  it('rolls back to the newest image that is not the live one', () => {
    expect(rollbackTarget(history, image('1.2.0', 3))).toBe(image('1.0.0', 1));
    // When nothing runs (the live container died), the newest release is the one to bring back.
    expect(rollbackTarget(history, undefined)).toBe(image('1.2.0', 3));
    expect(rollbackTarget([release('1.0.0', 1)], image('1.0.0', 1))).toBeUndefined();
  });

  it('knows the live image by its digest, as the Ansible deploy starts it (repository@digest, no tag)', () => {
    const byDigest = (n: number) => `registry.example.com/shop/fibonacci@${digest(n)}`;
    expect(rollbackTarget(history, byDigest(3))).toBe(image('1.0.0', 1));
    expect(imagesToPrune(history, 2, [byDigest(2)])).toEqual([]);
  });

  it('rolls back to a version named by its tag or by the start of its digest', () => {
    expect(rollbackTarget(history, image('1.2.0', 3), '1.1.0')).toBe(image('1.1.0', 2));
    expect(rollbackTarget(history, image('1.2.0', 3), digest(2).slice(0, 14))).toBe(image('1.1.0', 2));
    expect(rollbackTarget(history, image('1.2.0', 3), digest(2).slice(7, 19))).toBe(image('1.1.0', 2));
    expect(rollbackTarget(history, image('1.2.0', 3), '9.9.9')).toBeUndefined();
  });

  it('prunes images past the newest ones kept, never one a container uses', () => {
    expect(imagesToPrune(history, 2, [])).toEqual([image('1.1.0', 2)]);
    expect(imagesToPrune(history, 2, [image('1.1.0', 2)])).toEqual([]);
    expect(imagesToPrune(history, 3, [])).toEqual([]);
  });
});
