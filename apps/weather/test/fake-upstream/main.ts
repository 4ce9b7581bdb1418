import { faults, startFakeUpstream, upstreamEnv } from './server.ts';

// For a local demo with no internet: the fake OpenWeather and Open-Meteo on one port, optionally misbehaving.
//   node apps/weather/test/fake-upstream/main.ts        (PORT=4010, FAKE_UPSTREAM_FAULT=slow|server-error|…)
const fault = faults.find((name) => name === process.env.FAKE_UPSTREAM_FAULT);
if (process.env.FAKE_UPSTREAM_FAULT && !fault) {
  console.error(`FAKE_UPSTREAM_FAULT must be one of ${faults.join(', ')}, got "${process.env.FAKE_UPSTREAM_FAULT}"`);
  process.exit(2);
}
const fake = await startFakeUpstream({ port: Number(process.env.PORT ?? 4010) });
if (fault) fake.fail(fault);

console.log(`fake upstream (OpenWeather and Open-Meteo, knows London) on ${fake.url}${fault ? `, failing with ${fault}` : ''}
Point the weather service at it:
  ${Object.entries(upstreamEnv(fake.url)).map(([name, value]) => `${name}=${value}`).join(' ')}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void fake.close());
}
