import { describe, expect, it } from 'vitest';
import { buildExample } from '../helper.ts';

const count = (route: string, status: number, method = 'GET') =>
  `http_request_duration_seconds_count{method="${method}",route="${route}",status_code="${String(status)}"}`;

/** The count of one series in a /metrics answer; undefined when the series is not there. */
function countOf(metrics: string, route: string, status: number, method = 'GET'): number | undefined {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${count(route, status, method)} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe('GET /metrics', () => {
  it('answers the Prometheus text format', async () => {
    const app = await buildExample();
    const response = await app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.body).toContain('# TYPE http_request_duration_seconds histogram');
  });

  it('counts each answer by method, route template and status, with its duration', async () => {
    const app = await buildExample();
    await app.inject('/api/hello/ada');
    await app.inject('/api/hello/grace');
    await app.inject(`/api/hello/${'x'.repeat(21)}`);
    await app.inject('/api/upstream');
    await app.inject({ method: 'HEAD', url: '/api/hello/ada' });
    const metrics = (await app.inject('/metrics')).body;
    expect(countOf(metrics, '/api/hello/:name', 200)).toBe(2);
    expect(countOf(metrics, '/api/hello/:name', 400)).toBe(1);
    expect(countOf(metrics, '/api/upstream', 500)).toBe(1);
    expect(countOf(metrics, '/api/hello/:name', 200, 'HEAD')).toBe(1);
    expect(metrics).toMatch(/^http_request_duration_seconds_sum\{method="GET",route="\/api\/hello\/:name",status_code="200"\} \d/m);
    expect(metrics).toContain('http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/hello/:name",status_code="200"} 2');
    expect(metrics).not.toContain('route="/api/hello/ada"');
  });

  it('puts every URL no route matches under one label, not one series per URL', async () => {
    const app = await buildExample();
    await app.inject('/nope');
    await app.inject('/wp-admin/setup.php');
    await app.inject({ method: 'DELETE', url: '/api/hello/ada' });
    const metrics = (await app.inject('/metrics')).body;
    expect(countOf(metrics, 'unmatched', 404)).toBe(2);
    expect(countOf(metrics, 'unmatched', 404, 'DELETE')).toBe(1);
    expect(metrics).not.toContain('/wp-admin');
  });

  it('leaves its own scrapes out of the per-route series', async () => {
    const app = await buildExample();
    await app.inject('/metrics');
    expect((await app.inject('/metrics')).body).not.toContain('route="/metrics"');
  });

  it('includes the process metrics', async () => {
    const app = await buildExample();
    const metrics = (await app.inject('/metrics')).body;
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(metrics).toContain(`# TYPE ${name} `);
    }
  });

  it('counts each app on its own, however many one process builds', async () => {
    const [first, second] = await Promise.all([buildExample(), buildExample()]);
    await first.inject('/api/hello/ada');
    expect(countOf((await first.inject('/metrics')).body, '/api/hello/:name', 200)).toBe(1);
    expect(countOf((await second.inject('/metrics')).body, '/api/hello/:name', 200)).toBeUndefined();
  });

  it('is in the OpenAPI document as getMetrics, answering text/plain', async () => {
    const app = await buildExample();
    const document = (await app.inject('/docs/json')).json<{ paths: Record<string, { get: { operationId: string; responses: Record<string, { content: object }> } }> }>();
    const operation = document.paths['/metrics']?.get;
    expect(operation?.operationId).toBe('getMetrics');
    expect(Object.keys(operation?.responses['200']?.content ?? {})).toEqual(['text/plain']);
  });
});
