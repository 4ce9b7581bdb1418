import { describe, expect, it } from 'vitest';
import { buildWithUpstream } from './upstream-helper.ts';

const series = (method: string, route: string, status: number) =>
  `http_request_duration_seconds_count{method="${method}",route="${route}",status_code="${String(status)}"}`;

describe('GET /metrics', () => {
  it('counts an upstream failure as an error of the route it failed, API and page alike', async () => {
    const { app, fake } = await buildWithUpstream('open-meteo');
    expect((await app.inject('/api/weather?city=London')).statusCode).toBe(200);
    fake.fail('server-error');
    expect((await app.inject('/api/weather?city=Paris')).statusCode).toBe(502);
    expect((await app.inject({ method: 'POST', url: '/weather', payload: { city: 'Paris' } })).statusCode).toBe(502);

    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toContain(`${series('GET', '/api/weather', 200)} 1`);
    expect(metrics).toContain(`${series('GET', '/api/weather', 502)} 1`);
    expect(metrics).toContain(`${series('POST', '/weather', 502)} 1`);
  });
});
