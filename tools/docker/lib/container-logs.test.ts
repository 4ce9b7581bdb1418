import { describe, expect, it } from 'vitest';
import { demuxLogs } from './container-logs.ts';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('demuxLogs', () => {
  it('joins the stdout and stderr frames of a container without a TTY, in order', () => {
    expect(demuxLogs(Buffer.concat([frame(1, '{"msg":"listening"}\n'), frame(2, 'warning\n'), frame(1, 'ü\n')]))).toBe('{"msg":"listening"}\nwarning\nü\n');
  });

  it('is empty for no logs', () => {
    expect(demuxLogs(Buffer.alloc(0))).toBe('');
  });
});
