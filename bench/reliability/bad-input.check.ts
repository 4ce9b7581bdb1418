import { describe, expect, it } from 'vitest';
import { badInputCorpus, type BadRequest } from '../lib/corpus.ts';
import { fetchOpenApi } from '../lib/openapi.ts';
import { sendRaw, type RawOutcome } from '../lib/raw-http.ts';
import { expectHealthy, services, startBundle, validPathsOf } from './support.ts';

const concurrency = 16;

describe.each(services)('$name given bad input', (service) => {
  it('answers every one of 1 000+ bad requests without a 5xx, and stays healthy', async () => {
    const server = await startBundle(service);
    const corpus = badInputCorpus(await fetchOpenApi(server.url));
    expect(corpus.length).toBeGreaterThanOrEqual(1000);

    const outcomes = await sendAll(server.port, corpus);

    const named = (entries: [BadRequest, RawOutcome][]) => entries.map(([request, outcome]) => `${request.name} → ${outcome.status ?? outcome.failure ?? '?'}`);
    const statuses = new Map<string, number>();
    for (const [, outcome] of outcomes) statuses.set(String(outcome.status ?? outcome.failure), (statuses.get(String(outcome.status ?? outcome.failure)) ?? 0) + 1);
    console.log(`${service.name}: ${corpus.length} bad requests, answered ${JSON.stringify(Object.fromEntries(statuses))}`);

    expect(named(outcomes.filter(([, outcome]) => (outcome.status ?? 0) >= 500)), 'server errors').toEqual([]);
    expect(named(outcomes.filter(([request, outcome]) => request.expectsResponse && outcome.status === undefined)), 'no answer').toEqual([]);
    expect(named(outcomes.filter(([, outcome]) => isErrorWithBody(outcome) && !/^content-type: application\/json/im.test(outcome.headers))), 'error bodies that are not JSON').toEqual([]);
    await expectHealthy(server, await validPathsOf(server));
  });
});

async function sendAll(port: number, corpus: BadRequest[]): Promise<[BadRequest, RawOutcome][]> {
  const outcomes: [BadRequest, RawOutcome][] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let request = corpus[next++]; request !== undefined; request = corpus[next++]) {
        // A request that never finishes arriving gets a short wait: the service may rightly wait for the rest.
        outcomes.push([request, await sendRaw(port, request.bytes, request.expectsResponse ? 10_000 : 500)]);
      }
    }),
  );
  return outcomes;
}

/** A 4xx/5xx that carries a body (a chunked body of no bytes, as Node itself sends for framing errors, carries none). */
function isErrorWithBody(outcome: RawOutcome): boolean {
  return (outcome.status ?? 0) >= 400 && outcome.body !== '' && outcome.body !== '0\r\n\r\n';
}
