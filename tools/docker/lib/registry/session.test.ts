import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from './session.ts';

/** A loopback server that asks for Basic auth at /v2/ and records the headers of every request. */
async function listen(seen: IncomingHttpHeaders[]): Promise<Server> {
  const server = createServer((request, response) => {
    seen.push(request.headers);
    const authorized = request.headers.authorization !== undefined;
    if (request.url === '/v2/' && !authorized) response.writeHead(401, { 'www-authenticate': 'Basic realm="registry"' }).end();
    else response.writeHead(200).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

const origin = (server: Server) => `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;

describe('openSession', () => {
  const registrySeen: IncomingHttpHeaders[] = [];
  const elsewhereSeen: IncomingHttpHeaders[] = [];
  let registry: Server;
  let elsewhere: Server;
  beforeAll(async () => {
    [registry, elsewhere] = await Promise.all([listen(registrySeen), listen(elsewhereSeen)]);
  });
  afterAll(() => {
    registry.close();
    elsewhere.close();
  });

  it('sends the credentials to its registry only, not to another host an upload Location names', async () => {
    const credentials = { auth: { username: 'ci', password: 'job-token-value', serveraddress: '127.0.0.1' }, from: 'CI_REGISTRY_USER/CI_REGISTRY_PASSWORD' };
    const session = await openSession({ host: '127.0.0.1', origin: origin(registry), name: 'acme/app' }, credentials, []);
    await session.request('/v2/acme/app/blobs/sha256:0', { method: 'HEAD' });
    await session.request(`${origin(elsewhere)}/upload/1?digest=sha256:0`, { method: 'PUT', body: '' });
    expect(registrySeen.at(-1)?.authorization).toBe(`Basic ${Buffer.from('ci:job-token-value').toString('base64')}`);
    expect(elsewhereSeen).toHaveLength(1);
    expect(elsewhereSeen[0]?.authorization).toBeUndefined();
  });
});
