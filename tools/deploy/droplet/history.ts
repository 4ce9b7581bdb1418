import type { Color } from '../settings.ts';

/** One line of the host's history file, appended after each successful deploy or rollback. */
export interface Release {
  time: string;
  image: string;
  color: Color;
}

export function parseHistory(text: string): Release[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Release);
}

export function historyLine(release: Release): string {
  return `${JSON.stringify(release)}\n`;
}

/** Distinct images, newest first. */
export function imagesNewestFirst(history: Release[]): string[] {
  return [...new Set(history.map((release) => release.image).reverse())];
}

/**
 * Whether two pinned references name one image: the Ansible deploy starts `repository@digest`, the history and the
 * SSH deploy keep `repository:tag@digest`.
 */
const sameImage = (a: string, b: string) => a.slice(a.lastIndexOf('@')) === b.slice(b.lastIndexOf('@'));

/**
 * What `rollback` deploys: the newest image that is not the current one, or with `to`, the newest one
 * whose reference contains `:to@` (a tag) or `@sha256:to…` (a digest, or the start of one).
 */
export function rollbackTarget(history: Release[], current: string | undefined, to?: string): string | undefined {
  const images = imagesNewestFirst(history);
  if (to === undefined) return images.find((image) => current === undefined || !sameImage(image, current));
  const digest = to.replace(/^sha256:/, '');
  return images.find((image) => image.includes(`:${to}@`) || image.includes(`@sha256:${digest}`));
}

/** Images past the newest `keep` ones, which the host may delete: never one a container still uses. */
export function imagesToPrune(history: Release[], keep: number, inUse: readonly string[]): string[] {
  return imagesNewestFirst(history)
    .slice(keep)
    .filter((image) => !inUse.some((used) => sameImage(used, image)));
}
