import { DeployError, UsageError } from '../deploy-error.ts';
import { colorOffsets, hostUrl, type DeploySettings, type PortRange } from '../settings.ts';
import { deploy, type DeployInputs, type Report } from './blue-green.ts';
import { imagesNewestFirst, parseHistory } from './history.ts';
import type { Host } from './host.ts';
import { renderReviewSite, reviewsDir, reviewSiteFile, type ReviewHost, type Slots } from './review-slots.ts';

/** A merge request's review app of the deployment `settings.name`: its name on the host. */
export function reviewName(settings: Pick<DeploySettings, 'name'>, slug: string): string {
  return `${settings.name}-review-${slug}`;
}

/**
 * The review app as a deployment of its own: its own name (so its own containers, nginx site, state, env file and
 * lock), under the reviews' state directory, on its own public port, at http://<host>:<port>.
 */
export function reviewSettings(settings: DeploySettings, slug: string, port: number): DeploySettings {
  return {
    ...settings,
    name: reviewName(settings, slug),
    stateDir: reviewsDir(settings.stateDir),
    port,
    colorPorts: { blue: port + colorOffsets.blue, green: port + colorOffsets.green },
    url: hostUrl(settings.host, port),
    // The fewest the deploy keeps: the live image and the one before it, all removed when the review app stops.
    keep: 2,
  };
}

/**
 * The port a review app has, or the lowest free one in the range. A full range refuses the new review app, naming
 * the ones that hold the ports: stopping another merge request's app unasked would take it from its reviewer.
 */
export function reviewPort(slots: Slots, name: string, range: PortRange): number {
  const own = slots.get(name);
  if (own !== undefined) return own;
  const taken = new Set(slots.values());
  for (let port = range.from; port <= range.to; port++) if (!taken.has(port)) return port;
  const holders = [...slots].map(([holder, port]) => `${holder} (${port})`).join(', ');
  throw new DeployError(
    `every review port on the host (${range.from}-${range.to}) is taken, by ${holders}: stop one (the Stop button of its ` +
      'environment in GitLab, or droplet stop-review), or widen --review-ports',
  );
}

/**
 * Deploys the merge request's image as its review app, beside production and the other review apps: the first push
 * takes a port, each later one replaces the app in place (blue/green, on the same port). A first deploy that fails
 * leaves nothing behind. Gives back the review app's URL.
 */
export async function review(reviews: ReviewHost, settings: DeploySettings, inputs: DeployInputs, report: Report): Promise<string> {
  const slug = requiredSlug(settings);
  const release = await reviews.lock(settings.lockTimeoutS);
  try {
    const slots = await reviews.slots();
    const name = reviewName(settings, slug);
    const app = reviewSettings(settings, slug, reviewPort(slots, name, settings.reviewPorts));
    const host = reviews.deployment(app);
    const first = !slots.has(name);
    if (first) await reviews.take(name, app.port);
    report(`${name}: ${first ? 'a new review app' : 'replacing the review app'} on port ${app.port}`);
    // The range's ports, and any a review app kept from a range since changed.
    const ports = [...new Set([...range(settings.reviewPorts), ...slots.values(), app.port])].toSorted((a, b) => a - b);
    const site = { file: reviewSiteFile(settings.nginxConfDir), content: renderReviewSite(ports, app.stateDir) };
    try {
      await deploy(host, app, inputs, report, site);
    } catch (error) {
      if (first) await removeReview(host, app, [inputs.image], report);
      throw error;
    }
    return app.url;
  } finally {
    await release();
  }
}

/** Removes the merge request's review app and all it made on the host; one that is not there is nothing to do. */
export async function stopReview(reviews: ReviewHost, settings: DeploySettings, report: Report): Promise<void> {
  const slug = requiredSlug(settings);
  const release = await reviews.lock(settings.lockTimeoutS);
  try {
    const name = reviewName(settings, slug);
    const port = (await reviews.slots()).get(name);
    if (port === undefined) report(`${name}: no review app holds a port on the host`);
    // Removed even without a port: a review app whose state was lost may still have containers or a site.
    const app = reviewSettings(settings, slug, port ?? settings.reviewPorts.from);
    await removeReview(reviews.deployment(app), app, [], report, port !== undefined);
  } finally {
    await release();
  }
}

/**
 * Its containers (only ones with its label: containers() refuses others), its green marker (its port in the shared
 * site goes back to blue, where nothing listens), its images unless a container still uses them (docker refuses
 * those: production's, another review app's), then its state.
 */
async function removeReview(host: Host, app: DeploySettings, images: readonly string[], report: Report, ownsPort = true): Promise<void> {
  const containers = Object.values(await host.containers());
  for (const container of containers) await host.remove(container.name);
  // Without a port of its own, the marker of app.port is another review app's.
  if (ownsPort) await host.switchTo('blue');
  const history = imagesNewestFirst(parseHistory(await host.history()));
  await host.removeImages([...new Set([...history, ...containers.map((container) => container.image), ...images])]);
  await host.removeState();
  report(`${app.name}: removed ${containers.length} container(s), images no container uses, and its state${ownsPort ? `; port ${app.port} is free` : ''}`);
}

function range({ from, to }: PortRange): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

function requiredSlug(settings: DeploySettings): string {
  if (settings.slug === undefined) throw new UsageError('review apps need --slug (the merge request branch: $CI_COMMIT_REF_SLUG)');
  return settings.slug;
}
