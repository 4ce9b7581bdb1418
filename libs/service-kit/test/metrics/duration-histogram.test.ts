import { Registry, type Histogram } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DurationHistogram } from '../../src/metrics/duration-histogram.ts';

async function rendered(histogram: DurationHistogram): Promise<string[]> {
  const registry = new Registry();
  registry.registerMetric(histogram as unknown as Histogram);
  return (await registry.metrics()).trim().split('\n');
}

describe('DurationHistogram', () => {
  it('renders through prom-client as a Prometheus histogram: cumulative buckets, +Inf, sum and count', async () => {
    const histogram = new DurationHistogram('answer_seconds', 'How long answers take', [0.1, 1]);
    histogram.observe('GET', '/api/items/:id', 200, 0.05);
    histogram.observe('GET', '/api/items/:id', 200, 0.1);
    histogram.observe('GET', '/api/items/:id', 200, 0.5);
    histogram.observe('GET', '/api/items/:id', 200, 3);
    const labels = 'method="GET",route="/api/items/:id",status_code="200"';
    expect(await rendered(histogram)).toEqual([
      '# HELP answer_seconds How long answers take',
      '# TYPE answer_seconds histogram',
      `answer_seconds_bucket{le="0.1",${labels}} 2`,
      `answer_seconds_bucket{le="1",${labels}} 3`,
      `answer_seconds_bucket{le="+Inf",${labels}} 4`,
      `answer_seconds_sum{${labels}} 3.65`,
      `answer_seconds_count{${labels}} 4`,
    ]);
  });

  it('keeps one series per method, route and status code, and escapes what the format needs escaped', async () => {
    const histogram = new DurationHistogram('answer_seconds', 'How long answers take', [1]);
    histogram.observe('GET', '/a', 200, 0.5);
    histogram.observe('GET', '/a', 404, 0.5);
    histogram.observe('HEAD', '/a', 200, 0.5);
    histogram.observe('GET', '/b"\\', 200, 0.5);
    const counts = (await rendered(histogram)).filter((line) => line.startsWith('answer_seconds_count'));
    expect(counts).toEqual([
      'answer_seconds_count{method="GET",route="/a",status_code="200"} 1',
      'answer_seconds_count{method="GET",route="/a",status_code="404"} 1',
      'answer_seconds_count{method="HEAD",route="/a",status_code="200"} 1',
      'answer_seconds_count{method="GET",route="/b\\"\\\\",status_code="200"} 1',
    ]);
  });
});
