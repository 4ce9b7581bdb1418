import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface RefusedPort {
  port: number;
  release: () => Promise<void>;
}

/**
 * A loopback port that refuses connections until it is released: the local end of a connection this process
 * holds open, which no server can listen on meanwhile. The port of a server just closed would not do: on a
 * busy machine, anything may be listening there by the time the test connects.
 */
export async function refusedPort(): Promise<RefusedPort> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const [[serverSide]] = await Promise.all([accepted, once(client, 'connect')]);
  return {
    port: (client.address() as AddressInfo).port,
    release: async () => {
      client.destroy();
      serverSide.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
