import { DeployError } from '../deploy-error.ts';
import type { Color, Limits } from '../settings.ts';
import type { HttpAnswer, SshSession } from '../ssh/session.ts';
import { type Layout, shellQuote as q } from './layout.ts';
import { holdLock } from './lock.ts';

/** What `docker container inspect` tells about one of our containers. */
export interface ContainerInfo {
  name: string;
  image: string;
  status: string;
  running: boolean;
  restartCount: number;
  exitCode: number;
  labels: Record<string, string>;
}

export interface RunSpec {
  container: string;
  color: Color;
  image: string;
  port: number;
  drainTimeoutS: number;
  /** The env file on the host the container starts with (docker reads it once, at the start), if any. */
  envFile?: string | undefined;
  limits: Limits;
}

/** What DropletHost needs of the connection: an SshSession, or a local shell in the unit tests. */
export type Session = Pick<SshSession, 'exec' | 'run' | 'hold' | 'get'>;

/** What the blue/green flow does with a host: DropletHost over SSH, or a fake in the unit tests. */
export type Host = { [Member in keyof DropletHost]: DropletHost[Member] };

/**
 * The docker, nginx and file operations of a deploy, each one command over SSH with every value quoted.
 * Containers are only ever addressed by the names in the layout, and only after `containers()` has
 * checked that they carry our label: nothing else on the host is touched.
 */
export class DropletHost {
  readonly #ssh: Session;
  readonly #layout: Layout;
  readonly #nginx: string;

  constructor(ssh: Session, layout: Layout, nginx: string) {
    this.#ssh = ssh;
    this.#layout = layout;
    this.#nginx = nginx;
  }

  /** GET http://127.0.0.1:port/path on the host, through the SSH connection. */
  get(port: number, path: string): Promise<HttpAnswer> {
    return this.#ssh.get(port, path);
  }

  async prepare(): Promise<void> {
    await this.#ssh.run(`mkdir -p ${q(dirOf(this.#layout.historyFile))}`);
  }

  /** Waits up to `timeoutS` for the deployment's lock on the host, and gives back what frees it. */
  lock(timeoutS: number): Promise<() => Promise<void>> {
    return holdLock(this.#ssh, this.#layout.name, this.#layout.lockFile, timeoutS);
  }

  async activeColor(): Promise<Color> {
    const result = await this.#ssh.exec(`test -e ${q(this.#layout.greenMarker)}`);
    return result.code === 0 ? 'green' : 'blue';
  }

  /** Our two containers, where they exist; a container that has one of our names but not our label is an error. */
  async containers(): Promise<Partial<Record<Color, ContainerInfo>>> {
    const { blue, green } = this.#layout.containers;
    const result = await this.#ssh.exec(`docker container inspect ${q(blue)} ${q(green)} 2>/dev/null`);
    const found = result.stdout.trim() === '' ? [] : (JSON.parse(result.stdout) as InspectedContainer[]);
    const byColor: Partial<Record<Color, ContainerInfo>> = {};
    for (const raw of found) {
      const info = containerInfo(raw);
      if (info.labels[this.#layout.labels.deploy] !== this.#layout.name) {
        throw new DeployError(
          `a container named ${info.name} exists on the host but was not started by this deploy ` +
            `(no label ${this.#layout.labels.deploy}=${this.#layout.name}): not touching it. Rename it, or pick another --name`,
        );
      }
      byColor[info.name === blue ? 'blue' : 'green'] = info;
    }
    return byColor;
  }

  async container(name: string): Promise<ContainerInfo | undefined> {
    const result = await this.#ssh.exec(`docker container inspect ${q(name)} 2>/dev/null`);
    const [raw] = result.code === 0 ? (JSON.parse(result.stdout) as InspectedContainer[]) : [];
    return raw && containerInfo(raw);
  }

  async history(): Promise<string> {
    return (await this.#ssh.exec(`cat ${q(this.#layout.historyFile)} 2>/dev/null`)).stdout;
  }

  async appendHistory(line: string): Promise<void> {
    await this.#ssh.run(`cat >> ${q(this.#layout.historyFile)}`, line);
  }

  /** Writes a new environment beside the kept one, as nextEnvFile: keepEnvFile makes it the kept one. */
  async writeEnvFile(content: string): Promise<void> {
    await this.#writeFile(this.#layout.nextEnvFile, content, '077');
  }

  async keepEnvFile(): Promise<void> {
    await this.#ssh.run(`mv -f ${q(this.#layout.nextEnvFile)} ${q(this.#layout.envFile)}`);
  }

  /** Whether an earlier deploy left the container's environment on the host. */
  async hasEnvFile(): Promise<boolean> {
    return (await this.#ssh.exec(`test -f ${q(this.#layout.envFile)}`)).code === 0;
  }

  async hasImage(image: string): Promise<boolean> {
    return (await this.#ssh.exec(`docker image inspect --format '{{.Id}}' ${q(image)} >/dev/null 2>&1`)).code === 0;
  }

  /**
   * Pulls by digest. With credentials, `docker login --password-stdin` writes them to a throwaway
   * DOCKER_CONFIG that is removed right after the pull: the password never sits on a command line, in a
   * log, or on the host's disk once the deploy is over.
   */
  async pull(image: string, registry: string, credentials?: { user: string; password: string }): Promise<void> {
    if (!credentials) {
      await this.#ssh.run(`docker pull --quiet ${q(image)}`);
      return;
    }
    const script = [
      'set -e',
      'DOCKER_CONFIG=$(mktemp -d)',
      'export DOCKER_CONFIG',
      `trap 'rm -rf "$DOCKER_CONFIG"' EXIT`,
      `docker login --username ${q(credentials.user)} --password-stdin ${q(registry)} >/dev/null`,
      `docker pull --quiet ${q(image)}`,
    ].join('\n');
    await this.#ssh.run(`sh -c ${q(script)}`, credentials.password);
  }

  async run(spec: RunSpec): Promise<void> {
    const { labels } = this.#layout;
    const args = [
      'docker run --detach',
      `--name ${q(spec.container)}`,
      `--label ${q(`${labels.deploy}=${this.#layout.name}`)}`,
      `--label ${q(`${labels.color}=${spec.color}`)}`,
      // Host networking (no bridge here, and none needed): the container listens on its color's port,
      // on loopback only, and nginx is the one public listener.
      '--network host',
      `--env PORT=${spec.port}`,
      '--env HOST=127.0.0.1',
      spec.envFile === undefined ? '' : `--env-file ${q(spec.envFile)}`,
      // What a compromised service could do to the host is bounded: no writes but to a small /tmp (V8's
      // compile cache goes there), no capabilities, no setuid escalation, capped memory and processes.
      ...hardening(spec.limits),
      '--restart unless-stopped',
      `--stop-timeout ${spec.drainTimeoutS}`,
      '--log-opt max-size=10m --log-opt max-file=3',
      q(spec.image),
    ];
    await this.#ssh.run(args.filter(Boolean).join(' '));
  }

  async logs(name: string, lines = 20): Promise<string> {
    return (await this.#ssh.exec(`docker logs --tail ${lines} ${q(name)} 2>&1`)).stdout.trimEnd();
  }

  async remove(name: string): Promise<void> {
    await this.#ssh.run(`docker rm --force ${q(name)}`);
  }

  /** SIGTERM, then up to `--drain-timeout` seconds for in-flight requests (the service's graceful shutdown). */
  async stop(name: string): Promise<void> {
    await this.#ssh.run(`docker stop ${q(name)}`);
  }

  /** Atomic either way: a rename creates the marker, an unlink removes it. */
  async switchTo(color: Color): Promise<void> {
    const marker = q(this.#layout.greenMarker);
    await this.#ssh.run(color === 'green' ? `: > ${marker}.new && mv -f ${marker}.new ${marker}` : `rm -f ${marker}`);
  }

  /**
   * Writes the nginx site when it differs, checks the whole config, and reloads. When nginx rejects it or
   * does not reload, the previous site is put back (and reloaded, in case the failed reload half happened).
   */
  async ensureSite(content: string): Promise<boolean> {
    const site = this.#layout.nginxSite;
    const current = await this.#ssh.exec(`cat ${q(site)} 2>/dev/null`);
    if (current.code === 0 && current.stdout === content) return false;
    await this.#writeFile(site, content, '022');
    const test = await this.#ssh.exec(`${this.#nginx} -t`);
    const reload = test.code === 0 ? await this.#ssh.exec(`${this.#nginx} -s reload`) : undefined;
    if (reload?.code === 0) return true;
    if (current.code === 0) await this.#writeFile(site, current.stdout, '022');
    else await this.#ssh.run(`rm -f ${q(site)}`);
    if (reload === undefined) throw new DeployError(`nginx rejected ${site}, so it was put back:\n  ${indent(test.stderr)}`);
    await this.#ssh.exec(`${this.#nginx} -s reload`);
    throw new DeployError(
      `\`${this.#nginx} -s reload\` failed, so ${site} was put back: is nginx installed and running on the host (docs/deploy.md, "Droplet")?\n  ${indent(reload.stderr)}`,
    );
  }

  /** Removes the deployment's state directory: history, env files, green marker, lock, and what else it keeps there. */
  async removeState(): Promise<void> {
    await this.#ssh.run(`rm -rf ${q(dirOf(this.#layout.historyFile))}`);
  }

  async removeImages(images: readonly string[]): Promise<void> {
    if (images.length > 0) await this.#ssh.exec(`docker image rm ${images.map(q).join(' ')}`);
  }

  async #writeFile(path: string, content: string, umask: string): Promise<void> {
    await this.#ssh.run(`umask ${umask} && cat > ${q(`${path}.new`)} && mv -f ${q(`${path}.new`)} ${q(path)}`, content);
  }
}

interface InspectedContainer {
  Name: string;
  RestartCount: number;
  State: { Status: string; Running: boolean; ExitCode: number };
  Config: { Image: string; Labels: Record<string, string> | null };
}

function containerInfo(raw: InspectedContainer): ContainerInfo {
  return {
    name: raw.Name.replace(/^\//, ''),
    image: raw.Config.Image,
    status: raw.State.Status,
    running: raw.State.Running,
    restartCount: raw.RestartCount,
    exitCode: raw.State.ExitCode,
    labels: raw.Config.Labels ?? {},
  };
}

function hardening(limits: Limits): string[] {
  return [
    '--read-only',
    '--tmpfs /tmp:rw,noexec,nosuid,size=64m',
    '--cap-drop ALL',
    '--security-opt no-new-privileges',
    `--memory ${q(limits.memory)}`,
    `--pids-limit ${limits.pids}`,
  ];
}

function indent(text: string): string {
  return text.trim().split('\n').join('\n  ');
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}
