import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { requestIdOf } from '../../src/http/request-id.ts';
import { madeRequestId as uuid } from '../helper.ts';

/** A request as Node's parser leaves it: the header's name as the caller spelled it, once per line sent. */
function withHeader(value?: string | string[], name = 'X-Request-Id'): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  request.rawHeaders = ['Host', 'example.com', ...[value ?? []].flat().flatMap((one) => [name, one])];
  return request;
}

describe('requestIdOf', () => {
  it.each(['0f8fad5b-d9cb-469f-a165-70867728950e', '01ARZ3NDEKTSV4RMFFQ69G5FAV', 'web-1:req.42_a', 'x'.repeat(128)])('keeps the caller\'s %s', (id) => {
    expect(requestIdOf(withHeader(id))).toBe(id);
  });

  it.each(['x-request-id', 'X-REQUEST-ID'])('finds the header however the caller spells its name: %s', (name) => {
    expect(requestIdOf(withHeader('abc-1', name))).toBe('abc-1');
  });

  it('takes no other header for it', () => {
    expect(requestIdOf(withHeader('abc-1', 'x-request-ix'))).toMatch(uuid);
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
