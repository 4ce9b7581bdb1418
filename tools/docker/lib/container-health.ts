import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { CliError } from './errors.ts';
import { excerpt, formatSeconds } from './format.ts';

/** Waits for the engine to call the container healthy (its HEALTHCHECK); fails at once if it exits or turns unhealthy. */
export async function waitHealthy(container: Docker.Container, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { State } = await container.inspect();
    if (!State.Running) throw new CliError(`the container exited with code ${State.ExitCode} before turning healthy`);
    const status = State.Health?.Status;
    if (status === 'healthy') return;
    if (status === 'unhealthy') throw new CliError(`the container turned unhealthy: ${excerpt(State.Health?.Log.at(-1)?.Output ?? '')}`);
    if (performance.now() > deadline) throw new CliError(`the container was not healthy after ${formatSeconds(timeoutMs)} (health: ${status ?? 'none'})`);
    await sleep(250);
  }
}

/** The image's own health check, called every second instead of its interval, so a healthy service shows at once. */
export const FAST_HEALTHCHECK = { Interval: 1_000_000_000 };
