import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { demuxLogs } from './container-logs.ts';
import { CliError } from './errors.ts';
import { excerpt, formatSeconds } from './format.ts';

/** The command the engine runs for a HEALTHCHECK (`Config.Healthcheck.Test`), as an exec's argv; none for `NONE`. */
export function healthcheckCommand(test: string[] | undefined): string[] | undefined {
  const [kind, ...rest] = test ?? [];
  if (kind === 'CMD' && rest.length > 0) return rest;
  if (kind === 'CMD-SHELL' && rest[0] !== undefined) return ['/bin/sh', '-c', rest[0]];
  return undefined;
}

/** Fails with `message` after `ms`, unless what it races with settles first; keeps no process alive. */
async function failAfter(ms: number, message: string): Promise<never> {
  await sleep(ms, undefined, { ref: false });
  throw new CliError(message);
}

/** Runs the image's health check command once in the container, as the engine would; fails with its output unless it exits 0. */
async function passHealthcheck(container: Docker.Container, command: string[], timeoutMs: number): Promise<void> {
  const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  const finished = (async () => {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  })();
  await Promise.race([finished, failAfter(timeoutMs, `the image's HEALTHCHECK command did not finish within ${formatSeconds(timeoutMs)}`)]);
  const { ExitCode } = await exec.inspect();
  if (ExitCode !== 0) throw new CliError(`the image's HEALTHCHECK failed with exit code ${ExitCode ?? 'none'}: ${excerpt(demuxLogs(Buffer.concat(chunks)))}`);
}

/** What GET `url` got: undefined for a 2xx, else what came back, for the message when it never does. */
async function healthAnswer(url: URL): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.ok ? undefined : `answered ${response.status}`;
  } catch {
    return 'no answer';
  }
}

/**
 * Waits until the service answers 2xx at `healthUrl` (polled every 100 ms, not at the engine's health check interval,
 * at least a second on an engine before Docker 25's start interval), then runs the image's own health check command
 * once, so the HEALTHCHECK is still proven to work. Fails at once if the container exits.
 */
export async function waitServing(container: Docker.Container, healthUrl: URL, command: string[], timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { State } = await container.inspect();
    if (!State.Running) throw new CliError(`the container exited with code ${State.ExitCode} before answering ${healthUrl.pathname}`);
    const failure = await healthAnswer(healthUrl);
    if (failure === undefined) break;
    if (performance.now() > deadline) throw new CliError(`${healthUrl.pathname} did not answer 2xx within ${formatSeconds(timeoutMs)} (last: ${failure})`);
    await sleep(100);
  }
  await passHealthcheck(container, command, Math.max(deadline - performance.now(), 5000));
}
