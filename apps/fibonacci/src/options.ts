import { readInteger, type Env, type ServiceDefinition } from '@fastify-gitlab/service-kit';

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

/** What app.ts puts into the service's definition from here: how its settings are read (and any that are secret). */
export const optionsDefinition = {
  defaultOptions: defaultServiceOptions,
  readOptions: readServiceOptions,
} satisfies Partial<ServiceDefinition<ServiceOptions>>;
