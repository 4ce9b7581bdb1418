import { spawn } from 'node:child_process';
import { createServer, type Server as HttpServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import ssh2, { type Connection } from 'ssh2';
import { DeployError } from '../deploy-error.ts';
import { refusedPort } from '../testing/refused-port.ts';
import { SshSession, type SshTarget } from './session.ts';

/**
 * A real SSH server on loopback (ssh2's own, in process): it lets in one client key, runs `exec` requests
 * with sh, and opens direct-tcpip channels like sshd's AllowTcpForwarding. The session is checked against it.
 */
const { Server, utils } = ssh2;
const hostKeys = utils.generateKeyPairSync('ed25519');
const impostorKeys = utils.generateKeyPairSync('ed25519');
const clientKeys = utils.generateKeyPairSync('ed25519');

function startSshServer(): Promise<ssh2.Server> {
  const allowed = utils.parseKey(clientKeys.public);
  const server = new Server({ hostKeys: [hostKeys.private] }, (client: Connection) => {
    // A client that refused our host key hangs up mid-handshake: expected here.
    client.on('error', () => undefined);
    client.on('authentication', (context) => {
      const matches =
        context.method === 'publickey' &&
        !(allowed instanceof Error) &&
        context.key.algo === allowed.type &&
        context.key.data.equals(allowed.getPublicSSH()) &&
        (context.signature === undefined || (context.blob !== undefined && allowed.verify(context.blob, context.signature, context.hashAlgo)));
      if (matches) context.accept();
      else context.reject(['publickey']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        acceptSession().on('exec', (acceptExec, _reject, info) => {
          const channel = acceptExec();
          const child = spawn('sh', ['-c', info.command]);
          child.stdin.on('error', () => undefined);
          channel.pipe(child.stdin);
          // sshd ends the command when the client gives up on its channel.
          channel.once('close', () => child.kill());
          // Output streams as it comes, as sshd's does: a lock holder says it is ready long before it ends.
          child.stdout.on('data', (chunk: Buffer) => channel.write(chunk));
          child.stderr.on('data', (chunk: Buffer) => channel.stderr.write(chunk));
          child.on('close', (code) => {
            channel.exit(code ?? 255);
            channel.end();
          });
        });
      });
      client.on('tcpip', (accept, reject, info) => {
        const socket = connect(info.destPort, info.destIP);
        socket.once('connect', () => {
          const channel = accept();
          socket.pipe(channel).pipe(socket);
        });
        socket.once('error', () => {
          reject();
        });
      });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve(server);
    });
  });
}

let sshServer: ssh2.Server;
let web: HttpServer;
let target: SshTarget;
/** The same host name with another key: what a man in the middle presents. */
let impostorLine: string;

beforeAll(async () => {
  sshServer = await startSshServer();
  web = createServer((req, res) => {
    res.setHeader('x-deploy-color', 'green');
    res.end(`you asked for ${req.url ?? ''}`);
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  const { port } = sshServer.address() as AddressInfo;
  const publicLine = (keys: { public: string }) => keys.public.split(' ').slice(0, 2).join(' ');
  target = { host: '127.0.0.1', port, username: 'deployer', privateKey: clientKeys.private, knownHosts: `[127.0.0.1]:${port} ${publicLine(hostKeys)}\n` };
  impostorLine = `[127.0.0.1]:${port} ${publicLine(impostorKeys)}\n`;
});

afterAll(async () => {
  await new Promise((resolve) => sshServer.close(resolve));
  await new Promise((resolve) => web.close(resolve));
});

describe('SshSession', () => {
  it('runs commands, feeding stdin and returning both outputs and the exit code', async () => {
    const session = await SshSession.open(target);
    try {
      expect(await session.exec('cat; echo oops >&2; exit 3', 'from stdin')).toEqual({ code: 3, stdout: 'from stdin', stderr: 'oops\n' });
      expect(await session.run('printf %s hello')).toBe('hello');
    } finally {
      session.close();
    }
  });

  it('stops a command that outlives the command timeout, with a DeployError naming it', async () => {
    const session = await SshSession.open({ ...target, commandTimeoutMs: 500 });
    try {
      const error = await session.exec('sleep 600').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DeployError);
      expect((error as Error).message).toMatch(/^on deployer@\[127\.0\.0\.1\]:\d+, `sleep 600` was still running after 0\.5 s: stopped$/);
    } finally {
      session.close();
    }
  });

  it('turns a failed command into a DeployError quoting what it printed', async () => {
    const session = await SshSession.open(target);
    try {
      await expect(session.run('echo "no such image" >&2; exit 1')).rejects.toThrow(/`echo "no such image" >&2; exit 1` exited with 1:\n {2}no such image/);
    } finally {
      session.close();
    }
  });

  it('holds a command until released: it runs on after saying ready, and ends when its stdin closes', async () => {
    const session = await SshSession.open(target);
    try {
      const held = await session.hold('echo ready; cat; echo released >&2', 'ready');
      if (!('release' in held)) return expect.fail(`the command ended: ${JSON.stringify(held)}`);
      await held.release();
      expect(await session.hold('echo not ready; exit 75', 'ready')).toEqual({ code: 75, stdout: 'not ready\n', stderr: '' });
    } finally {
      session.close();
    }
  });

  it('GETs a port on the host through the SSH connection', async () => {
    const session = await SshSession.open(target);
    try {
      const answer = await session.get((web.address() as AddressInfo).port, '/health');
      expect(answer).toMatchObject({ status: 200, body: 'you asked for /health', headers: { 'x-deploy-color': 'green' } });
    } finally {
      session.close();
    }
  });

  it('reports a closed port on the host as a refused connection', async () => {
    const closed = await refusedPort();
    const session = await SshSession.open(target);
    try {
      await expect(session.get(closed.port, '/health')).rejects.toThrow(`127.0.0.1:${closed.port} refused the connection`);
    } finally {
      session.close();
      await closed.release();
    }
  });

  it('refuses a host whose key is not pinned, before authenticating', async () => {
    const error = await SshSession.open({ ...target, knownHosts: impostorLine }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeployError);
    expect((error as Error).message).toMatch(/does not match SSH_KNOWN_HOSTS/);
  });

  it('refuses a host that is not in SSH_KNOWN_HOSTS at all', async () => {
    await expect(SshSession.open({ ...target, knownHosts: '' })).rejects.toThrow(/is not in SSH_KNOWN_HOSTS/);
  });

  it('hears every error ssh2 emits, not only the first: a second one must not crash the process', async () => {
    const connect = vi.spyOn(ssh2.Client.prototype, 'connect').mockImplementation(function (this: ssh2.Client) {
      setImmediate(() => this.emit('error', new Error('Handshake failed: no matching key exchange algorithm')));
      return this;
    });
    try {
      await expect(SshSession.open(target)).rejects.toThrow(/ssh deployer@\[127\.0\.0\.1\]:\d+: Handshake failed/);
      const client = connect.mock.contexts[0] as ssh2.Client | undefined;
      expect(client).toBeInstanceOf(ssh2.Client);
      expect(() => client?.emit('error', new Error('Connection lost before handshake'))).not.toThrow();
    } finally {
      connect.mockRestore();
    }
  });

  it('says so when the server does not accept the key', async () => {
    const stranger = utils.generateKeyPairSync('ed25519');
    await expect(SshSession.open({ ...target, privateKey: stranger.private })).rejects.toThrow(/ssh deployer@\[127\.0\.0\.1\]:\d+: All configured authentication methods failed/);
  });
});
