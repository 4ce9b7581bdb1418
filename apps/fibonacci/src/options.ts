import { readInteger } from './server-config.ts';

/** This service's own settings, beside the generic ones in server-config.ts. */
export interface ServiceOptions {
  /** Largest n the API computes: fib(n) has about 0.21·n digits, so this bounds CPU and response size. */
  maxN: number;
}

export const defaultServiceOptions: ServiceOptions = { maxN: 10_000 };

/** The hard ceiling for FIB_MAX_N: fib(100 000) already takes milliseconds and is 20 899 digits long. */
export const maxNCeiling = 100_000;

export function readServiceOptions(env: Readonly<Record<string, string | undefined>>): ServiceOptions {
  return { maxN: readInteger(env, 'FIB_MAX_N', defaultServiceOptions.maxN, 1, maxNCeiling) };
}
