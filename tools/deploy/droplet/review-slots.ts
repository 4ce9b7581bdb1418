import type { DeploySettings } from '../settings.ts';
import { DropletHost, type Host, type Session } from './host.ts';
import { layoutOf, shellQuote as q } from './layout.ts';
import { holdLock } from './lock.ts';

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

/**
 * The review apps' side of a droplet. Their state sits apart from production's (`<state-dir>/reviews/`), and one
 * lock (`<state-dir>/reviews.lock`) orders every review and stop-review on the host, so two merge requests
 * never take the same port.
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
    return new DropletHost(this.#ssh, layoutOf(settings), this.#nginx);
  }
}

/** `grep -H` lines, `<dir>/<name>/port:<port>`. */
export function parseSlots(text: string): Slots {
  const slots = new Map<string, number>();
  for (const match of text.matchAll(/^.*\/([^/\n]+)\/port:(\d+)$/gm)) slots.set(match[1] ?? '', Number(match[2]));
  return slots;
}
