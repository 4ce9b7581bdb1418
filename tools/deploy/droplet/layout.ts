import type { Color, DeploySettings } from '../settings.ts';

/**
 * Where a deployment lives on the host. The TypeScript deploy and the Ansible playbook share it (the
 * playbook gets it as variables), so either can take over a host the other deployed to.
 */
export interface Layout {
  name: string;
  containers: Record<Color, string>;
  /** Labels on our containers: only containers carrying `deploy=<name>` are ever stopped or removed. */
  labels: { deploy: string; color: string };
  /** nginx serves green while this file exists, blue otherwise: switching is a rename, not a reload. */
  greenMarker: string;
  /** One JSON line per successful deploy: what rollback picks from and what pruning keeps. */
  historyFile: string;
  /** The container's environment, copied from --service-env-file; every later deploy and rollback runs with it. */
  envFile: string;
  /** A new environment, until the version started with it is live: a deploy that fails keeps envFile as it was. */
  nextEnvFile: string;
  /** flock'ed for the whole of a deploy or rollback: two of them never act on one deployment at once. */
  lockFile: string;
  nginxSite: string;
}

export const labelKeys = { deploy: 'fastify-gitlab.deploy', color: 'fastify-gitlab.color' } as const;

export const colors: readonly Color[] = ['blue', 'green'];

export const otherColor = (color: Color): Color => (color === 'blue' ? 'green' : 'blue');

export function layoutOf(settings: Pick<DeploySettings, 'name' | 'stateDir' | 'nginxConfDir'>): Layout {
  const dir = `${settings.stateDir}/${settings.name}`;
  return {
    name: settings.name,
    containers: { blue: `${settings.name}-blue`, green: `${settings.name}-green` },
    labels: labelKeys,
    greenMarker: `${dir}/green`,
    historyFile: `${dir}/history`,
    envFile: `${dir}/env`,
    nextEnvFile: `${dir}/env.next`,
    lockFile: `${dir}/lock`,
    nginxSite: `${settings.nginxConfDir}/${settings.name}.conf`,
  };
}

/** Quotes a value for a POSIX shell: everything we put on a remote command line goes through here. */
export function shellQuote(value: string | number): string {
  return `'${String(value).replaceAll("'", `'\\''`)}'`;
}
