import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandLine, readSettings } from '../settings.ts';
import { localSession } from '../testing/local-session.ts';
import { reviewSettings } from './review.ts';
import { DropletReviewHost, parseSlots, renderReviewSite } from './review-slots.ts';

/** The review side's commands, run by a local shell against a temporary state directory (real files, real flock). */
let dir: string;
const reviews = () => new DropletReviewHost(localSession(process.env), join(dir, 'state'), 'nginx');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'review-slots-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('DropletReviewHost', () => {
  it('records each review app port in its own state directory, and reads them all back', async () => {
    expect(await reviews().slots()).toEqual(new Map());
    await reviews().take('weather-review-a', 8100);
    expect(await reviews().slots()).toEqual(new Map([['weather-review-a', 8100]]));
    await reviews().take('fibonacci-review-b', 8101);
    expect(await reviews().slots()).toEqual(new Map([['fibonacci-review-b', 8101], ['weather-review-a', 8100]]));
    expect(readFileSync(join(dir, 'state', 'reviews', 'weather-review-a', 'port'), 'utf8')).toBe('8100\n');
  });

  it("puts each review app's deployment under the reviews' directory, apart from production's", async () => {
    await reviews().take('fibonacci-review-a', 8100);
    const production = readSettings(parseCommandLine(['--project', 'fibonacci', '--host', 'droplet', '--state-dir', join(dir, 'state'), '--nginx-conf-dir', dir]).values);
    await reviews().deployment(reviewSettings(production, 'a', 8100)).removeState();
    expect(await reviews().slots()).toEqual(new Map());
  });

  it('holds one lock for all review apps on the host: a second review waits, then fails saying so', async () => {
    const release = await reviews().lock(5);
    await expect(reviews().lock(0)).rejects.toThrow(`another deploy of a review app is running on the host (waited 0 s for ${join(dir, 'state', 'reviews.lock')})`);
    await release();
    await (await reviews().lock(0))();
  });
});

describe('parseSlots', () => {
  it('reads grep -H lines, ignoring anything else', () => {
    expect(parseSlots('/s/reviews/a-review-x/port:8100\n/s/reviews/b/port:oops\n')).toEqual(new Map([['a-review-x', 8100]]));
  });
});

describe('renderReviewSite', () => {
  it("gives each review port a blue/green server switched by that port's marker", () => {
    const site = renderReviewSite([8100, 8101], '/s/reviews');
    expect(site.match(/^server \{$/gm)).toHaveLength(2);
    for (const port of [8100, 8101]) {
      expect(site).toContain(`listen ${port};`);
      expect(site).toContain(`set $deploy_upstream 127.0.0.1:${port + 10_000};`);
      expect(site).toContain(`if (-f "/s/reviews/${port}.green") {\n        set $deploy_upstream 127.0.0.1:${port + 20_000};`);
    }
  });
});
