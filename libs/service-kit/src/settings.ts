/** How the process listens, logs and shuts down: the same variables for every service. */
export interface ServerSettings {
  port: number;
  host: string;
  logLevel: LogLevel;
  logRequests: boolean;
  shutdownTimeoutMs: number;
  maxEventLoopDelayMs: number;
  requestTimeoutMs: number;
  connectionTimeoutMs: number;
  rateLimitPerMinute: number;
  trustProxy: string | number | false;
}

/** A lag no healthy request sees: the service is queueing far more work than it can do. */
export const defaultMaxEventLoopDelayMs = 1000;

/**
 * How long a client may take to send a whole request, headers and body. Our requests are a line of
 * headers and at most a few KiB of body: 10 s is ages for a real client on a bad link, and it caps how
 * long a client that trickles bytes (slowloris) can hold a connection. Fastify's default is no limit.
 */
export const defaultRequestTimeoutMs = 10_000;

/**
 * How long a connection may go without a byte either way while a request is in hand: above the longest
 * a handler waits for an upstream (UPSTREAM_TIMEOUT_MS is at most 60 s), so only a dead or stalled
 * client (one that stops reading its answer) is cut. Fastify's default is no limit.
 */
export const defaultConnectionTimeoutMs = 65_000;

/**
 * Requests a client may make a minute to the routes that opt in (those that cost an upstream call): one a
 * second on average, in bursts, more than a person or a polling dashboard needs.
 */
export const defaultRateLimitPerMinute = 60;

/**
 * Whose X-Forwarded-For to believe for the client's address (the rate limit's key, and the logs): by default
 * a proxy on the same host, as the droplet and Ansible deploys put nginx in front. Anyone else's is ignored.
 */
const defaultTrustProxy = 'loopback';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

import { isIP } from 'node:net';
import type { Env } from './service-definition.ts';

export function readServerSettings(env: Env, defaultPort: number): ServerSettings {
  return {
    port: readInteger(env, 'PORT', defaultPort, 0, 65_535),
    host: env.HOST ?? '127.0.0.1',
    logLevel: readLogLevel(env.LOG_LEVEL),
    logRequests: readBoolean(env, 'LOG_REQUESTS', false),
    shutdownTimeoutMs: readInteger(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    maxEventLoopDelayMs: readInteger(env, 'MAX_EVENT_LOOP_DELAY_MS', defaultMaxEventLoopDelayMs, 0, 60_000),
    requestTimeoutMs: readInteger(env, 'REQUEST_TIMEOUT_MS', defaultRequestTimeoutMs, 1, 600_000),
    connectionTimeoutMs: readInteger(env, 'CONNECTION_TIMEOUT_MS', defaultConnectionTimeoutMs, 1, 600_000),
    rateLimitPerMinute: readInteger(env, 'RATE_LIMIT_PER_MINUTE', defaultRateLimitPerMinute, 0, 1_000_000),
    trustProxy: readTrustProxy(env.TRUST_PROXY),
  };
}

export function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be true or false, got "${env[name] ?? ''}"`);
}

/** An http(s) base URL, such as an upstream API's; returned without a trailing slash, ready for `${url}/path`. */
export function readUrl(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const url = URL.parse(raw);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
    throw new Error(`${name} must be an http:// or https:// URL without query or fragment, got "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * `none`; a number of proxies in front (their X-Forwarded-For entries are believed, from the right); or
 * addresses, CIDR ranges and proxy-addr's names (loopback, linklocal, uniquelocal), comma-separated.
 */
function readTrustProxy(raw: string | undefined): string | number | false {
  const value = raw?.trim() ?? '';
  if (value === '') return defaultTrustProxy;
  if (value === 'none') return false;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  if (!entries.every((entry) => proxyNames.has(entry) || isAddressOrRange(entry))) {
    throw new Error(`TRUST_PROXY must be none, a number of proxies, or addresses and ranges such as loopback or 10.0.0.0/8, comma-separated, got "${raw ?? ''}"`);
  }
  return entries.join(',');
}

const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const version = isIP(address);
  return version !== 0 && rest.length === 0 && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128)));
}

function readLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw === '') return 'info';
  const level = logLevels.find((candidate) => candidate === raw.toLowerCase());
  if (!level) throw new Error(`LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${raw}"`);
  return level;
}
