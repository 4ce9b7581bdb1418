import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeployError, UsageError } from '../deploy-error.ts';
import { layoutOf } from '../droplet/layout.ts';
import { holdLock } from '../droplet/lock.ts';
import { renderNginxSite } from '../droplet/nginx-site.ts';
import { registryOf, type DeployCredentials, type DeploySettings, type Env } from '../settings.ts';
import { workspaceRoot } from '../workspace.ts';
import { holdProcess } from '../ssh/hold-until-ready.ts';

const playbook = fileURLToPath(new URL('tools/deploy/ansible/deploy.yml', workspaceRoot));
const config = fileURLToPath(new URL('tools/deploy/ansible/ansible.cfg', workspaceRoot));

/** The playbook's variables: the same layout and nginx site as the TypeScript deploy, and no secret. */
export function playbookVars(settings: DeploySettings, image: string) {
  const layout = layoutOf(settings);
  return {
    deploy_name: layout.name,
    deploy_image: image,
    // community.docker's docker_container misreads repository:tag@digest (the host has the image by digest, not by
    // that tag) and pulls again without credentials: it starts the same image by its digest alone.
    deploy_image_by_digest: image.replace(/:[^/@]+@/, '@'),
    deploy_registry: registryOf(image),
    deploy_port: settings.port,
    deploy_color_ports: settings.colorPorts,
    deploy_containers: layout.containers,
    deploy_labels: layout.labels,
    deploy_green_marker: layout.greenMarker,
    deploy_history_file: layout.historyFile,
    deploy_env_file: layout.envFile,
    deploy_next_env_file: layout.nextEnvFile,
    deploy_env_source: settings.envFile ?? '',
    deploy_nginx_site: layout.nginxSite,
    deploy_nginx_site_content: renderNginxSite(settings, layout),
    deploy_nginx: settings.nginx,
    deploy_health_path: settings.healthPath,
    deploy_health_timeout: settings.healthTimeoutS,
    deploy_drain_timeout: settings.drainTimeoutS,
    deploy_keep: settings.keep,
    deploy_limits: settings.limits,
  };
}

/** One host, reached with the given key and checked against a known_hosts file that holds only the pinned lines. */
export function inventory(settings: DeploySettings, privateKeyFile: string, knownHostsFile: string) {
  return {
    all: {
      hosts: {
        [settings.host]: {
          ansible_host: settings.host,
          ansible_port: settings.sshPort,
          ansible_user: settings.user,
          ansible_ssh_private_key_file: privateKeyFile,
          ansible_ssh_common_args: pinnedSshOptions(knownHostsFile).join(' '),
        },
      },
    },
  };
}

/** OpenSSH options that accept only the pinned host key and only the given private key. */
function pinnedSshOptions(knownHostsFile: string): string[] {
  return [`-o UserKnownHostsFile=${knownHostsFile}`, '-o GlobalKnownHostsFile=/dev/null', '-o StrictHostKeyChecking=yes', '-o IdentitiesOnly=yes'];
}

/**
 * Takes the deployment's lock on the host, as the droplet deploy does, over an `ssh` connection of its own
 * that stays open for the whole playbook run: a droplet rollback run meanwhile waits for it, and vice versa.
 */
async function lockHost(settings: DeploySettings, privateKeyFile: string, knownHostsFile: string, env: Env): Promise<() => Promise<void>> {
  const { lockFile, name } = layoutOf(settings);
  const sshArgs = [
    ...pinnedSshOptions(knownHostsFile).flatMap((option) => option.split(' ')),
    ...['-o', 'BatchMode=yes', '-i', privateKeyFile, '-p', String(settings.sshPort), '-l', settings.user, '--', settings.host],
  ];
  const hold = (command: string, ready: string) =>
    holdProcess(spawn('ssh', [...sshArgs, command], { env }), ready).catch((error: unknown) => {
      throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? new DeployError('ssh is not installed here: apt-get install -y openssh-client') : error;
    });
  return holdLock({ hold }, name, lockFile, settings.lockTimeoutS);
}

/** Runs deploy.yml against the host with Debian's ansible-playbook, under the deployment's lock; its output goes straight to ours. */
export async function runPlaybook(settings: DeploySettings, credentials: DeployCredentials, env: Env): Promise<void> {
  if (settings.image === undefined) throw new UsageError('ansible deploy needs --image');
  if (credentials.passphrase) throw new UsageError('ansible deploy cannot use SSH_PRIVATE_KEY_PASSPHRASE: give it a key without one');
  const dir = mkdtempSync(join(tmpdir(), 'deploy-ansible-'));
  try {
    const knownHosts = join(dir, 'known_hosts');
    // OpenSSH insists that a private key file is readable by its owner only; a GitLab file variable may not be.
    const privateKey = join(dir, 'id');
    writeFileSync(knownHosts, credentials.knownHosts, { mode: 0o600 });
    writeFileSync(privateKey, credentials.privateKey, { mode: 0o600 });
    writeFileSync(join(dir, 'inventory.json'), JSON.stringify(inventory(settings, privateKey, knownHosts)));
    writeFileSync(join(dir, 'vars.json'), JSON.stringify(playbookVars(settings, settings.image)));
    const release = await lockHost(settings, privateKey, knownHosts, env);
    try {
      const code = await run('ansible-playbook', ['-i', join(dir, 'inventory.json'), '-e', `@${join(dir, 'vars.json')}`, playbook], {
        ...env,
        ANSIBLE_CONFIG: config,
        ANSIBLE_HOST_KEY_CHECKING: 'True',
        ANSIBLE_SSH_CONTROL_PATH_DIR: join(dir, 'control'),
      });
      if (code !== 0) throw new DeployError(`ansible-playbook exited with ${code}: the failed task above says why`);
    } finally {
      await release();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], env: Env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new DeployError(`${command} is not installed here: apt-get install -y ansible`) : error);
    });
    child.on('exit', (code, signal) => {
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}
