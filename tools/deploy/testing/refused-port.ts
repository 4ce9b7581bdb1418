import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface RefusedPort {
  port: number;
  release: () => Promise<void>;
}

/** Below every system's ephemeral range (Linux 32768–60999, macOS and Windows 49152–65535). */
const firstPort = 10_000;
const portsBelowEphemeral = 22_000;

/**
 * A loopback port that refuses connections until it is released: the local end of a connection this process
 * holds open, bound below the ephemeral range. In that range a connection to the port could be given that very
 * port as its source and connect to itself (1 in 30 000 tries here); below it, no outgoing connection and no
 * server listening on port 0 is ever given it. The port of a server just closed would not do: on a busy
 * machine, anything may be listening there by the time the test connects.
 */
export async function refusedPort(): Promise<RefusedPort> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  for (;;) {
    const localPort = firstPort + Math.floor(Math.random() * portsBelowEphemeral);
    const client = connect({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', localAddress: '127.0.0.1', localPort });
    try {
      await once(client, 'connect');
    } catch (error) {
      // Taken by something else: another port.
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
      throw error;
    }
    const [serverSide] = await accepted;
    return {
      port: localPort,
      release: async () => {
        client.destroy();
        serverSide.destroy();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  }
}
