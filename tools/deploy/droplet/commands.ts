import { readFileSync } from 'node:fs';
import { UsageError } from '../deploy-error.ts';
import type { DeployCredentials, DeploySettings } from '../settings.ts';
import { SshSession } from '../ssh/session.ts';
import { deploy, rollback, status, type DeployInputs, type Report } from './blue-green.ts';
import { DropletHost } from './host.ts';
import { layoutOf } from './layout.ts';

export type DropletCommand = 'deploy' | 'rollback' | 'status';

export async function runDropletCommand(command: DropletCommand, settings: DeploySettings, credentials: DeployCredentials, report: Report) {
  if (command === 'deploy' && settings.image === undefined) throw new UsageError('droplet deploy needs --image');
  const inputs: Omit<DeployInputs, 'image'> = {
    credentials: credentials.registry,
    envFileContent: settings.envFile === undefined ? undefined : readFileSync(settings.envFile, 'utf8'),
  };
  const ssh = await SshSession.open({
    host: settings.host,
    port: settings.sshPort,
    username: settings.user,
    privateKey: credentials.privateKey,
    passphrase: credentials.passphrase,
    knownHosts: credentials.knownHosts,
  });
  try {
    const host = new DropletHost(ssh, layoutOf(settings), settings.nginx);
    if (command === 'deploy') await deploy(host, settings, { ...inputs, image: settings.image ?? '' }, report);
    else if (command === 'rollback') await rollback(host, settings, inputs, report);
    else await status(host, settings, report);
  } finally {
    ssh.close();
  }
}
