import { readInteger, responseCacheEntryOverheadBytes, type Env, type ServiceDefinition } from '@fastify-gitlab/service-kit';

/** This service's own settings, beside the ones every service reads (PORT, HOST, LOG_LEVEL…). */
export interface ServiceOptions {
  /** Largest n the API computes: fib(n) has about 0.21·n digits, so this bounds CPU and response size. */
  maxN: number;
}

export const defaultServiceOptions: ServiceOptions = { maxN: 10_000 };

/** The ceiling for FIB_MAX_N: fib(100 000) already takes milliseconds and is 20 899 digits long. */
export const maxNCeiling = 100_000;

export function readServiceOptions(env: Env): ServiceOptions {
  return { maxN: readInteger(env, 'FIB_MAX_N', defaultServiceOptions.maxN, 1, maxNCeiling) };
}

/** The most the kit's response cache may hold; past it the least recently asked answers go first. */
export const responseCacheCeilingBytes = 32 * 1024 * 1024;

/**
 * Room in the response cache for every answer up to maxN, so callers asking many different n are answered
 * from it once each n has been asked: fib(n) has about 0.209·n digits, so the answers up to maxN add up to
 * about 0.105·maxN² bytes (13 MB with their headers for the default 10 000). A larger FIB_MAX_N gets the ceiling.
 */
export function responseCacheBytes({ maxN }: ServiceOptions): number {
  const answerBytes = 0.105 * maxN * maxN + (maxN + 1) * (responseCacheEntryOverheadBytes + '{"n":,"value":""}'.length + String(maxN).length);
  return Math.min(responseCacheCeilingBytes, Math.ceil(answerBytes));
}

/** What app.ts puts into the service's definition from here: how its settings are read (and any that are secret), and its cache's size. */
export const optionsDefinition = {
  defaultOptions: defaultServiceOptions,
  readOptions: readServiceOptions,
  responseCacheBytes,
} satisfies Partial<ServiceDefinition<ServiceOptions>>;
