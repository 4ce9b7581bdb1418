import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { requestIdOf } from '../../src/http/request-id.ts';
import { madeRequestId as uuid } from '../helper.ts';

function withHeader(value?: string | string[]): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  if (value !== undefined) request.headers['x-request-id'] = value;
  return request;
}

describe('requestIdOf', () => {
  it.each(['0f8fad5b-d9cb-469f-a165-70867728950e', '01ARZ3NDEKTSV4RMFFQ69G5FAV', 'web-1:req.42_a', 'x'.repeat(128)])('keeps the caller\'s %s', (id) => {
    expect(requestIdOf(withHeader(id))).toBe(id);
  });

  it('makes a UUID when the caller sends none', () => {
    expect(requestIdOf(withHeader())).toMatch(uuid);
    expect(requestIdOf(withHeader())).not.toBe(requestIdOf(withHeader()));
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(129)],
    ['with a space', 'two words'],
    ['with a quote', 'a"b'],
    ['with a line break', 'a\nb'],
    ['not ASCII', 'idé'],
    ['sent twice', ['a', 'b']],
  ])('replaces one that is %s with a new UUID', (_what, value) => {
    expect(requestIdOf(withHeader(value))).toMatch(uuid);
  });
});
