import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import ssh2, { type ServerHostKeyAlgorithm } from 'ssh2';
import { DeployError } from '../deploy-error.ts';
import { holdUntilReady, type Held } from './hold-until-ready.ts';
import { knownHostsName, parseKnownHosts, pinnedAlgorithms, verifyHostKey } from './known-hosts.ts';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  /** The content of the private key (OpenSSH or PEM). */
  privateKey: string;
  passphrase?: string | undefined;
  /** The content of a known_hosts file; the host's key must be in it. */
  knownHosts: string;
  /** How long one command may run (default 10 minutes): a stalled `docker pull` fails the deploy, not the job's limit. */
  commandTimeoutMs?: number | undefined;
}

/** The TCP connection and SSH handshake, and then each command, get this long before the deploy gives up. */
const connectTimeoutMs = 20_000;
const defaultCommandTimeoutMs = 10 * 60_000;

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One SSH connection to the droplet: commands run by the login shell, and HTTP requests to the host's
 * loopback through a direct-tcpip channel (what `ssh -L` does), so nothing but sshd has to listen publicly.
 */
export class SshSession {
  readonly #client: ssh2.Client;
  readonly #label: string;
  readonly #commandTimeoutMs: number;

  private constructor(client: ssh2.Client, label: string, commandTimeoutMs: number) {
    this.#client = client;
    this.#label = label;
    this.#commandTimeoutMs = commandTimeoutMs;
  }

  static async open(target: SshTarget): Promise<SshSession> {
    const name = knownHostsName(target.host, target.port);
    const entries = parseKnownHosts(target.knownHosts);
    const algorithms = pinnedAlgorithms(entries, name).filter(isSupported);
    let refusal: string | undefined;
    const client = new ssh2.Client();
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      // Listened to for the connection's whole life, not once: ssh2 can emit a second error (the socket's after a
      // failed handshake, a keepalive timeout after a command's failure), and an unheard one crashes the process.
      // The first rejects the connection; a later one surfaces in the command it breaks.
      client.on('error', (error) => {
        reject(new DeployError(refusal ?? `ssh ${target.username}@${name}: ${error.message}`));
      });
      client.connect({
        host: target.host,
        port: target.port,
        username: target.username,
        privateKey: target.privateKey,
        passphrase: target.passphrase,
        readyTimeout: connectTimeoutMs,
        // Three unanswered keepalives (ssh2's keepaliveCountMax) end a connection whose host went away.
        keepaliveInterval: 10_000,
        ...(algorithms.length > 0 ? { algorithms: { serverHostKey: algorithms } } : {}),
        hostVerifier: (key: Buffer) => {
          const verdict = verifyHostKey(entries, target.host, target.port, key);
          if (!verdict.trusted) refusal = `ssh ${target.username}@${name}: ${verdict.reason}`;
          return verdict.trusted;
        },
      });
    });
    return new SshSession(client, `${target.username}@${name}`, target.commandTimeoutMs ?? defaultCommandTimeoutMs);
  }

  /**
   * Runs a command through the remote login shell; `stdin` is written to it and closed (secrets go here).
   * The listeners go on in the channel's callback itself: a quick command's exit status can arrive in the
   * same packet batch as the channel's confirmation, before any later tick. A command still running after the
   * command timeout is signalled, its channel closed, and the promise rejected.
   */
  exec(command: string, stdin = ''): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      let channel: ssh2.ClientChannel | undefined;
      const timer = setTimeout(() => {
        reject(new DeployError(`on ${this.#label}, \`${firstWords(command)}\` was still running after ${this.#commandTimeoutMs / 1000} s: stopped`));
        channel?.signal('KILL');
        channel?.close();
      }, this.#commandTimeoutMs);
      this.#client.exec(command, (error, opened) => {
        if (error) {
          clearTimeout(timer);
          reject(new DeployError(`ssh ${this.#label}: ${error.message}`));
          return;
        }
        channel = opened;
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        // 255, like ssh, when the server closes the channel without an exit status (the command was killed).
        let code = 255;
        channel.on('data', (chunk: Buffer) => stdout.push(chunk));
        channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        channel.once('exit', (exitCode: number | null) => {
          code = exitCode ?? 255;
        });
        channel.once('close', () => {
          clearTimeout(timer);
          resolve({ code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() });
        });
        channel.end(stdin);
      });
    });
  }

  /** Like exec, but a non-zero exit is an error that quotes what the command printed. */
  async run(command: string, stdin = ''): Promise<string> {
    const result = await this.exec(command, stdin);
    if (result.code !== 0) {
      const output = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-10).join('\n  ');
      throw new DeployError(`on ${this.#label}, \`${firstWords(command)}\` exited with ${result.code}${output ? `:\n  ${output}` : ''}`);
    }
    return result.stdout;
  }

  /**
   * Starts a command that keeps running while the caller needs it (a lock holder): resolves with `release`
   * once the command prints the line `ready`, or with its result when it exits before that. `release` closes
   * the command's stdin, its cue to end, and waits until it has. If this process dies instead, sshd closes
   * that stdin itself when the connection drops.
   */
  hold(command: string, ready: string): Promise<Held | ExecResult> {
    return new Promise((resolve, reject) => {
      this.#client.exec(command, (error, channel) => {
        if (error) {
          reject(new DeployError(`ssh ${this.#label}: ${error.message}`));
          return;
        }
        let code = 255;
        channel.once('exit', (exitCode: number | null) => {
          code = exitCode ?? 255;
        });
        const closed = new Promise<number>((done) => {
          channel.once('close', () => {
            done(code);
          });
        });
        resolve(holdUntilReady({ stdout: channel, stderr: channel.stderr, endInput: () => channel.end(), closed }, ready));
      });
    });
  }

  /** GET http://127.0.0.1:port/path as seen from the droplet itself. */
  async get(port: number, path: string, timeoutMs = 3_000): Promise<HttpAnswer> {
    const channel = await new Promise<Duplex>((resolve, reject) => {
      this.#client.forwardOut('127.0.0.1', 0, '127.0.0.1', port, (error, stream) => {
        if (error) reject(new Error(`127.0.0.1:${port} refused the connection (${error.message})`));
        else resolve(stream);
      });
    });
    return new Promise<HttpAnswer>((resolve, reject) => {
      const req = request(
        { createConnection: () => channel, host: '127.0.0.1', port, path, timeout: timeoutMs, headers: { connection: 'close' } },
        (res) => {
          const body: Buffer[] = [];
          res.on('data', (chunk: Buffer) => body.push(chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(body).toString() });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer from 127.0.0.1:${port}${path} within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end();
    }).finally(() => channel.destroy());
  }

  close(): void {
    this.#client.end();
  }
}

const supportedHostKeys: readonly string[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
] satisfies ServerHostKeyAlgorithm[];

const isSupported = (algorithm: string): algorithm is ServerHostKeyAlgorithm => supportedHostKeys.includes(algorithm);

function firstWords(command: string): string {
  const line = command.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
