import { describe, expect, it } from 'vitest';
import { readServerSettings, readUrl } from '../src/settings.ts';

describe('readServerSettings', () => {
  it('has defaults for a local run', () => {
    expect(readServerSettings({}, 3000)).toEqual({
      port: 3000,
      host: '127.0.0.1',
      logLevel: 'info',
      logRequests: false,
      shutdownTimeoutMs: 10_000,
      maxEventLoopDelayMs: 1000,
      requestTimeoutMs: 10_000,
      connectionTimeoutMs: 65_000,
      rateLimitPerMinute: 60,
      trustProxy: 'loopback',
    });
  });

  it('trusts no proxy with TRUST_PROXY=none, and a number of proxies in front given as a number', () => {
    expect(readServerSettings({ TRUST_PROXY: 'none' }, 3000).trustProxy).toBe(false);
    expect(readServerSettings({ TRUST_PROXY: '1' }, 3000).trustProxy).toBe(1);
  });

  it('reads PORT, HOST, LOG_LEVEL, LOG_REQUESTS, SHUTDOWN_TIMEOUT_MS, MAX_EVENT_LOOP_DELAY_MS and the client timeouts', () => {
    const env = {
      ...{ PORT: '8080', HOST: '0.0.0.0', LOG_LEVEL: 'DEBUG', LOG_REQUESTS: 'true', SHUTDOWN_TIMEOUT_MS: '500', MAX_EVENT_LOOP_DELAY_MS: '0' },
      ...{ REQUEST_TIMEOUT_MS: '2000', CONNECTION_TIMEOUT_MS: '30000', RATE_LIMIT_PER_MINUTE: '0', TRUST_PROXY: '10.0.0.0/8, 127.0.0.1, linklocal' },
    };
    expect(readServerSettings(env, 3000)).toEqual({
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'debug',
      logRequests: true,
      shutdownTimeoutMs: 500,
      maxEventLoopDelayMs: 0,
      requestTimeoutMs: 2000,
      connectionTimeoutMs: 30_000,
      rateLimitPerMinute: 0,
      trustProxy: '10.0.0.0/8,127.0.0.1,linklocal',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number from 0 to 65535, got "eighty"/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of fatal, error/],
    [{ LOG_REQUESTS: 'yes please' }, /LOG_REQUESTS must be true or false/],
    [{ MAX_EVENT_LOOP_DELAY_MS: '-5' }, /MAX_EVENT_LOOP_DELAY_MS must be a whole number from 0 to 60000/],
    [{ REQUEST_TIMEOUT_MS: '0' }, /REQUEST_TIMEOUT_MS must be a whole number from 1 to 600000/],
    [{ TRUST_PROXY: 'everyone; really' }, /TRUST_PROXY must be none, a number of proxies, or addresses and ranges/],
    [{ TRUST_PROXY: 'localhost' }, /TRUST_PROXY must be none/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY must be none/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => readServerSettings(env, 3000)).toThrow(message);
  });
});

describe('readUrl', () => {
  it('falls back when the variable is unset or empty', () => {
    expect(readUrl({}, 'UPSTREAM_URL', 'https://api.example.com')).toBe('https://api.example.com');
    expect(readUrl({ UPSTREAM_URL: '' }, 'UPSTREAM_URL', 'https://api.example.com')).toBe('https://api.example.com');
  });

  it('reads an http(s) URL and drops the trailing slash', () => {
    expect(readUrl({ UPSTREAM_URL: 'http://127.0.0.1:4010/' }, 'UPSTREAM_URL', 'x')).toBe('http://127.0.0.1:4010');
    expect(readUrl({ UPSTREAM_URL: 'https://proxy.example.com/weather//' }, 'UPSTREAM_URL', 'x')).toBe('https://proxy.example.com/weather');
  });

  it.each(['localhost:4010', 'ftp://example.com', 'http://example.com/?q=1', 'not a url'])('refuses UPSTREAM_URL=%s naming the variable', (value) => {
    expect(() => readUrl({ UPSTREAM_URL: value }, 'UPSTREAM_URL', 'x')).toThrow(`UPSTREAM_URL must be an http:// or https:// URL without query or fragment, got "${value}"`);
  });
});
