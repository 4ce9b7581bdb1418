import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, smokeNetwork } from './smoke-network.ts';

describe('smokeNetwork', () => {
  it('reaches a local engine on loopback', () => {
    expect(smokeNetwork({})).toEqual({ host: '127.0.0.1', local: true });
    expect(smokeNetwork({ DOCKER_HOST: 'unix:///var/run/docker.sock' })).toEqual({ host: '127.0.0.1', local: true });
    expect(smokeNetwork({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toEqual({ host: '127.0.0.1', local: true });
  });

  it("reaches docker:dind's containers on the engine's host", () => {
    expect(smokeNetwork({ DOCKER_HOST: 'tcp://docker:2376' })).toEqual({ host: 'docker', local: false });
  });
});

describe('freePort', () => {
  it('gives a port a server can listen on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
    expect(port).toBeGreaterThan(0);
  });
});
