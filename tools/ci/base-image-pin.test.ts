import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentDigest, describePin, readPin } from './base-image-pin.ts';

const pinned = `sha256:${'a'.repeat(64)}`;
const moved = `sha256:${'b'.repeat(64)}`;

describe('readPin', () => {
  it("reads the template's pin, an official image named as the registry API names it", () => {
    const template = readFileSync(new URL('../../templates/service/Dockerfile.ejs', import.meta.url), 'utf8');
    expect(readPin(template)).toEqual({ repository: 'library/node', tag: '24-alpine', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) as string });
    expect(readPin(`ARG NODE_IMAGE=acme/node:24@${pinned}\n`)).toEqual({ repository: 'acme/node', tag: '24', digest: pinned });
  });

  it('refuses a Dockerfile whose base is not pinned by digest', () => {
    expect(() => readPin('ARG NODE_IMAGE=node:24-alpine\n')).toThrow('no ARG NODE_IMAGE=<image>:<tag>@sha256:<digest> line');
  });
});

/** A registry as Docker Hub answers: 401 with a Bearer challenge, an anonymous token, then the tag's digest. */
describe('currentDigest', () => {
  let registry: Server;
  let base: string;
  const seen: string[] = [];
  beforeAll(async () => {
    registry = createServer((req: IncomingMessage, res) => {
      seen.push(`${req.method ?? ''} ${req.url ?? ''}`);
      if (req.url?.startsWith('/token?')) {
        res.setHeader('content-type', 'application/json').end(JSON.stringify({ token: 'anonymous-pull' }));
      } else if (req.url === '/v2/library/node/manifests/24-alpine' && req.headers.authorization === 'Bearer anonymous-pull') {
        // Only a client that takes a multi-platform index gets the digest docker pull resolves the tag to.
        if (!req.headers.accept?.includes('application/vnd.oci.image.index.v1+json')) res.writeHead(406).end();
        else res.setHeader('docker-content-digest', moved).end();
      } else if (req.url === '/v2/library/node/manifests/24-alpine') {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${base}/token",service="registry.test",scope="repository:library/node:pull"` }).end();
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => registry.close(resolve));
  });

  it("asks for the anonymous token the registry's challenge names, then reads the tag's digest", async () => {
    expect(await currentDigest({ repository: 'library/node', tag: '24-alpine', digest: pinned }, base)).toBe(moved);
    expect(seen).toEqual([
      'HEAD /v2/library/node/manifests/24-alpine',
      'GET /token?service=registry.test&scope=repository%3Alibrary%2Fnode%3Apull',
      'HEAD /v2/library/node/manifests/24-alpine',
    ]);
  });

  it('names the request that failed', async () => {
    await expect(currentDigest({ repository: 'library/node', tag: '99', digest: pinned }, base)).rejects.toThrow(`HEAD ${base}/v2/library/node/manifests/99 answered 404`);
  });
});

describe('describePin', () => {
  const pin = { repository: 'library/node', tag: '24-alpine', digest: pinned };
  it('says the pin is current when the tag still names it', () => {
    expect(describePin(pin, pinned)).toEqual({ fresh: true, message: `node:24-alpine is still ${pinned}: the pin is current` });
  });

  it('says how to renew it when the tag has moved on', () => {
    const { fresh, message } = describePin(pin, moved);
    expect(fresh).toBe(false);
    expect(message).toBe(`node:24-alpine is now ${moved}, the services pin ${pinned}: renew the pin in templates/service/Dockerfile.ejs, then npx yo fastify-gitlab:upgrade --all (docs/pipeline-security.md)`);
  });
});
