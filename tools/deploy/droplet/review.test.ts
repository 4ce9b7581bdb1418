import { describe, expect, it } from 'vitest';
import { DeployError } from '../deploy-error.ts';
import { parseCommandLine, readSettings, type DeploySettings } from '../settings.ts';
import { fakeHost } from '../testing/fake-host.ts';
import { review, reviewPort, reviewSettings, stopReview } from './review.ts';
import type { ReviewHost } from './review-slots.ts';

const image = (version: string) => `registry.example.com/shop/fibonacci:${version}@sha256:${version.replaceAll('.', '').padEnd(64, '0')}`;
const settingsFor = (slug: string, ...args: string[]) =>
  readSettings(parseCommandLine(['--project', 'fibonacci', '--host', 'droplet.example.com', '--port', '3000', '--slug', slug, '--review-ports', '8100-8101', ...args]).values);
const quiet = () => undefined;

/** The host's review side in memory: one fakeHost per review app, whose state removal frees its port, as the port file goes with it. */
function fakeReviews() {
  const slots = new Map<string, number>();
  const apps = new Map<string, ReturnType<typeof fakeHost>>();
  const broken = new Set<string>();
  const reviews: ReviewHost = {
    lock: () => Promise.resolve(() => Promise.resolve()),
    slots: () => Promise.resolve(new Map(slots)),
    take: (name, port) => {
      slots.set(name, port);
      return Promise.resolve();
    },
    deployment: (settings: DeploySettings) => {
      const app = apps.get(settings.name) ?? fakeHost(settings);
      apps.set(settings.name, app);
      const removeState = app.host.removeState;
      app.host.removeState = () => {
        slots.delete(settings.name);
        return removeState();
      };
      for (const unhealthy of broken) app.state.unhealthy.add(unhealthy);
      return app.host;
    },
  };
  return { reviews, slots, apps, broken };
}

describe('a review app', () => {
  it('is a deployment of its own per merge request, on the first free review port, at http://<host>:<port>', async () => {
    const { reviews, slots, apps } = fakeReviews();
    expect(await review(reviews, settingsFor('add-cache'), { image: image('2.0.0') }, quiet)).toBe('http://droplet.example.com:8100');
    expect(await review(reviews, settingsFor('fix-rounding'), { image: image('1.0.0') }, quiet)).toBe('http://droplet.example.com:8101');
    expect(Object.fromEntries(slots)).toEqual({ 'fibonacci-review-add-cache': 8100, 'fibonacci-review-fix-rounding': 8101 });
    const app = apps.get('fibonacci-review-add-cache');
    expect(app?.state.containers.green).toMatchObject({ name: 'fibonacci-review-add-cache-green', image: image('2.0.0'), port: 28_100 });
    // One site for every review port: the next review app needs no nginx reload.
    expect(app?.state.site).toContain('listen 8100;');
    expect(app?.state.site).toContain('listen 8101;');
    expect(apps.get('fibonacci-review-fix-rounding')?.state.site).toBe(app?.state.site);
    // The service's recorded limits: docker --memory and --pids-limit.
    expect(app?.state.runs[0]?.limits).toEqual(settingsFor('add-cache').limits);
  });

  it("keeps its state, env file and nginx site apart from production's", () => {
    const app = reviewSettings(settingsFor('add-cache', '--state-dir', '/var/lib/deploy', '--nginx-conf-dir', '/etc/nginx/conf.d'), 'add-cache', 8100);
    expect(app).toMatchObject({ name: 'fibonacci-review-add-cache', stateDir: '/var/lib/deploy/reviews', port: 8100, colorPorts: { blue: 18_100, green: 28_100 } });
  });

  it('is replaced in place by the next push: same port, the other color, the old one stopped', async () => {
    const { reviews, apps } = fakeReviews();
    await review(reviews, settingsFor('add-cache'), { image: image('1.0.0') }, quiet);
    expect(await review(reviews, settingsFor('add-cache'), { image: image('2.0.0') }, quiet)).toBe('http://droplet.example.com:8100');
    const { state } = apps.get('fibonacci-review-add-cache') ?? expect.fail('no review app');
    expect(state.active).toBe('blue');
    expect(state.containers.blue?.image).toBe(image('2.0.0'));
    expect(state.containers.green?.running).toBe(false);
  });

  it('is refused when every review port is taken, naming the apps that hold them; those can still be redeployed', async () => {
    const { reviews } = fakeReviews();
    await review(reviews, settingsFor('one'), { image: image('1.0.0') }, quiet);
    await review(reviews, settingsFor('two'), { image: image('1.0.0') }, quiet);
    await expect(review(reviews, settingsFor('three'), { image: image('1.0.0') }, quiet)).rejects.toThrow(
      /every review port on the host \(8100-8101\) is taken, by fibonacci-review-one \(8100\), fibonacci-review-two \(8101\): stop one/,
    );
    await expect(review(reviews, settingsFor('two'), { image: image('2.0.0') }, quiet)).resolves.toBe('http://droplet.example.com:8101');
  });

  it('leaves nothing behind when its first deploy fails, and frees its port', async () => {
    const { reviews, slots, apps, broken } = fakeReviews();
    broken.add(image('9.9.9'));
    await expect(review(reviews, settingsFor('bad', '--health-timeout', '1'), { image: image('9.9.9') }, quiet)).rejects.toThrow(DeployError);
    const { state } = apps.get('fibonacci-review-bad') ?? expect.fail('no review app');
    expect(state.containers).toEqual({});
    expect(state.stateRemoved).toBe(true);
    expect(state.removedImages).toContain(image('9.9.9'));
    expect(slots.size).toBe(0);
  });

  it('keeps serving the version it had when a later push fails', async () => {
    const { reviews, slots, apps, broken } = fakeReviews();
    await review(reviews, settingsFor('add-cache'), { image: image('1.0.0') }, quiet);
    broken.add(image('9.9.9'));
    await expect(review(reviews, settingsFor('add-cache', '--health-timeout', '1'), { image: image('9.9.9') }, quiet)).rejects.toThrow(/did not get healthy/);
    const { state } = apps.get('fibonacci-review-add-cache') ?? expect.fail('no review app');
    expect(state.containers.green).toMatchObject({ image: image('1.0.0'), running: true });
    expect(state.stateRemoved).toBe(false);
    expect(slots.get('fibonacci-review-add-cache')).toBe(8100);
  });

  it('needs the merge request slug, and takes only a GitLab ref slug', async () => {
    const { reviews } = fakeReviews();
    const noSlug = readSettings(parseCommandLine(['--project', 'fibonacci', '--host', 'droplet.example.com', '--port', '3000']).values);
    await expect(review(reviews, noSlug, { image: image('1.0.0') }, quiet)).rejects.toThrow(/review apps need --slug/);
    expect(() => settingsFor('Feature/x')).toThrow(/--slug must be a GitLab ref slug/);
    expect(() => settingsFor('x-')).toThrow(/--slug must be a GitLab ref slug/);
  });
});

describe('stopping a review app', () => {
  it('removes its containers, nginx site, images and state, and frees its port for the next merge request', async () => {
    const { reviews, slots, apps } = fakeReviews();
    await review(reviews, settingsFor('add-cache'), { image: image('1.0.0') }, quiet);
    await review(reviews, settingsFor('add-cache'), { image: image('2.0.0') }, quiet);
    await review(reviews, settingsFor('other'), { image: image('1.0.0') }, quiet);
    await stopReview(reviews, settingsFor('add-cache'), quiet);
    const { state } = apps.get('fibonacci-review-add-cache') ?? expect.fail('no review app');
    expect(state.containers).toEqual({});
    // Its port in the shared site goes back to blue, where nothing listens.
    expect(state.events.at(-1)).toBe('switch blue');
    expect(state.removedImages.toSorted()).toEqual([image('1.0.0'), image('2.0.0')]);
    expect(state.stateRemoved).toBe(true);
    expect(Object.fromEntries(slots)).toEqual({ 'fibonacci-review-other': 8101 });
    expect(apps.get('fibonacci-review-other')?.state.containers.green?.running).toBe(true);
    expect(await review(reviews, settingsFor('next'), { image: image('1.0.0') }, quiet)).toBe('http://droplet.example.com:8100');
  });

  it("is done, saying so, when there is no such review app (GitLab may run the stop job twice), touching no other app's port", async () => {
    const { reviews, apps } = fakeReviews();
    await review(reviews, settingsFor('other'), { image: image('1.0.0') }, quiet);
    const lines: string[] = [];
    await stopReview(reviews, settingsFor('gone'), (line) => lines.push(line));
    expect(lines[0]).toBe('fibonacci-review-gone: no review app holds a port on the host');
    expect(apps.get('fibonacci-review-gone')?.state.events).not.toContain('switch blue');
  });
});

describe('reviewPort', () => {
  it('keeps the port a review app has, even outside a range changed since', () => {
    expect(reviewPort(new Map([['a', 9000]]), 'a', { from: 8100, to: 8100 })).toBe(9000);
  });
  it('takes the lowest free port', () => {
    expect(reviewPort(new Map([['a', 8100], ['b', 8102]]), 'c', { from: 8100, to: 8102 })).toBe(8101);
  });
});
