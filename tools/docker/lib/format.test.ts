import { describe, expect, it } from 'vitest';
import { excerpt, formatBytes, formatSeconds } from './format.ts';

describe('formatting', () => {
  it.each([
    [512, '512 B'],
    [4_840_000, '4.84 MB'],
    [131_993_288, '132 MB'],
    [1_500_000_000, '1.50 GB'],
  ])('%d bytes read %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('gives seconds with one decimal', () => {
    expect(formatSeconds(1449)).toBe('1.4 s');
  });

  it('puts a response body on one short line', () => {
    expect(excerpt('{\n  "n": 8\n}')).toBe('{ "n": 8 }');
    expect(excerpt('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
