import { DeployError } from '../deploy-error.ts';
import type { Color, DeploySettings } from '../settings.ts';
import type { HttpAnswer } from '../ssh/session.ts';
import type { ContainerInfo, Host, RunSpec } from '../droplet/host.ts';
import { layoutOf } from '../droplet/layout.ts';

/**
 * A droplet in memory, for the blue/green flow's unit tests: two containers, the green marker, the nginx site
 * nginx has loaded, the env file, the history and the lock. nginx answers on the public port for the color
 * the marker picks, once it has a site; a container answers its health path while its image is `healthy`.
 * `nginx` says what `nginx -t` and the reload do with a new site, as DropletHost does (a failure keeps the old one).
 */
export function fakeHost(settings: DeploySettings, options: { nginx?: 'ok' | 'rejects' | 'fails to reload'; proxies?: boolean } = {}) {
  const layout = layoutOf(settings);
  const state = {
    containers: {} as Partial<Record<Color, ContainerInfo & { port: number }>>,
    active: 'blue' as Color,
    site: undefined as string | undefined,
    envFile: undefined as string | undefined,
    nextEnvFile: undefined as string | undefined,
    history: '',
    images: new Set<string>(),
    unhealthy: new Set<string>(),
    locked: false,
    runs: [] as RunSpec[],
    /** What removeImages was asked to remove, in order. */
    removedImages: [] as string[],
    /** Whether removeState has removed the deployment's state directory. */
    stateRemoved: false,
    /** What happened, in order: lock, run <container>, site, switch <color>, stop <container>, remove <container>, unlock. */
    events: [] as string[],
  };
  const event = (what: string) => state.events.push(what);
  const answer = (status: number, color?: Color): HttpAnswer => ({ status, headers: color ? { 'x-deploy-color': color } : {}, body: '' });
  const running = (color: Color) => state.containers[color]?.running === true && !state.unhealthy.has(state.containers[color].image);

  const host: Host = {
    get: (port) => {
      if (port === settings.port) {
        if (state.site === undefined || options.proxies === false) return Promise.resolve(answer(502));
        return Promise.resolve(running(state.active) ? answer(200, state.active) : answer(502, state.active));
      }
      const color = (['blue', 'green'] as const).find((candidate) => state.containers[candidate]?.port === port);
      if (color && running(color)) return Promise.resolve(answer(200));
      return Promise.reject(new Error(`127.0.0.1:${port} refused the connection`));
    },
    prepare: () => Promise.resolve(),
    lock: () => {
      if (state.locked) return Promise.reject(new DeployError(`another deploy of ${layout.name} is running on the host`));
      state.locked = true;
      event('lock');
      return Promise.resolve(() => {
        state.locked = false;
        event('unlock');
        return Promise.resolve();
      });
    },
    activeColor: () => Promise.resolve(state.active),
    containers: () => Promise.resolve({ ...state.containers }),
    container: (name) => Promise.resolve(Object.values(state.containers).find((info) => info.name === name)),
    history: () => Promise.resolve(state.history),
    appendHistory: (line) => {
      state.history += line;
      return Promise.resolve();
    },
    writeEnvFile: (content) => {
      state.nextEnvFile = content;
      return Promise.resolve();
    },
    keepEnvFile: () => {
      state.envFile = state.nextEnvFile;
      state.nextEnvFile = undefined;
      return Promise.resolve();
    },
    hasEnvFile: () => Promise.resolve(state.envFile !== undefined),
    hasImage: (image) => Promise.resolve(state.images.has(image)),
    pull: (image) => {
      state.images.add(image);
      return Promise.resolve();
    },
    run: (spec) => {
      event(`run ${spec.container}`);
      state.runs.push(spec);
      state.containers[spec.color] = { ...container(layout.name, spec.container, spec.image, spec.color), port: spec.port };
      return Promise.resolve();
    },
    logs: () => Promise.resolve(''),
    remove: (name) => {
      event(`remove ${name}`);
      // As docker inspect lists it: a removed container is absent, not undefined.
      state.containers = Object.fromEntries(Object.entries(state.containers).filter(([, info]) => info.name !== name));
      return Promise.resolve();
    },
    stop: (name) => {
      event(`stop ${name}`);
      const info = Object.values(state.containers).find((candidate) => candidate.name === name);
      if (info) Object.assign(info, { running: false, status: 'exited' });
      return Promise.resolve();
    },
    switchTo: (color) => {
      event(`switch ${color}`);
      state.active = color;
      return Promise.resolve();
    },
    ensureSite: (content) => {
      if (state.site === content) return Promise.resolve(false);
      if (options.nginx === 'rejects') return Promise.reject(new DeployError(`nginx rejected ${layout.nginxSite}, so it was put back`));
      if (options.nginx === 'fails to reload') return Promise.reject(new DeployError('`nginx -s reload` failed, so it was put back'));
      event('site');
      state.site = content;
      return Promise.resolve(true);
    },
    removeState: () => {
      Object.assign(state, { history: '', envFile: undefined, nextEnvFile: undefined, active: 'blue', stateRemoved: true });
      return Promise.resolve();
    },
    removeImages: (images) => {
      state.removedImages.push(...images);
      return Promise.resolve();
    },
  };

  /** Puts `image` live on `color` as an earlier deploy would have, nginx site and history included. */
  const live = (color: Color, image: string, site = 'an earlier site') => {
    state.containers[color] = { ...container(layout.name, layout.containers[color], image, color), port: settings.colorPorts[color] };
    state.active = color;
    state.site = site;
    state.images.add(image);
    state.history += `${JSON.stringify({ time: '2026-11-01T00:00:00.000Z', image, color })}\n`;
  };
  return { host, state, live };
}

function container(name: string, containerName: string, image: string, color: Color): ContainerInfo {
  return {
    name: containerName,
    image,
    status: 'running',
    running: true,
    restartCount: 0,
    exitCode: 0,
    labels: { 'fastify-gitlab.deploy': name, 'fastify-gitlab.color': color },
  };
}
