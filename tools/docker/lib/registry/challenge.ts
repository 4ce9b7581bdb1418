/** A registry's `WWW-Authenticate` answer to an unauthenticated request. */
export type Challenge = { scheme: 'basic' } | { scheme: 'bearer'; realm: string; service?: string };

const PARAMETER = /([a-z]+)="([^"]*)"/gi;

/** Parses `Basic realm="…"` or `Bearer realm="…",service="…",scope="…"`; undefined for any other scheme. */
export function parseChallenge(header: string | null): Challenge | undefined {
  const scheme = header?.trim().split(/\s+/, 1)[0]?.toLowerCase();
  if (scheme === 'basic') return { scheme };
  if (scheme !== 'bearer' || header === null) return undefined;
  const parameters = Object.fromEntries([...header.matchAll(PARAMETER)].map(([, key = '', value = '']) => [key.toLowerCase(), value]));
  const { realm, service } = parameters;
  if (realm === undefined) return undefined;
  return { scheme, realm, ...(service === undefined ? {} : { service }) };
}
