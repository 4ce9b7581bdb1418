import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { check, freePort, startDaemon, stopDaemon, waitFor } from './processes.ts';

export interface Droplet {
  host: string;
  port: number;
  /** The host key line as `ssh-keyscan` prints it: what SSH_KNOWN_HOSTS holds. */
  knownHosts: string;
  /** A key for the same host name that is not the host's: what a man in the middle would present. */
  wrongKnownHosts: string;
  privateKeyFile: string;
  stop: () => Promise<void>;
}

/**
 * The "droplet": a second sshd of our own on a loopback port, with its own host key and config in `dir`,
 * letting root in by one generated key only. Commands it runs reach this machine's Docker engine.
 */
export async function startDroplet(dir: string): Promise<Droplet> {
  mkdirSync(dir, { recursive: true });
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  await check('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'e2e droplet host', '-f', join(dir, 'host_key')]);
  await check('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'e2e impostor', '-f', join(dir, 'impostor_key')]);
  await check('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'e2e deployer', '-f', join(dir, 'client_key')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')), { mode: 0o600 });
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      // The test's files live under /tmp, which StrictModes would reject as world-writable.
      'StrictModes no',
      'AllowTcpForwarding local',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  const log = join(dir, 'sshd.log');
  const daemon = startDaemon('/usr/sbin/sshd', ['-D', '-e', '-f', config], log);
  await waitFor(`sshd on 127.0.0.1:${port}`, () => answers(port), log);
  const hostName = `[127.0.0.1]:${port}`;
  const publicKey = (file: string) => readFileSync(join(dir, file), 'utf8').split(' ').slice(0, 2).join(' ');
  return {
    host: '127.0.0.1',
    port,
    knownHosts: `${hostName} ${publicKey('host_key.pub')}\n`,
    wrongKnownHosts: `${hostName} ${publicKey('impostor_key.pub')}\n`,
    privateKeyFile: join(dir, 'client_key'),
    stop: () => stopDaemon(daemon),
  };
}

/** sshd greets first: a banner means it is ready. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('SSH-'));
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}
