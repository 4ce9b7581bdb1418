/**
 * Whether the services' base image pin (templates/service/Dockerfile.ejs: `ARG NODE_IMAGE=node:24-alpine@sha256:…`)
 * is still what its tag names on Docker Hub. A pin never moves by itself: the scheduled pipeline asks, and says when
 * the tag has moved on (a Node or Alpine fix), so someone renews the pin (docs/pipeline-security.md).
 */
export interface Pin {
  /** As Docker Hub's registry API names it: `library/node` for the official `node`. */
  repository: string;
  tag: string;
  digest: string;
}

const pinPattern = /^ARG NODE_IMAGE=([a-z0-9][a-z0-9._/-]*):([\w][\w.-]*)@(sha256:[0-9a-f]{64})$/m;

export function readPin(dockerfile: string): Pin {
  const match = pinPattern.exec(dockerfile);
  if (!match) throw new Error('the Dockerfile has no ARG NODE_IMAGE=<image>:<tag>@sha256:<digest> line');
  const [, name = '', tag = '', digest = ''] = match;
  return { repository: name.includes('/') ? name : `library/${name}`, tag, digest };
}

/** What a multi-platform tag points to: its index (or a single manifest), as `docker pull` resolves it. */
const manifestTypes = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/**
 * The digest the tag names now: HEAD of its manifest, with the anonymous pull token the registry's 401 points to
 * (Docker Hub's auth.docker.io), as the registry API v2 asks of every client.
 */
export async function currentDigest(pin: Pin, registry = 'https://registry-1.docker.io'): Promise<string> {
  const url = `${registry}/v2/${pin.repository}/manifests/${pin.tag}`;
  const head = (token?: string) =>
    fetch(url, { method: 'HEAD', headers: { accept: manifestTypes, ...(token ? { authorization: `Bearer ${token}` } : {}) } }).catch((error: unknown) => {
      // fetch says only "fetch failed"; the cause names the network error (ENOTFOUND, ECONNREFUSED…).
      const { message, cause } = error as Error & { cause?: Error };
      throw new Error(`HEAD ${url}: ${cause?.message ?? message}`);
    });
  let answer = await head();
  if (answer.status === 401) answer = await head(await anonymousToken(answer.headers.get('www-authenticate') ?? ''));
  const digest = answer.headers.get('docker-content-digest');
  if (!answer.ok || !digest) throw new Error(`HEAD ${url} answered ${answer.status} ${answer.statusText}${answer.ok ? ' without a Docker-Content-Digest' : ''}`);
  return digest;
}

async function anonymousToken(challenge: string): Promise<string> {
  const fields = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map(([, key = '', value = '']) => [key, value]));
  if (!challenge.startsWith('Bearer ') || !fields.realm) throw new Error(`the registry asks for authentication this check cannot give: ${challenge || 'no challenge'}`);
  const tokenUrl = new URL(fields.realm);
  for (const key of ['service', 'scope']) if (fields[key]) tokenUrl.searchParams.set(key, fields[key]);
  const answer = await fetch(tokenUrl);
  if (!answer.ok) throw new Error(`GET ${tokenUrl.origin}${tokenUrl.pathname} answered ${answer.status} ${answer.statusText}`);
  const { token, access_token: accessToken } = (await answer.json()) as { token?: string; access_token?: string };
  const found = token ?? accessToken;
  if (!found) throw new Error(`${tokenUrl.origin}${tokenUrl.pathname} gave no token`);
  return found;
}

/** The line the job prints; `fresh` false fails the job (allowed to fail: a warning on the schedule's pipeline). */
export function describePin(pin: Pin, current: string): { fresh: boolean; message: string } {
  const image = `${pin.repository.replace(/^library\//, '')}:${pin.tag}`;
  return current === pin.digest
    ? { fresh: true, message: `${image} is still ${pin.digest}: the pin is current` }
    : {
        fresh: false,
        message: `${image} is now ${current}, the services pin ${pin.digest}: renew the pin in templates/service/Dockerfile.ejs, then npx yo fastify-gitlab:upgrade --all (docs/pipeline-security.md)`,
      };
}
