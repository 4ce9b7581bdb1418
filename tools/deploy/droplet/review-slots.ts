import { colorOffsets, type DeploySettings } from '../settings.ts';
import { DropletHost, type Host, type Session } from './host.ts';
import { layoutOf, shellQuote as q, type Layout } from './layout.ts';
import { holdLock } from './lock.ts';
import { renderNginxSite } from './nginx-site.ts';

/** Which review app holds which public port on the host, one `<reviews dir>/<name>/port` file each. */
export type Slots = ReadonlyMap<string, number>;

/** What the review flow does with the host: the review apps' shared lock and ports, and each one's deployment. */
export interface ReviewHost {
  lock(timeoutS: number): Promise<() => Promise<void>>;
  slots(): Promise<Slots>;
  take(name: string, port: number): Promise<void>;
  deployment(settings: DeploySettings): Host;
}

/** Where the review apps of a host keep their state: each one a deployment of its own, under this directory. */
export const reviewsDir = (stateDir: string) => `${stateDir}/reviews`;

/** The one nginx site of every review app on the host. */
export const reviewSiteFile = (nginxConfDir: string) => `${nginxConfDir}/review-apps.conf`;

/**
 * A review app's layout: a deployment's (its own containers, state, env file, lock), but its green marker is named
 * by its port, beside the others, where the shared site looks for it. `app` is the review app's settings
 * (reviewSettings: its stateDir is the reviews' directory).
 */
export function reviewLayout(app: Pick<DeploySettings, 'name' | 'stateDir' | 'nginxConfDir' | 'port'>): Layout {
  return { ...layoutOf(app), greenMarker: `${app.stateDir}/${app.port}.green`, nginxSite: reviewSiteFile(app.nginxConfDir) };
}

/**
 * One server per review port, each the blue/green server a deployment has (renderNginxSite), switched by its port's
 * green marker. Written once for a range of ports: review apps then come and go with no nginx reload, and a reload
 * is what would drop production's idle keep-alive connections (nginx-site.ts).
 */
export function renderReviewSite(ports: readonly number[], dir: string): string {
  return ports
    .map((port) =>
      renderNginxSite(
        { port, colorPorts: { blue: port + colorOffsets.blue, green: port + colorOffsets.green } },
        { name: `the review app on port ${port}`, greenMarker: `${dir}/${port}.green` },
      ),
    )
    .join('\n');
}

/**
 * The review apps' side of a droplet. Their state sits apart from production's (`<state-dir>/reviews/`), their
 * nginx site too (review-apps.conf), and one lock (`<state-dir>/reviews.lock`) orders every review and
 * stop-review on the host, so two merge requests never take the same port.
 */
export class DropletReviewHost implements ReviewHost {
  readonly #ssh: Session;
  readonly #dir: string;
  readonly #nginx: string;

  constructor(ssh: Session, stateDir: string, nginx: string) {
    this.#ssh = ssh;
    this.#dir = reviewsDir(stateDir);
    this.#nginx = nginx;
  }

  lock(timeoutS: number): Promise<() => Promise<void>> {
    return holdLock(this.#ssh, 'a review app', `${this.#dir}.lock`, timeoutS);
  }

  async slots(): Promise<Slots> {
    const result = await this.#ssh.exec(`grep -H '' ${q(this.#dir)}/*/port 2>/dev/null`);
    return parseSlots(result.stdout);
  }

  async take(name: string, port: number): Promise<void> {
    const dir = `${this.#dir}/${name}`;
    await this.#ssh.run(`mkdir -p ${q(dir)} && echo ${port} > ${q(`${dir}/port`)}`);
  }

  deployment(settings: DeploySettings): Host {
    return new DropletHost(this.#ssh, reviewLayout(settings), this.#nginx);
  }
}

/** `grep -H` lines, `<dir>/<name>/port:<port>`. */
export function parseSlots(text: string): Slots {
  const slots = new Map<string, number>();
  for (const match of text.matchAll(/^.*\/([^/\n]+)\/port:(\d+)$/gm)) slots.set(match[1] ?? '', Number(match[2]));
  return slots;
}
