import { setTimeout as sleep } from 'node:timers/promises';
import { DeployError } from '../deploy-error.ts';
import { registryOf, type Color, type DeploySettings } from '../settings.ts';
import { waitUntilHealthy, type Observation } from './health.ts';
import { historyLine, imagesToPrune, parseHistory, rollbackTarget } from './history.ts';
import type { Host } from './host.ts';
import { layoutOf, otherColor, type Layout } from './layout.ts';
import { renderNginxSite } from './nginx-site.ts';

export interface DeployInputs {
  image: string;
  credentials?: { user: string; password: string } | undefined;
  envFileContent?: string | undefined;
}

export type Report = (line: string) => void;

/**
 * Requests nginx routed to the old color just before the switch still have to reach it: this pause
 * comes before the SIGTERM, whose own drain then lets the old version finish what it has.
 */
const settleMs = 1_000;
const proxyCheckTimeoutMs = 5_000;

/**
 * Kamal's deploy, on one host: start the new version beside the old one, GET its health path once a
 * second (up to --health-timeout), switch nginx to it only when it answers 200, then stop the old one
 * with a drain. A version that never gets healthy is removed, the old one keeps serving, and the deploy
 * fails saying why. All of it under the deployment's lock on the host.
 */
/** An nginx site the host must have: where, and what it says. */
export interface Site {
  file: string;
  content: string;
}

export async function deploy(host: Host, settings: DeploySettings, inputs: DeployInputs, report: Report, site?: Site): Promise<void> {
  await locked(host, settings, () => deployLocked(host, settings, inputs, report, site));
}

/** `site`: the nginx site the host must have, by default the deployment's own (review apps share one). */
async function deployLocked(host: Host, settings: DeploySettings, inputs: DeployInputs, report: Report, site?: Site): Promise<void> {
  const started = Date.now();
  const layout = layoutOf(settings);
  const { file, content } = site ?? { file: layout.nginxSite, content: renderNginxSite(settings, layout) };
  await host.prepare();
  const containers = await host.containers();
  const active = await host.activeColor();
  const next = otherColor(active);
  const old = containers[active]?.running ? containers[active] : undefined;
  report(`${layout.name}: ${old ? `${active} serves ${old.image}` : 'nothing serves yet'}; starting ${next}`);

  // The service's settings and secrets stay on the host: a deploy or rollback without --service-env-file keeps them.
  // A new one is kept only once the version started with it is live: a bad setting fails this deploy, not the next.
  const newEnv = inputs.envFileContent !== undefined;
  if (inputs.envFileContent !== undefined) await host.writeEnvFile(inputs.envFileContent);
  const envFile = newEnv ? layout.nextEnvFile : (await host.hasEnvFile()) ? layout.envFile : undefined;
  if (await host.hasImage(inputs.image)) report(`${inputs.image} is on the host already`);
  else await host.pull(inputs.image, registryOf(inputs.image), inputs.credentials);

  const container = layout.containers[next];
  if (containers[next]) await removeUnrouted(host, layout, next);
  await host.run({
    container,
    color: next,
    image: inputs.image,
    port: settings.colorPorts[next],
    drainTimeoutS: settings.drainTimeoutS,
    envFile,
    limits: settings.limits,
  });

  const health = await waitUntilHealthy(() => lookAt(host, container, settings.colorPorts[next], settings.healthPath), {
    timeoutMs: settings.healthTimeoutS * 1000,
    intervalMs: 1000,
  });
  if (!health.healthy) await giveUp(host, layout, next, `${container} (${inputs.image}) did not get healthy: ${health.reason}`);
  else report(`${container} answers ${settings.healthPath} with 200 after ${(health.afterMs / 1000).toFixed(1)} s`);

  // nginx has to take the site (written, tested, reloaded; put back when it fails) before traffic moves:
  // until the marker switches below, it still routes to the live color.
  const siteWritten = await host.ensureSite(content).catch(async (error: unknown) => {
    if (!(error instanceof DeployError)) throw error;
    return giveUp(host, layout, next, error.message);
  });
  if (siteWritten) report(`nginx site ${file} written and nginx reloaded`);
  await host.switchTo(next);
  const proxied = await proxyServes(host, settings, next);
  if (proxied !== true) {
    await host.switchTo(active);
    await giveUp(host, layout, next, `nginx on port ${settings.port} does not route to ${next}: ${proxied}`);
  }
  report(`nginx on port ${settings.port} now sends traffic to ${next}`);
  if (newEnv) await host.keepEnvFile();

  if (old) {
    await sleep(settleMs);
    await host.stop(old.name);
    report(`${old.name} stopped after finishing its requests (kept for its logs; its image is kept for rollback)`);
  }

  await host.appendHistory(historyLine({ time: new Date().toISOString(), image: inputs.image, color: next }));
  const prune = imagesToPrune(parseHistory(await host.history()), settings.keep, [inputs.image, ...(old ? [old.image] : [])]);
  await host.removeImages(prune);
  report(`${layout.name}: ${inputs.image} is live on port ${settings.port} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** Deploys an image from the host's history again: the previous one, or the one `--to` names. */
export async function rollback(host: Host, settings: DeploySettings, inputs: Omit<DeployInputs, 'image'>, report: Report): Promise<void> {
  await locked(host, settings, () => rollbackLocked(host, settings, inputs, report));
}

async function rollbackLocked(host: Host, settings: DeploySettings, inputs: Omit<DeployInputs, 'image'>, report: Report): Promise<void> {
  const layout = layoutOf(settings);
  const containers = await host.containers();
  const current = containers[await host.activeColor()];
  const history = parseHistory(await host.history());
  const image = rollbackTarget(history, current?.running ? current.image : undefined, settings.to);
  if (!image) {
    const known = history.map((release) => `  ${release.time} ${release.image}`).join('\n');
    throw new DeployError(
      settings.to === undefined
        ? `${layout.name} has no earlier version to roll back to${known ? `; history:\n${known}` : ''}`
        : `no version matching "${settings.to}" in the history of ${layout.name}${known ? `:\n${known}` : ''}`,
    );
  }
  report(`${layout.name}: rolling back to ${image}`);
  await deployLocked(host, settings, { ...inputs, image }, report);
}

export async function status(host: Host, settings: DeploySettings, report: Report): Promise<void> {
  const layout = layoutOf(settings);
  const containers = await host.containers();
  const active = await host.activeColor();
  report(`${layout.name}: nginx on port ${settings.port} sends traffic to ${active}`);
  for (const color of ['blue', 'green'] as const) {
    const info = containers[color];
    report(`  ${color.padEnd(5)} ${info ? `${info.status.padEnd(10)} ${info.image}` : 'absent'}${color === active ? '  <- live' : ''}`);
  }
  const history = parseHistory(await host.history());
  report(history.length > 0 ? 'history (newest last):' : 'history: empty');
  for (const release of history.slice(-10)) report(`  ${release.time} ${release.color.padEnd(5)} ${release.image}`);
}

async function locked(host: Host, settings: DeploySettings, work: () => Promise<void>): Promise<void> {
  const release = await host.lock(settings.lockTimeoutS);
  try {
    await work();
  } finally {
    await release();
  }
}

async function lookAt(host: Host, container: string, port: number, path: string): Promise<Observation> {
  const info = await host.container(container);
  if (!info) return { healthy: false, failed: 'the container is gone' };
  if (!info.running || info.restartCount > 0) {
    return { healthy: false, failed: `it exited with code ${info.exitCode}${info.restartCount > 0 ? ` (restarted ${info.restartCount} times)` : ''}` };
  }
  try {
    const answer = await host.get(port, path);
    return answer.status === 200 ? { healthy: true } : { healthy: false, waiting: `HTTP ${answer.status}` };
  } catch (error) {
    return { healthy: false, waiting: error instanceof Error ? error.message : String(error) };
  }
}

/** nginx reloads asynchronously: ask through it a few times before concluding it does not route to `color`. */
async function proxyServes(host: Host, settings: DeploySettings, color: Color): Promise<true | string> {
  const deadline = Date.now() + proxyCheckTimeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const answer = await host.get(settings.port, settings.healthPath);
      if (answer.status === 200 && answer.headers['x-deploy-color'] === color) return true;
      last = `HTTP ${answer.status} from ${String(answer.headers['x-deploy-color'] ?? 'no color (is the site included by nginx.conf?)')}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  return last;
}

/** Removes the container of `color`, unless nginx routes to it: the one that serves is never removed. */
async function removeUnrouted(host: Host, layout: Layout, color: Color): Promise<void> {
  if ((await host.activeColor()) === color) {
    throw new DeployError(`nginx routes ${layout.name} to ${color}, so ${layout.containers[color]} was not removed; run status and look at the host`);
  }
  await host.remove(layout.containers[color]);
}

async function giveUp(host: Host, layout: Layout, color: Color, reason: string): Promise<never> {
  const container = layout.containers[color];
  const logs = await host.logs(container);
  await removeUnrouted(host, layout, color);
  throw new DeployError(
    `${reason}\n${container} was removed; the version that was live keeps serving.` +
      (logs ? `\nLast lines of its log:\n  ${logs.split('\n').join('\n  ')}` : ''),
  );
}
